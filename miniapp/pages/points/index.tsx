import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { useReachBottom } from '@tarojs/taro'
import { Skeleton } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import { api } from '../../api'
import LoginRequired from '../../components/LoginRequired'
import { useSignedInData } from '../../hooks/useSignedInData'
import { dateTime, fullDate } from '../../utils/format'
import { useRules } from '../../hooks/useRules'
import { pointsValueText } from '../../utils/rule-copy'
import './index.scss'

export default function PointsPage() {
  const { signedIn, data, setData, failed } = useSignedInData(async () => {
    const [summary, page] = await Promise.all([api.points.summary(), api.points.ledger()])
    return { summary, entries: page.entries, cursor: page.nextCursor }
  })
  const [loadingMore, setLoadingMore] = useState(false)
  const rules = useRules()
  // Infinite scroll: the next page when the list reaches the bottom.
  useReachBottom(async () => {
    if (!data?.cursor || loadingMore) return
    setLoadingMore(true)
    try {
      const page = await api.points.ledger(data.cursor)
      setData((d) => (d ? { ...d, entries: [...d.entries, ...page.entries], cursor: page.nextCursor } : d))
    } finally {
      setLoadingMore(false)
    }
  })

  if (!signedIn) return <LoginRequired what='积分' />
  if (failed) return <Empty status='network' description='网络不给力，下拉刷新试试' />
  if (!data) return <Skeleton rows={8} animated className='points__skeleton' />
  const { summary, entries, cursor } = data

  return (
    <View className='points'>
      <View className='points__card'>
        <Text className='points__label'>可用积分</Text>
        <Text className='points__balance'>{summary.available}</Text>
        <View className='points__meta'>
          <Text>待入账 {summary.pending}</Text>
          {summary.nextExpiry ? (
            <Text className='points__expiry'>
              {summary.nextExpiry.points} 积分将于 {fullDate(summary.nextExpiry.day)} 过期
            </Text>
          ) : null}
        </View>
        {summary.negative ? <Text className='points__negative'>有退款扣回的积分待补足，补足前暂不能使用积分</Text> : null}
        {rules ? <Text className='points__rule'>{pointsValueText(rules)} · 积分自获得起 {rules.points.expiryDays} 天有效</Text> : null}
      </View>

      <View className='points__list'>
        <Text className='points__list-title'>积分明细</Text>
        {entries.length === 0 ? (
          <Empty description='还没有积分记录，去签到领积分吧' />
        ) : (
          entries.map((e) => {
            const change = e.amount !== 0 ? e.amount : e.pendingChange
            return (
              <View key={e.id} className='points__row'>
                <View className='points__row-main'>
                  <Text className='points__row-title'>
                    {e.title}
                    {e.amount === 0 && e.pendingChange > 0 ? '（待入账）' : ''}
                  </Text>
                  <Text className='points__row-time'>{dateTime(e.at)}</Text>
                </View>
                <Text className={`points__row-amount ${change > 0 ? 'points__row-amount--in' : ''}`}>
                  {change > 0 ? `+${change}` : change}
                </Text>
              </View>
            )
          })
        )}
        {entries.length > 0 ? <Text className='points__end'>{cursor ? (loadingMore ? '加载中…' : '上滑加载更多') : '没有更多了'}</Text> : null}
      </View>
    </View>
  )
}
