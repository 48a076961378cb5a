import { useCallback, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button, Empty, Skeleton } from '@nutui/nutui-react-taro'
import { formatFen, type GroupView } from '@xianlin/shared'
import { api } from '../../api'
import ShareButton from '../../components/ShareButton'
import { useCountdown } from '../../hooks/useCountdown'
import { useShareCard, useShareEntry } from '../../hooks/useShareCard'
import { session } from '../../utils/session'
import Cover from '../../components/Cover'
import './index.scss'

const OUTCOME: Record<GroupView['state'], { title: string; text: string } | null> = {
  pending: { title: '待支付', text: '团长支付后即可邀请好友参团' },
  open: null,
  succeeded: { title: '拼团成功', text: '请凭提货码到所选门店自提' },
  failed: { title: '拼团未成功', text: '未在时限内成团，货款已原路退回' },
  cancelled: { title: '团已取消', text: '开团未支付，团已自动取消' },
}

/** A group: members, seats left, countdown; share it while it forms, see the outcome when it ends. */
export default function GroupPage() {
  const [id, setId] = useState('')
  const [group, setGroup] = useState<GroupView | null>(null)
  const [failed, setFailed] = useState(false)
  const left = useCountdown(group?.state === 'open' ? group.expiresAt : null, 1000)

  const load = useCallback(async (groupId: string) => {
    try {
      setGroup((await api.groupbuys.group(groupId)).group)
    } catch {
      setFailed(true)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [])
  useShareEntry((params) => {
    setId(params.id ?? '')
    void load(params.id ?? '')
  })
  useDidShow(() => id && void load(id))
  usePullDownRefresh(() => id && void load(id))
  useShareCard(() => ({ page: 'pages/group/index', targetId: id, title: group ? `就差 ${group.seatsLeft} 人！${formatFen(group.priceFen)} 拼「${group.product.name}」` : '来拼团吧' }))

  if (failed) return <Empty status='error' description='团不存在' />
  if (!group) return <Skeleton rows={8} animated className='group__skeleton' />
  const seats = Array.from({ length: group.size }, (_, i) => group.members[i] ?? null)
  const outcome = OUTCOME[group.state]
  const join = () => {
    if (!session.accessToken()) return Taro.switchTab({ url: '/pages/mine/index' })
    return Taro.navigateTo({ url: `/pages/checkout/index?activityId=${group.activityId}&groupId=${group.id}` })
  }

  return (
    <View className='group'>
      <View className='group__product' onClick={() => Taro.navigateTo({ url: `/pages/groupbuy/index?id=${group.activityId}` })}>
        <Cover cover={group.product.cover} className='group__cover' emojiClassName='group__emoji' size='medium' />
        <View className='group__product-body'>
          <Text className='group__name'>{group.title}</Text>
          <View className='group__prices'>
            <Text className='group__price'>{formatFen(group.priceFen)}</Text>
            <Text className='group__list-price'>{formatFen(group.listPriceFen)}</Text>
          </View>
          <Text className='group__size'>{group.size}人团</Text>
        </View>
      </View>

      <View className='group__panel'>
        {outcome ? (
          <View className={`group__outcome group__outcome--${group.state}`}>
            <Text className='group__outcome-title'>{outcome.title}</Text>
            <Text className='group__outcome-text'>{outcome.text}</Text>
          </View>
        ) : (
          <View className='group__forming'>
            <Text className='group__forming-title'>
              还差 <Text className='group__em'>{group.seatsLeft}</Text> 人成团
            </Text>
            <Text className='group__countdown'>{left}</Text>
          </View>
        )}
        <View className='group__seats'>
          {seats.map((m, i) => (
            <View key={i} className='group__seat'>
              <View className={m ? 'group__avatar group__avatar--filled' : 'group__avatar'}>{m ? Array.from(m.name)[0] : '?'}</View>
              {m?.initiator ? <Text className='group__leader'>团长</Text> : null}
              <Text className='group__member'>{m ? (m.paid ? m.name : `${m.name} 待支付`) : '待加入'}</Text>
            </View>
          ))}
        </View>
        {group.state === 'open' ? (
          group.myOrderId ? (
            <ShareButton page='pages/group/index' targetId={group.id} label='邀请好友参团' block className='group__action' />
          ) : (
            <Button type='primary' block onClick={join} className='group__action'>
              {formatFen(group.priceFen)} 参与拼团
            </Button>
          )
        ) : null}
        {group.myOrderId ? (
          <Button fill='none' block className='group__order' onClick={() => Taro.navigateTo({ url: `/pages/order/index?id=${group.myOrderId}` })}>
            查看我的订单 ›
          </Button>
        ) : null}
      </View>
    </View>
  )
}
