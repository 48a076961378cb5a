import { useCallback, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button, Skeleton } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import { formatFen, type ActivityView, type GroupView, type OrderView } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import ShareButton from '../../components/ShareButton'
import OpenGroupRow from '../../components/OpenGroupRow'
import { useSignInGate } from '../../components/SignInSheet'
import { useCountdown } from '../../hooks/useCountdown'
import { useShareCard, useShareEntry } from '../../hooks/useShareCard'
import { payForOrder } from '../../utils/pay'
import Cover from '../../components/Cover'
import './index.scss'

/** How a group that is not forming reads, to its members and to anyone else who opens its link. */
const OUTCOME: Record<GroupView['state'], { title: string; member: string; visitor: string } | null> = {
  pending: { title: '待支付', member: '支付后即可邀请好友参团', visitor: '开团人支付后即可参团' },
  open: null,
  succeeded: { title: '拼团成功', member: '请凭提货码到所选自提点提货', visitor: '这个团已经拼成了，看看下面还差人的团，或者再开一团' },
  failed: { title: '拼团未成功', member: '未在时限内成团，货款已原路退回', visitor: '这个团没有拼成，可以再开一团' },
  cancelled: { title: '团已取消', member: '开团未支付，团已自动取消', visitor: '这个团已取消，可以再开一团' },
}

/**
 * A group: members, seats left, countdown; share it while it forms, see the outcome when it ends.
 * Nobody who arrives here is stuck: a stranger signs in and goes on to join; a shopper whose order
 * waits for payment can pay it; a full or finished group offers the activity's other open groups
 * and 再开一团.
 */
export default function GroupPage() {
  const [id, setId] = useState('')
  const [group, setGroup] = useState<GroupView | null>(null)
  const [unpaid, setUnpaid] = useState<OrderView | null>(null)
  const [activity, setActivity] = useState<ActivityView | null>(null)
  const [failed, setFailed] = useState(false)
  const [paying, setPaying] = useState(false)
  const { requireSignIn, sheet } = useSignInGate('登录后参团')
  const left = useCountdown(group?.state === 'open' ? group.expiresAt : null, 1000)
  const held = group?.members.filter((m) => m.heldUntil).map((m) => m.heldUntil!).sort()[0] ?? null
  const heldLeft = useCountdown(held, 1000)
  const payLeft = useCountdown(unpaid?.holdUntil ?? null, 1000)

  const load = useCallback(async (groupId: string) => {
    try {
      const fresh = (await api.groupbuys.group(groupId)).group
      setGroup(fresh)
      setUnpaid(fresh.myOrderUnpaid && fresh.myOrderId ? (await api.orders.get(fresh.myOrderId)).order : null)
      const joinable = fresh.state === 'open' && fresh.seatsLeft > 0
      if (!fresh.myOrderId && !joinable) setActivity((await api.groupbuys.get(fresh.activityId)).activity)
      return fresh
    } catch {
      setFailed(true)
      return null
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
  // Members, then the places still open (a member refunded after success is not listed; no place opens).
  const seats = [...group.members, ...Array.from({ length: group.seatsLeft }, () => null)]
  const outcome = OUTCOME[group.state]
  const checkout = (query: string) => Taro.navigateTo({ url: `/pages/checkout/index?activityId=${group.activityId}&${query}` })
  // Signed in just now, the shopper may turn out to be in this group already: show it, don't check out again.
  const join = () =>
    requireSignIn(async () => {
      const fresh = await load(group.id)
      if (fresh && !fresh.myOrderId && fresh.seatsLeft > 0) await checkout(`groupId=${group.id}`)
    })
  const openAnother = () => requireSignIn(() => checkout(`tierSize=${group.size}`))
  const payNow = async () => {
    if (!unpaid) return
    setPaying(true)
    try {
      if (await payForOrder(await api.orders.payment(unpaid.id))) await load(group.id)
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '支付失败，请重试', icon: 'none' })
    } finally {
      setPaying(false)
    }
  }
  const others = activity?.openGroups?.filter((g) => g.id !== group.id) ?? []
  const full = group.state === 'open' && group.seatsLeft === 0
  const sameTier = activity?.tiers.find((t) => t.size === group.size)

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
            <Text className='group__outcome-text'>{group.myOrderId ? outcome.member : outcome.visitor}</Text>
          </View>
        ) : full ? (
          <View className='group__forming'>
            <Text className='group__forming-title'>名额已满，等待付款</Text>
            <Text className='group__countdown'>若 {heldLeft.replace('还剩 ', '')} 内未付款，名额将释放</Text>
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
              {m?.initiator ? <Text className='group__initiator'>开团人</Text> : null}
              <Text className='group__member'>{m ? (m.paid ? m.name : `${m.name} 等待付款`) : '待加入'}</Text>
            </View>
          ))}
        </View>
        {unpaid ? (
          <View className='group__pay'>
            <Button type='primary' block loading={paying} onClick={payNow} className='group__action group__continue'>
              继续支付 {formatFen(unpaid.price.payFen)}
            </Button>
            <Text className='group__pay-left'>请在 {payLeft.replace('还剩 ', '')} 内完成支付，超时名额将释放</Text>
          </View>
        ) : group.state === 'open' && group.myOrderId ? (
          <ShareButton page='pages/group/index' targetId={group.id} label='邀请好友参团' block className='group__action' />
        ) : group.state === 'open' && !full ? (
          <Button type='primary' block onClick={join} className='group__action'>
            {formatFen(group.priceFen)} 参与拼团
          </Button>
        ) : null}
        {group.myOrderId ? (
          <Button fill='none' block className='group__order' onClick={() => Taro.navigateTo({ url: `/pages/order/index?id=${group.myOrderId}` })}>
            查看我的订单 ›
          </Button>
        ) : null}
      </View>

      {!group.myOrderId && activity && (full || outcome) ? (
        <View className='group__panel group__elsewhere'>
          <Text className='group__elsewhere-title'>{others.length ? '这些团还差人，直接参与' : '这个团参与不了了，开个新团吧'}</Text>
          {others.map((g) => (
            <OpenGroupRow key={g.id} group={g} onJoin={() => requireSignIn(() => checkout(`groupId=${g.id}`))} />
          ))}
          {activity.state === 'active' && sameTier ? (
            <Button type='primary' block onClick={openAnother} className='group__action group__again'>
              再开一团 {formatFen(sameTier.priceFen)}
            </Button>
          ) : (
            <Text className='group__countdown'>活动{activity.state === 'sold_out' ? '已抢光' : '已结束'}</Text>
          )}
        </View>
      ) : null}
      {sheet}
    </View>
  )
}
