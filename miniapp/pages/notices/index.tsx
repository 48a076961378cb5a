import { useCallback, useState } from 'react'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Skeleton } from '@nutui/nutui-react-taro'
import type { NoticeList } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import Empty from '../../components/EmptyState'
import LoginRequired from '../../components/LoginRequired'
import { useSession } from '../../hooks/useSession'
import { dateTime } from '../../utils/format'
import './index.scss'

const TAB_PAGES = ['/pages/index/index', '/pages/category/index', '/pages/cart/index', '/pages/mine/index']
const isWeapp = process.env.TARO_ENV === 'weapp'

/** 消息通知: level changes, perks, rewards and orders, newest first; opening the list reads them. */
export default function NoticesPage() {
  const { user } = useSession()
  const [list, setList] = useState<NoticeList | null>(null)
  const [failed, setFailed] = useState(false)

  const load = useCallback(async () => {
    try {
      const fresh = await api.notices.list()
      setList(fresh)
      if (fresh.unread > 0) void api.notices.readAll()
    } catch {
      setFailed(true)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [])
  useDidShow(() => void (user && load()))
  usePullDownRefresh(() => void load())

  const more = async () => {
    if (!list?.next) return
    const page = await api.notices.list(list.next)
    setList({ ...page, notices: [...list.notices, ...page.notices] })
  }

  /** 开启微信提醒: each accepted dialog allows one WeChat message (WeChat's rule for subscribe messages). */
  const subscribe = async () => {
    if (!list?.templateId) return
    try {
      const res = await Taro.requestSubscribeMessage({ tmplIds: [list.templateId], entityIds: [] } as unknown as Taro.requestSubscribeMessage.Option)
      if ((res as unknown as Record<string, string>)[list.templateId] !== 'accept') return
      const { consents } = await api.notices.addConsent()
      setList({ ...list, consents })
      Taro.showToast({ title: '已开启，下一条消息将通过微信提醒你', icon: 'none' })
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '开启失败，请重试', icon: 'none' })
    }
  }

  if (!user) return <LoginRequired what='消息' />
  if (failed) return <Empty status='network' description='网络不给力，下拉刷新试试' />
  if (!list) return <Skeleton rows={8} animated className='notices__skeleton' />
  return (
    <View className='notices'>
      {isWeapp && list.templateId ? (
        <View className='notices__subscribe' onClick={subscribe}>
          <Text>{list.consents > 0 ? `微信提醒已开启（还可提醒 ${list.consents} 次）` : '开启微信提醒，奖励到账不错过'}</Text>
          <Text className='notices__subscribe-go'>{list.consents > 0 ? '再开启一次 ›' : '开启 ›'}</Text>
        </View>
      ) : null}
      {list.notices.length === 0 ? <Empty description='暂时没有消息' /> : null}
      {list.notices.map((n) => (
        <View
          key={n.id}
          className='notices__item'
          onClick={() => {
            if (!n.link) return
            if (TAB_PAGES.includes(n.link)) void Taro.switchTab({ url: n.link })
            else void Taro.navigateTo({ url: n.link })
          }}
        >
          <View className='notices__head'>
            {!n.read ? <View className='notices__dot' /> : null}
            <Text className='notices__title'>{n.title}</Text>
            <Text className='notices__time'>{dateTime(n.createdAt)}</Text>
          </View>
          <Text className='notices__body'>{n.body}</Text>
          {n.link ? <Text className='notices__go'>查看详情 ›</Text> : null}
        </View>
      ))}
      {list.next ? (
        <Text className='notices__more' onClick={more}>
          加载更多
        </Text>
      ) : null}
    </View>
  )
}
