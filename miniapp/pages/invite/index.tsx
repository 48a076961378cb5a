import { useState } from 'react'
import { View, Text, Canvas, Image } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Popup, Skeleton, Tag } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import { formatFen, type InviteSummary } from '@xianlin/shared'
import { api } from '../../api'
import LoginRequired from '../../components/LoginRequired'
import ShareButton from '../../components/ShareButton'
import { useSession } from '../../hooks/useSession'
import { useShareCard, useShareEntry } from '../../hooks/useShareCard'
import { useSignedInData } from '../../hooks/useSignedInData'
import { monthDay } from '../../utils/format'
import { makePoster, savePoster, POSTER_SIZE } from './poster'
import { useRules } from '../../hooks/useRules'
import { inviteeGiftText } from '../../utils/rule-copy'
import './index.scss'

type Friend = InviteSummary['friends'][number]
type FriendReward = Friend['rewards'][number]

const STAGES: Record<Friend['stage'], { text: string; color: string }> = {
  registered: { text: '已注册', color: '#999' },
  phone_bound: { text: '已绑手机', color: '#ff8a3d' },
  ordered: { text: '已下单', color: '#fa2c19' },
  picked_up: { text: '已提货', color: '#07a35a' },
}
const REWARD_NAMES: Record<FriendReward['kind'], string> = { phone: '绑手机奖励', first_order: '首单奖励' }
const WAITING_FOR: Record<FriendReward['kind'], string> = { phone: '待好友绑定手机号', first_order: '待好友首单自提' }
const REFUSALS: Record<NonNullable<FriendReward['reason']>, string> = {
  SAME_PHONE: '手机号与你或已获奖好友相同',
  SAME_OPENID: '该微信已领过奖励',
  SAME_UNIONID: '与你或已获奖好友为同一微信',
  SAME_DEVICE: '与你或已获奖好友为同一设备',
  REJECTED: '审核未通过',
  BUDGET_EXHAUSTED: '活动奖励已发完',
  DAILY_CAP: '已达每日奖励上限',
  WEEKLY_CAP: '已达每周奖励上限',
  LIFETIME_CAP: '已达奖励总上限',
}

/** Where one reward stands, in the shopper's words: `预计12月14日到账`, `未发放：已达每日奖励上限`. */
function rewardState(r: FriendReward): string {
  switch (r.state) {
    case 'waiting':
      return WAITING_FOR[r.kind]
    case 'pending':
      return r.until ? `预计${monthDay(r.until)}到账` : '发放中'
    case 'reviewing':
      return '审核中'
    case 'paid':
      return '已到账'
    case 'refused':
      return `未发放：${REFUSALS[r.reason!]}`
  }
}

const CANVAS_ID = 'invite-poster'

export default function InvitePage() {
  const { user } = useSession()
  const { signedIn, data, failed } = useSignedInData(() => api.invites.summary())
  const [poster, setPoster] = useState<string | null>(null)
  const [drawing, setDrawing] = useState(false)
  const rules = useRules()

  useShareEntry()
  useShareCard(() => ({ page: 'pages/index/index', title: rules ? `${user?.nickname ?? '好友'}送你${inviteeGiftText(rules)}，来${rules.brandName}一起拼` : `${user?.nickname ?? '好友'}邀你一起拼` }))

  if (!signedIn) return <LoginRequired what='邀请有礼' />
  if (failed) return <Empty status='error' description='加载失败，下拉刷新重试' />
  if (!data) return <Skeleton rows={10} animated className='invite__skeleton' />

  const showPoster = async () => {
    setDrawing(true)
    try {
      setPoster(await makePoster({ nickname: user?.nickname ?? '鲜邻好友', code: data.code, slogan: `首单送 ${formatFen(data.rewards.inviteeCouponFen, { trimZeros: true })} 无门槛券` }, CANVAS_ID))
    } catch (err) {
      Taro.showToast({ title: err instanceof Error ? err.message : '海报生成失败，请重试', icon: 'none' })
    } finally {
      setDrawing(false)
    }
  }

  const copyCode = () => Taro.setClipboardData({ data: data.code }).catch(() => undefined)
  const next = data.milestones.find((m) => !m.reached)

  return (
    <View className='invite'>
      <View className='invite__hero'>
        <Text className='invite__title'>邀好友 · 一起省</Text>
        <Text className='invite__subtitle'>
          好友首单你得 {data.rewards.firstOrderPoints} 积分，好友得 {formatFen(data.rewards.inviteeCouponFen, { trimZeros: true })} 无门槛券
        </Text>
        <View className='invite__code-card'>
          <Text className='invite__code-label'>我的邀请码</Text>
          <Text className='invite__code' onClick={copyCode}>
            {data.code}
          </Text>
          <View className='invite__actions'>
            <ShareButton page='pages/index/index' label='分享给好友' className='invite__share' />
            <Button fill='outline' type='primary' loading={drawing} onClick={showPoster} className='invite__poster-button'>
              生成海报
            </Button>
          </View>
        </View>
      </View>

      <View className='invite__panel'>
        <View className='invite__counts'>
          <View className='invite__count'>
            <Text className='invite__count-value'>{data.invited}</Text>
            <Text className='invite__count-label'>已邀请</Text>
          </View>
          <View className='invite__count'>
            <Text className='invite__count-value'>{data.ordered}</Text>
            <Text className='invite__count-label'>已下单</Text>
          </View>
          <View className='invite__count'>
            <Text className='invite__count-value'>{data.succeeded}</Text>
            <Text className='invite__count-label'>首单已满售后期</Text>
          </View>
        </View>
        <View className='invite__milestones'>
          {data.milestones.map((m) => (
            <View key={m.invitations} className={m.reached ? 'invite__milestone invite__milestone--reached' : 'invite__milestone'}>
              <Text className='invite__milestone-points'>+{m.points}</Text>
              <Text className='invite__milestone-goal'>邀满 {m.invitations} 人</Text>
              <Text className='invite__milestone-state'>{m.reached ? '已达成' : '未达成'}</Text>
            </View>
          ))}
        </View>
        {next ? (
          <Text className='invite__next'>
            再邀 {next.invitations - data.succeeded} 位好友完成首单，可得 {next.points} 积分
          </Text>
        ) : (
          <Text className='invite__next'>所有阶梯奖励已达成，感谢你把鲜邻优选分享给邻居</Text>
        )}
      </View>

      <View className='invite__panel'>
        <Text className='invite__panel-title'>我邀请的好友</Text>
        {data.friends.length ? (
          data.friends.map((f, i) => (
            <View key={`${f.at}-${i}`} className='invite__friend'>
              <View className='invite__friend-avatar'>{Array.from(f.name)[0] ?? '友'}</View>
              <View className='invite__friend-body'>
                <View className='invite__friend-head'>
                  <Text className='invite__friend-name'>{f.name}</Text>
                  <Text className='invite__friend-date'>{monthDay(f.at)}受邀</Text>
                  <Tag background='transparent' color={STAGES[f.stage].color} className='invite__friend-stage'>
                    {STAGES[f.stage].text}
                  </Tag>
                </View>
                {f.rewards
                  .filter((r) => r.points > 0)
                  .map((r) => (
                    <View key={r.kind} className={`invite__friend-reward invite__friend-reward--${r.state}`}>
                      <Text>
                        {REWARD_NAMES[r.kind]} {r.points} 积分
                      </Text>
                      <Text className='invite__friend-reward-state'>{rewardState(r)}</Text>
                    </View>
                  ))}
              </View>
            </View>
          ))
        ) : (
          <Text className='invite__empty'>还没有好友接受邀请，分享给邻居试试吧</Text>
        )}
      </View>

      <View className='invite__panel invite__rules'>
        <Text className='invite__panel-title'>活动规则</Text>
        <Text className='invite__rule'>1. 好友通过你的分享或海报首次进入并登录，即与你绑定，绑定后不可更改。</Text>
        <Text className='invite__rule'>
          2. 好友绑定手机号，你得 {data.rewards.phoneBoundPoints} 积分；好友完成首单且过了 {rules?.orders.refundWindowDays ?? '--'} 天售后期，你得 {data.rewards.firstOrderPoints} 积分，好友得 {formatFen(data.rewards.inviteeCouponFen, { trimZeros: true })} 无门槛券；首单在售后期内退款的，本次奖励取消。
        </Text>
        <Text className='invite__rule'>3. 累计邀请 {data.milestones.map((m) => m.invitations).join('、')} 位好友完成首单，可额外获得阶梯积分。</Text>
        <Text className='invite__rule'>4. 已注册超过 {rules?.referral.bindWithinHours ?? '--'} 小时的用户、自己邀请自己、互相邀请均不计入；与你或已获奖好友同一手机号、同一微信或同一设备的账号不发奖励，异常邀请将人工审核；奖励以系统记录为准。</Text>
      </View>

      {process.env.TARO_ENV === 'weapp' ? (
        <Canvas type='2d' id={CANVAS_ID} className='invite__canvas' style={{ width: `${POSTER_SIZE.width}px`, height: `${POSTER_SIZE.height}px` }} />
      ) : null}

      <Popup visible={poster !== null} round closeable onClose={() => setPoster(null)} className='invite__poster-popup'>
        <View className='invite__poster'>
          {poster ? <Image src={poster} mode='aspectFit' className='invite__poster-image' showMenuByLongpress /> : null}
          <Button type='primary' block onClick={() => poster && savePoster(poster)} className='invite__poster-save'>
            {process.env.TARO_ENV === 'weapp' ? '保存到相册' : '保存海报'}
          </Button>
        </View>
      </Popup>
    </View>
  )
}
