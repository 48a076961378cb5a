import { useEffect, useState } from 'react'
import { Picker, View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { BirthdayView } from '@xianlin/shared'
import { Progress, Skeleton, Tag } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import { Check } from '@nutui/icons-react-taro'
import { api, ApiError } from '../../api'
import LoginRequired from '../../components/LoginRequired'
import { useSignedInData } from '../../hooks/useSignedInData'
import { monthDay } from '../../utils/format'
import { useRules } from '../../hooks/useRules'
import './index.scss'

/** Card colours by level rank: regular, silver, gold, diamond (and beyond). */
const CARD_TINTS = [
  'linear-gradient(135deg, #8c8c8c, #595959)',
  'linear-gradient(135deg, #b8c6d6, #7f8fa6)',
  'linear-gradient(135deg, #f5d48c, #c99a3c)',
  'linear-gradient(135deg, #6a5acd, #2f2a6b)',
]

export default function MembershipPage() {
  const { signedIn, data: view, failed } = useSignedInData(api.membership)
  const rules = useRules()

  if (!signedIn) return <LoginRequired what='会员等级' />
  if (failed) return <Empty status='network' description='网络不给力，下拉刷新试试' />
  if (!view) return <Skeleton rows={8} animated className='membership__skeleton' />

  const current = view.levels[view.level.rank]!
  const percent = view.next ? Math.min(100, Math.floor(((view.growth - current.minGrowth) / (view.next.minGrowth - current.minGrowth)) * 100)) : 100

  return (
    <View className='membership'>
      <View className='membership__card' style={{ background: CARD_TINTS[Math.min(view.level.rank, CARD_TINTS.length - 1)] }}>
        <Text className='membership__level'>{view.level.name}</Text>
        <Text className='membership__growth'>成长值 {view.growth}</Text>
        <Progress percent={percent} color='#fff' background='rgba(255,255,255,0.3)' strokeWidth='6' className='membership__progress' />
        <Text className='membership__next'>
          {view.next ? `再获得 ${view.next.growthNeeded} 成长值升级为${view.next.name}` : '您已是最高等级会员'}
        </Text>
        {view.downgradeWarning ? (
          <Text className='membership__warning'>近 {view.downgradeWarning.windowDays} 天成长值不足，{monthDay(view.downgradeWarning.on)}后等级将调整</Text>
        ) : null}
      </View>

      <View className='membership__panel'>
        <Text className='membership__title'>如何获得成长值</Text>
        <View className='membership__ways'>
          {rules ? <Text>购物每 1 元 +{rules.growth.perYuanPaid}</Text> : null}
          {rules ? <Text>每日签到 +{rules.growth.checkin}</Text> : null}
          {rules?.growth.firstOrder ? <Text>首单完成 +{rules.growth.firstOrder}</Text> : null}
          {rules?.growth.review ? <Text>评价晒单 +{rules.growth.review}</Text> : null}
        </View>
      </View>

      {rules?.perks.birthday ? <BirthdayPanel levelName={view.levels.find((l) => l.key === rules.perks.birthday!.minLevel)?.name ?? ''} /> : null}

      {view.levels.map((level) => (
        <View key={level.key} className={`membership__panel ${level.rank === view.level.rank ? 'membership__panel--current' : ''}`}>
          <View className='membership__level-head'>
            <Text className='membership__title'>{level.name}</Text>
            {level.rank === view.level.rank ? (
              <Tag type='danger'>当前等级</Tag>
            ) : (
              <Text className='membership__threshold'>成长值 {level.minGrowth}</Text>
            )}
          </View>
          {/* A tick only for what the member has: a level not reached shows what it would bring. */}
          {level.benefits.map((b) => (
            <View key={b} className={`membership__benefit ${level.rank <= view.level.rank ? '' : 'membership__benefit--locked'}`}>
              {level.rank <= view.level.rank ? <Check size={14} color='#fa2c19' /> : <Text className='membership__benefit-dot'>·</Text>}
              <Text className='membership__benefit-text'>{b}</Text>
            </View>
          ))}
        </View>
      ))}
    </View>
  )
}

const MONTHS = Array.from({ length: 12 }, (_, i) => `${i + 1}月`)

/** 生日: set once (month and day), changeable once a year; the birthday coupon is a level perk. */
function BirthdayPanel({ levelName }: { levelName: string }) {
  const [view, setView] = useState<BirthdayView | null>(null)
  /** The month the picker's first column is on: its days follow it. */
  const [month, setMonth] = useState(6)
  useEffect(() => {
    void api.birthday.get().then((v) => {
      setView(v)
      if (v.birthday) setMonth(v.birthday.month)
    }, () => setView(null))
  }, [])
  if (!view) return null
  const save = async (month: number, day: number) => {
    const { confirm } = await Taro.showModal({ title: '设置生日', content: `生日设为 ${month}月${day}日？设置后一年内只能修改一次`, confirmText: '确定' })
    if (!confirm) return
    try {
      setView(await api.birthday.set({ month: month!, day: day! }))
      Taro.showToast({ title: '生日已保存', icon: 'success' })
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '保存失败，请重试', icon: 'none' })
    }
  }
  const b = view.birthday
  const day = b?.day ?? 15
  // Month and day only (a birthday has no year here); the days follow the month, 2月 up to 29日.
  const daysIn = (m: number) => [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!
  const days = Array.from({ length: daysIn(month) }, (_, i) => `${i + 1}日`)
  const picker = (
    <Picker
      mode='multiSelector'
      range={[MONTHS, days]}
      value={[month - 1, Math.min(day, daysIn(month)) - 1]}
      onColumnChange={(e) => e.detail.column === 0 && setMonth(e.detail.value + 1)}
      onChange={(e) => {
        const [m, d] = e.detail.value as number[]
        void save(m! + 1, Math.min(d! + 1, daysIn(m! + 1)))
      }}
    >
      <Text className='membership__birthday-action'>{b ? '修改' : '去设置'}</Text>
    </Picker>
  )
  return (
    <View className='membership__panel'>
      <View className='membership__level-head'>
        <Text className='membership__title'>我的生日</Text>
        {b && view.changeableFrom ? <Text className='membership__threshold'>{monthDay(view.changeableFrom)}后可修改</Text> : picker}
      </View>
      <Text className='membership__birthday'>{b ? `${b.month}月${b.day}日` : '未设置'}</Text>
      <Text className='membership__threshold'>{levelName}及以上会员生日当天可领生日礼券</Text>
    </View>
  )
}
