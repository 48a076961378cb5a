import { useEffect, useMemo, useState } from 'react'
import { Link } from 'react-router-dom'
import { Alert, Button, Card, Col, Row, Space, Statistic, Typography } from 'antd'
import { addDays, businessDay, formatFen, type DayFigures, type GrowthTrend, type Overview, type Permission } from '@xianlin/shared'
import { can, useSession } from '../session'
import { api, errorText } from '../api'
import { TrendChart } from '../components/TrendChart'
import { DayRange } from '../components/DayRange'
import { downloadCsv } from '../components/csv'

/** The figures on the overview, in the order operators read them. */
const FIGURES: Array<{ key: keyof Omit<DayFigures, 'day'>; label: string; money?: boolean; list?: (day: string) => string; permission?: Permission }> = [
  { key: 'newMembers', label: '新增会员', list: () => '/members', permission: 'members' },
  { key: 'checkins', label: '签到人数' },
  { key: 'paidOrders', label: '支付订单', list: (day) => `/orders?from=${day}&to=${day}`, permission: 'orders' },
  { key: 'paidFen', label: '支付金额', money: true, list: (day) => `/orders?from=${day}&to=${day}`, permission: 'orders' },
  { key: 'refundedFen', label: '退款金额', money: true, list: () => '/after-sales', permission: 'refunds' },
  { key: 'netFen', label: '净收入', money: true },
  { key: 'groupsSucceeded', label: '成团数', list: () => '/groupbuys?state=active', permission: 'activities' },
  { key: 'redemptions', label: '兑换券核销', list: () => '/audit?action=voucher.redeem', permission: 'audit' },
  { key: 'pickups', label: '提货核销' },
]

/** 概览: today's and yesterday's key figures, and the last two weeks as a trend. */
export function OverviewPage() {
  const { session } = useSession()
  const [data, setData] = useState<Overview | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    api.get('overview', '/api/admin/overview', { days: 14 }).then(setData, (err) => setError(errorText(err, '加载失败')))
  }, [])

  const series = useMemo(
    () => (data ? FIGURES.filter((f) => !f.money).map((f) => ({ name: f.label, values: data.days.map((d) => d[f.key]) })) : []),
    [data],
  )
  if (error) return <Alert type="error" showIcon message={error} />
  if (!data) return <Card loading />

  const today = data.days[data.days.length - 1]!
  const yesterday = data.days[data.days.length - 2]!
  const show = (f: (typeof FIGURES)[number], n: number) => (f.money ? formatFen(n) : n)

  return (
    <>
      <Row gutter={[16, 16]}>
        {FIGURES.map((f) => (
          <Col key={f.key} xs={12} md={8} xl={4}>
            <Card size="small" extra={f.list && f.permission && can(session, f.permission) && <Link to={f.list(today.day)}>查看</Link>}>
              <Statistic title={`今日${f.label}`} value={show(f, today[f.key])} />
              <Typography.Text type="secondary">
                昨日 {show(f, yesterday[f.key])}
              </Typography.Text>
            </Card>
          </Col>
        ))}
      </Row>
      <Card title="近 14 天趋势" style={{ marginTop: 16 }}>
        <TrendChart days={data.days.map((d) => d.day)} series={series} />
      </Card>
      <GrowthTrendCard timeZone={session.timeZone} />
    </>
  )
}

const TREND_COLUMNS: Array<{ key: keyof GrowthTrend['days'][number]; label: string }> = [
  { key: 'day', label: '日期' },
  { key: 'dau', label: '日活会员' },
  { key: 'wau', label: '周活会员' },
  { key: 'mau', label: '月活会员' },
  { key: 'newMembers', label: '新增会员' },
  { key: 'payingMembers', label: '付费会员' },
  { key: 'repeatPayingMembers', label: '复购会员' },
  { key: 'paidFen', label: '支付金额（分）' },
  { key: 'refundedFen', label: '退款金额（分）' },
  { key: 'netFen', label: '净收入（分）' },
  { key: 'averageOrderFen', label: '客单价（分）' },
]

/** 增长趋势: DAU/WAU/MAU, new and paying members over a chosen range (event rollups), money as 概览's cards, with a CSV export. */
function GrowthTrendCard({ timeZone }: { timeZone: string }) {
  const today = businessDay(new Date(), timeZone)
  const [range, setRange] = useState<[string, string]>([addDays(today, -29), today])
  const [trend, setTrend] = useState<GrowthTrend | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    setError(null)
    api.get('growthTrend', '/api/admin/analytics/trend', { from: range[0], to: range[1] }).then(setTrend, (err) => setError(errorText(err, '加载失败')))
  }, [range])

  const series = useMemo(
    () => (trend ? (['dau', 'wau', 'mau', 'newMembers', 'payingMembers', 'repeatPayingMembers'] as const).map((k) => ({ name: TREND_COLUMNS.find((c) => c.key === k)!.label, values: trend.days.map((d) => d[k]) })) : []),
    [trend],
  )
  const exportCsv = () => trend && downloadCsv(`增长趋势_${trend.from}_${trend.to}.csv`, [TREND_COLUMNS.map((c) => c.label), ...trend.days.map((d) => TREND_COLUMNS.map((c) => d[c.key]))])

  return (
    <Card
      title="增长趋势"
      style={{ marginTop: 16 }}
      extra={
        <Space>
          <DayRange value={range} onChange={setRange} today={today} />
          <Button onClick={exportCsv} disabled={!trend}>
            导出 CSV
          </Button>
        </Space>
      }
    >
      {error ? <Alert type="error" showIcon message={error} /> : trend ? <TrendChart days={trend.days.map((d) => d.day)} series={series} /> : null}
    </Card>
  )
}
