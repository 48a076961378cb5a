import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button, Skeleton } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import { formatFen, type ActivityView } from '@xianlin/shared'
import { api } from '../../api'
import ShareButton from '../../components/ShareButton'
import { useCountdown } from '../../hooks/useCountdown'
import { useShareCard, useShareEntry } from '../../hooks/useShareCard'
import { useSignInGate } from '../../components/SignInSheet'
import OpenGroupRow from '../../components/OpenGroupRow'
import Cover from '../../components/Cover'
import { useRules } from '../../hooks/useRules'
import { initiatorCouponText } from '../../utils/rule-copy'
import { dateTime, monthDay } from '../../utils/format'
import './index.scss'

/** A countdown while the end is near; further off, the day it ends (not "距结束 364 天"). */
function endsText(endsAt: string, countdown: string): string {
  return Date.parse(endsAt) - Date.now() > 3 * 86_400_000 ? `${monthDay(endsAt)}结束` : `距结束 ${countdown.replace('还剩 ', '')}`
}

/** One activity: its tiers, groups forming now to join, and opening a new group. */
export default function GroupBuyPage() {
  const [id, setId] = useState('')
  const [activity, setActivity] = useState<ActivityView | null>(null)
  const [failed, setFailed] = useState(false)
  const [size, setSize] = useState<number | null>(null)
  const ends = useCountdown(activity?.endsAt ?? null)
  const { requireSignIn, sheet } = useSignInGate('登录后拼团')
  const rules = useRules()

  const load = (activityId: string) =>
    api.groupbuys
      .get(activityId)
      .then((res) => setActivity(res.activity))
      .catch(() => setFailed(true))
  useShareEntry((params) => {
    setId(params.id ?? '')
    void load(params.id ?? '')
  })
  useDidShow(() => id && void load(id))
  useShareCard(() => ({ page: 'pages/groupbuy/index', targetId: id, title: activity ? `${activity.title}，拼团只要 ${formatFen(activity.tiers[activity.tiers.length - 1]!.priceFen)}` : '鲜邻优选拼团' }))

  if (failed) return <Empty status='error' description='活动不存在或已结束' />
  if (!activity) return <Skeleton rows={10} animated className='activity__skeleton' />
  const tier = activity.tiers.find((t) => t.size === size) ?? activity.tiers[0]!
  const go = (query: string) => requireSignIn(() => Taro.navigateTo({ url: `/pages/checkout/index?activityId=${activity.id}&${query}` }))
  // 优先购: before it opens to everyone, the early window is open to the early-access level (the server decides who).
  const earlyOpen = activity.state === 'upcoming' && activity.earlyAccess !== null && Date.parse(activity.earlyAccess.opensAt) <= Date.now()
  const selling = activity.state === 'active' || earlyOpen

  return (
    <View className='activity'>
      <Cover cover={activity.product.cover} className='activity__cover' emojiClassName='activity__emoji' size='medium' />
      <View className='activity__price-bar'>
        <View className='activity__price-main'>
          <Text className='activity__price'>{formatFen(tier.priceFen)}</Text>
          <Text className='activity__list-price'>单买 {formatFen(activity.listPriceFen)}</Text>
        </View>
        <View className='activity__price-side'>
          <Text className='activity__badge'>{tier.size}人团</Text>
          <Text className='activity__ends'>{endsText(activity.endsAt, ends)}</Text>
        </View>
      </View>
      <View className='activity__panel'>
        <Text className='activity__name'>{activity.title}</Text>
        <Text className='activity__sub'>{activity.product.subtitle}</Text>
        {activity.tiers.length > 1 ? (
          <View className='activity__tiers'>
            {activity.tiers.map((t) => (
              <View key={t.size} className={t.size === tier.size ? 'activity__tier activity__tier--on' : 'activity__tier'} onClick={() => setSize(t.size)}>
                <Text className='activity__tier-size'>{t.size}人团</Text>
                <Text className='activity__tier-price'>{formatFen(t.priceFen)}</Text>
              </View>
            ))}
          </View>
        ) : null}
        {activity.state === 'upcoming' ? (
          <Text className='activity__early'>
            {activity.earlyAccess ? `${activity.earlyAccess.levelName}优先购 · ${dateTime(activity.earlyAccess.opensAt)} 起；` : ''}
            {dateTime(activity.startsAt)} 全员开抢
          </Text>
        ) : null}
        <View className='activity__facts'>
          <Text>剩余 {activity.stockLeft} 份</Text>
          <Text>每人限 {activity.perUserLimit} 份</Text>
          <Text>{activity.groupHours} 小时内成团</Text>
        </View>
      </View>

      <View className='activity__panel'>
        <Text className='activity__panel-title'>正在拼团，可直接参与</Text>
        {activity.openGroups?.length ? (
          activity.openGroups.map((g) => <OpenGroupRow key={g.id} group={g} onJoin={() => go(`groupId=${g.id}`)} />)
        ) : (
          <Text className='activity__none'>暂时没有待成团的团，开个团邀请邻居一起拼吧</Text>
        )}
      </View>

      <View className='activity__panel'>
        <Text className='activity__panel-title'>拼团规则</Text>
        <Text className='activity__rule'>1. 开团并支付后分享给好友，{activity.groupHours} 小时内凑齐 {tier.size} 人即拼团成功。</Text>
        <Text className='activity__rule'>2. 成团后凭提货码到所选门店自提{rules ? `；${initiatorCouponText(rules)}` : ''}。</Text>
        <Text className='activity__rule'>3. 未成团自动原路退款，优惠券与积分同时退回。</Text>
      </View>

      <View className='activity__bar'>
        <ShareButton page='pages/groupbuy/index' targetId={activity.id} label='分享' type='default' className='activity__share' />
        <Button type='primary' disabled={!selling} onClick={() => go(`tierSize=${tier.size}`)} className='activity__open'>
          {earlyOpen ? `优先购 ${formatFen(tier.priceFen)} 开团` : selling ? `${formatFen(tier.priceFen)} 发起${tier.size}人团` : activity.state === 'sold_out' ? '已抢光' : activity.state === 'upcoming' ? '即将开始' : '暂不可拼'}
        </Button>
      </View>
      {sheet}
    </View>
  )
}
