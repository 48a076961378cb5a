import { useMemo } from 'react'
import { Alert, Col, Row, Statistic, Typography } from 'antd'
import { STREAK_BUCKETS } from '@xianlin/shared'
import { api } from '../../api'
import { DayRange } from '../../components/DayRange'
import { EChart, type ChartOption } from '../../components/EChart'
import { downloadCsv } from '../../components/csv'
import { ReportToolbar, percent, useDayRange, useReport } from './report-kit'

export function Checkins() {
  const { today, range, setRange } = useDayRange(30)
  const { data, error } = useReport(() => api.get('checkinReport', '/api/admin/analytics/checkins', { from: range[0], to: range[1] }), [range])
  const option = useMemo<ChartOption | null>(
    () =>
      data && {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 40, right: 24, top: 40, bottom: 30 },
        xAxis: { type: 'category', data: data.days.map((d) => d.day.slice(5)) },
        yAxis: { type: 'value', minInterval: 1 },
        series: STREAK_BUCKETS.map((b) => ({ name: `连签 ${b.label}`, type: 'bar', stack: 'streak', data: data.days.map((d) => d.byStreak[b.key]) })),
      },
    [data],
  )
  const sum = (pick: (d: NonNullable<typeof data>['days'][number]) => number) => data!.days.reduce((n, d) => n + pick(d), 0)

  const exportCsv = () =>
    data &&
    downloadCsv(`签到_${data.from}_${data.to}.csv`, [
      ['日期', '签到人次', '补签次数', ...STREAK_BUCKETS.map((b) => `连签${b.label}`)],
      ...data.days.map((d) => [d.day, d.checkins, d.makeups, ...STREAK_BUCKETS.map((b) => d.byStreak[b.key])]),
    ])

  return (
    <>
      <ReportToolbar onExport={exportCsv} canExport={Boolean(data)}>
        <DayRange value={range} onChange={setRange} today={today} />
      </ReportToolbar>
      {error ? (
        <Alert type="error" showIcon message={error} />
      ) : data && option ? (
        <>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col span={6}>
              <Statistic title="签到人次" value={sum((d) => d.checkins)} />
            </Col>
            <Col span={6}>
              <Statistic title="补签次数" value={sum((d) => d.makeups)} />
            </Col>
            <Col span={12}>
              <Statistic
                title={`签到会员 ${data.conversion.windowDays} 天内下单`}
                value={data.conversion.checkedIn ? `${data.conversion.paid} / ${data.conversion.checkedIn}（${percent(data.conversion.paid / data.conversion.checkedIn)}）` : '—'}
              />
            </Col>
          </Row>
          <Typography.Paragraph type="secondary">每天的签到按当天达到的连续签到天数分段。</Typography.Paragraph>
          <EChart option={option} />
        </>
      ) : null}
    </>
  )
}
