import { useMemo, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Skeleton, Switch } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import { Gift } from '@nutui/icons-react-taro'
import { api, ApiError } from '../../api'
import LoginRequired from '../../components/LoginRequired'
import { useShareCard, useShareEntry } from '../../hooks/useShareCard'
import { useSignedInData } from '../../hooks/useSignedInData'
import { monthDay } from '../../utils/format'
import Calendar from './Calendar'
import { useRules } from '../../hooks/useRules'
import { checkinBonusText } from '../../utils/rule-copy'
import './index.scss'

const REFUSALS: Record<string, string> = {
  BUDGET_EXHAUSTED: '本期签到积分已发完，签到照常累计',
  DAILY_CAP: '今日签到奖励已达上限',
  WEEKLY_CAP: '本周签到奖励已达上限',
  LIFETIME_CAP: '签到奖励已达上限',
}

export default function CheckinPage() {
  const { signedIn, data, setData, failed, reload: load } = useSignedInData(() => api.checkins.month())
  useShareEntry()
  const rules = useRules()
  useShareCard(() => ({ page: 'pages/checkin/index', title: rules ? `每天签到领积分，${checkinBonusText(rules)}` : '每天签到领积分' }))
  const [busy, setBusy] = useState(false)

  const checked = useMemo(() => new Map(data?.days.map((d) => [d.day, { makeup: d.makeup }]) ?? []), [data])

  const checkIn = async () => {
    setBusy(true)
    try {
      const { checkin } = await api.checkins.checkIn()
      const title = checkin.rewardRefused ? REFUSALS[checkin.rewardRefused] ?? '签到成功' : `签到成功 +${checkin.points} 积分`
      Taro.showToast({ title, icon: checkin.rewardRefused ? 'none' : 'success' })
      await load()
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '签到失败，请重试', icon: 'none' })
    } finally {
      setBusy(false)
    }
  }

  const makeup = async (day: string) => {
    if (!data) return
    const left = data.makeup.allowed - data.makeup.used
    if (left <= 0) return Taro.showToast({ title: '本月补签次数已用完', icon: 'none' })
    // Only offer 确认补签 when the points are there; otherwise say how many are missing.
    const available = await api.points.summary().then((s) => s.available, () => null)
    if (available !== null && available < data.makeup.costPoints) {
      await Taro.showModal({ title: '积分不足', content: `补签需要 ${data.makeup.costPoints} 积分，你现在有 ${available} 积分。每天签到、邀请好友都能攒积分`, showCancel: false, confirmText: '知道了' })
      return
    }
    const { confirm } = await Taro.showModal({
      title: `补签${monthDay(day)}`,
      content: `消耗 ${data.makeup.costPoints} 积分，本月还可补签 ${left} 次`,
      confirmText: '确认补签',
      confirmColor: '#fa2c19',
    })
    if (!confirm) return
    try {
      await api.checkins.makeup(day)
      Taro.showToast({ title: '补签成功', icon: 'success' })
      await load()
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '补签失败', icon: 'none' })
    }
  }

  const toggleReminder = async (enabled: boolean) => {
    let templateId: string | undefined
    if (enabled && process.env.TARO_ENV === 'weapp' && data?.reminderTemplateId) {
      // Each consent lets us send one reminder (WECHAT.md, Subscribe messages).
      const res = (await Taro.requestSubscribeMessage({ tmplIds: [data.reminderTemplateId] } as Taro.requestSubscribeMessage.Option)) as unknown as Record<string, string>
      if (res[data.reminderTemplateId] !== 'accept') return
      templateId = data.reminderTemplateId
    }
    await api.checkins.reminder({ enabled, templateId })
    setData((d) => (d ? { ...d, reminder: enabled } : d))
    Taro.showToast({ title: enabled ? '已开启签到提醒' : '已关闭签到提醒', icon: 'none' })
  }

  if (!signedIn) return <LoginRequired what='签到日历' />
  if (failed) return <Empty status='network' description='网络不给力，下拉刷新试试' />
  if (!data) return <Skeleton rows={10} animated className='checkin__skeleton' />

  return (
    <View className='checkin'>
      <View className='checkin__hero'>
        <Text className='checkin__streak-label'>已连续签到</Text>
        <View>
          <Text className='checkin__streak'>{data.streak}</Text>
          <Text className='checkin__streak-unit'>天</Text>
        </View>
        {data.checkedToday ? (
          <View className='checkin__button checkin__button--done'>今日已签到 ✓</View>
        ) : (
          <Button className='checkin__button' shape='round' loading={busy} onClick={checkIn}>
            签到领 {data.nextReward.points} 积分
          </Button>
        )}
        <Text className='checkin__hint'>
          {data.checkedToday ? `明天签到可得 ${data.nextReward.points} 积分` : `连签 ${data.cycle.length} 天额外奖励 ${data.cycle[data.cycle.length - 1]! - data.cycle[0]!} 积分`}
        </Text>
      </View>

      <View className='checkin__panel'>
        <Text className='checkin__title'>签到奖励</Text>
        <View className='checkin__cycle'>
          {data.cycle.map((points, i) => {
            const done = i < data.nextReward.cycleDay - 1 // days of this cycle already checked
            const isBonus = i === data.cycle.length - 1
            return (
              <View key={i} className={`checkin__cycle-day ${done ? 'checkin__cycle-day--done' : ''} ${isBonus ? 'checkin__cycle-day--bonus' : ''}`}>
                {isBonus ? <Gift size={16} color={done ? '#fff' : '#fa2c19'} /> : null}
                <Text className='checkin__cycle-points'>+{points}</Text>
                <Text className='checkin__cycle-label'>第{i + 1}天</Text>
              </View>
            )
          })}
        </View>
      </View>

      <View className='checkin__panel'>
        <View className='checkin__panel-head'>
          <Text className='checkin__title'>{Number(data.month.slice(5))}月签到</Text>
          <Text className='checkin__makeup-left'>
            点击漏签日期补签 · 本月剩 {data.makeup.allowed - data.makeup.used} 次
          </Text>
        </View>
        <Calendar month={data.month} today={data.today} checked={checked} makeupFrom={data.makeup.from} canMakeUp={data.makeup.allowed > data.makeup.used} onMissedDay={makeup} />
      </View>

      <View className='checkin__panel checkin__reminder'>
        <View>
          <Text className='checkin__title'>签到提醒</Text>
          <Text className='checkin__reminder-hint'>每晚提醒，不错过连签奖励</Text>
        </View>
        <Switch checked={data.reminder} onChange={(v) => void toggleReminder(v)} />
      </View>
    </View>
  )
}
