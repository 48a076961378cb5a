import { useCallback, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Skeleton, Tag } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import { formatFen, type ActivityView } from '@xianlin/shared'
import { api } from '../../api'
import Cover from '../../components/Cover'
import './index.scss'

const STATE_TEXT: Partial<Record<ActivityView['state'], string>> = { upcoming: '即将开始', sold_out: '已抢光', ended: '已结束', paused: '暂停中' }

/** 拼团: the activities on now, cheapest tier first. */
export default function GroupBuysPage() {
  const [activities, setActivities] = useState<ActivityView[] | null>(null)
  const [failed, setFailed] = useState(false)
  const load = useCallback(async () => {
    try {
      setActivities((await api.groupbuys.list()).activities)
      setFailed(false)
    } catch {
      setFailed(true)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [])
  useDidShow(() => void load())
  usePullDownRefresh(() => void load())

  if (failed) return <Empty status='network' description='网络不给力，下拉刷新试试' />
  if (!activities) return <Skeleton rows={8} animated className='groupbuys__skeleton' />
  return (
    <View className='groupbuys'>
      <View className='groupbuys__hero'>
        <Text className='groupbuys__title'>邻里拼团 · 越拼越省</Text>
        <Text className='groupbuys__subtitle'>开团或参团，成团后到门店自提；未成团自动原路退款</Text>
      </View>
      {activities.length === 0 ? <Empty description='新的拼团正在准备中' /> : null}
      {activities.map((a) => {
        const best = a.tiers[a.tiers.length - 1]!
        return (
          <View key={a.id} className='groupbuys__card' onClick={() => Taro.navigateTo({ url: `/pages/groupbuy/index?id=${a.id}` })}>
            <Cover cover={a.product.cover} className='groupbuys__cover' emojiClassName='groupbuys__emoji' />
            <View className='groupbuys__body'>
              <Text className='groupbuys__name'>{a.title}</Text>
              <Text className='groupbuys__sub'>{a.product.subtitle}</Text>
              <View className='groupbuys__tags'>
                {a.tiers.map((t) => (
                  <Tag key={t.size} plain type='danger' className='groupbuys__tag'>
                    {t.size}人团
                  </Tag>
                ))}
              </View>
              <View className='groupbuys__price-row'>
                <Text className='groupbuys__price'>{formatFen(best.priceFen)}</Text>
                <Text className='groupbuys__list-price'>{formatFen(a.listPriceFen)}</Text>
                <Text className={a.state === 'active' ? 'groupbuys__go' : 'groupbuys__go groupbuys__go--off'}>{a.state === 'upcoming' && a.earlyAccess ? `${a.earlyAccess.levelName}优先购` : (STATE_TEXT[a.state] ?? '去拼团')}</Text>
              </View>
            </View>
          </View>
        )
      })}
    </View>
  )
}
