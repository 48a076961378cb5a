import { useCallback, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { Empty, Skeleton } from '@nutui/nutui-react-taro'
import type { LedgerEntryView, PointsSummary } from '@xianlin/shared'
import { api } from '../../api'
import LoginRequired from '../../components/LoginRequired'
import { session } from '../../utils/session'
import { dateTime, fullDate } from '../../utils/format'
import './index.scss'

export default function PointsPage() {
  const [signedIn, setSignedIn] = useState(() => Boolean(session.accessToken()))
  const [summary, setSummary] = useState<PointsSummary | null>(null)
  const [entries, setEntries] = useState<LedgerEntryView[]>([])
  const [cursor, setCursor] = useState<number | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const [failed, setFailed] = useState(false)

  const reload = useCallback(async () => {
    setFailed(false)
    try {
      const [s, page] = await Promise.all([api.points.summary(), api.points.ledger()])
      setSummary(s)
      setEntries(page.entries)
      setCursor(page.nextCursor)
    } catch {
      setFailed(true)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [])

  useDidShow(() => {
    const has = Boolean(session.accessToken())
    setSignedIn(has)
    if (has) void reload()
  })
  usePullDownRefresh(() => void reload())
  // Infinite scroll: the next page when the list reaches the bottom.
  useReachBottom(async () => {
    if (!cursor || loadingMore) return
    setLoadingMore(true)
    try {
      const page = await api.points.ledger(cursor)
      setEntries((list) => [...list, ...page.entries])
      setCursor(page.nextCursor)
    } finally {
      setLoadingMore(false)
    }
  })

  if (!signedIn) return <LoginRequired what='积分' />
  if (failed) return <Empty status='network' description='网络不给力，下拉刷新试试' />
  if (!summary) return <Skeleton rows={8} animated className='points__skeleton' />

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
        <Text className='points__rule'>100 积分可抵 1 元 · 积分自获得起 365 天有效</Text>
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
