import { useMemo, useState } from 'react'
import { Link } from 'react-router-dom'
import { Alert, Empty, Segmented, Space, Typography } from 'antd'
import { ACTIVITY_KIND_LABELS, RETURNING_KINDS, addDays, type RetentionReport } from '@xianlin/shared'
import { api } from '../../api'
import { DayRange } from '../../components/DayRange'
import { EChart, type ChartOption } from '../../components/EChart'
import { downloadCsv } from '../../components/csv'
import { ReportToolbar, percent, useDayRange, useReport } from './report-kit'

export function Retention() {
  const { today, range, setRange } = useDayRange(84)
  const [returning, setReturning] = useState<RetentionReport['returning']>('any')
  const { data, error } = useReport(() => api.get('retention', '/api/admin/analytics/retention', { from: range[0], to: range[1], returning }), [range, returning])

  const option = useMemo<ChartOption | null>(() => {
    if (!data?.cohorts.length) return null
    const offsets = data.cohorts[0]!.offsets.map((o) => `第 ${o.offset} 天`)
    const cells = data.cohorts.flatMap((c, y) => c.offsets.map((o, x) => [x, y, o.rate === null ? '-' : Math.round(o.rate * 1000) / 10]))
    return {
      tooltip: { formatter: (p: { data: [number, number, number | string] }) => `${data.cohorts[p.data[1]]!.start} 起一周注册 ${data.cohorts[p.data[1]]!.size} 人<br/>${offsets[p.data[0]]}：${p.data[2] === '-' ? '未到' : `${p.data[2]}%`}` },
      grid: { left: 110, right: 24, top: 10, bottom: 70 },
      xAxis: { type: 'category', data: offsets, splitArea: { show: true } },
      yAxis: { type: 'category', data: data.cohorts.map((c) => `${c.start}（${c.size}人）`), inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max: 100, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, text: ['100%', '0%'], inRange: { color: ['#fff7e6', '#fa8c16', '#ad4e00'] } },
      series: [{ type: 'heatmap', data: cells, label: { show: true, formatter: (p: { data: [number, number, number | string] }) => (p.data[2] === '-' ? '—' : `${p.data[2]}%`) } }],
    }
  }, [data])

  const exportCsv = () =>
    data &&
    downloadCsv(`留存_${ACTIVITY_KIND_LABELS[data.returning]}_${data.from}_${data.to}.csv`, [
      ['注册周', '周一', '注册人数', ...data.cohorts[0]!.offsets.flatMap((o) => [`第${o.offset}天可统计`, `第${o.offset}天回访`, `第${o.offset}天留存率`])],
      ...data.cohorts.map((c) => [c.week, c.start, c.size, ...c.offsets.flatMap((o) => [o.eligible, o.retained, percent(o.rate)])]),
    ])

  return (
    <>
      <ReportToolbar onExport={exportCsv} canExport={Boolean(data?.cohorts.length)}>
        <DayRange value={range} onChange={setRange} today={today} />
        <span>回访行为</span>
        <Segmented value={returning} onChange={(v) => setReturning(v as RetentionReport['returning'])} options={RETURNING_KINDS.map((k) => ({ value: k, label: ACTIVITY_KIND_LABELS[k] }))} />
      </ReportToolbar>
      <Typography.Paragraph type="secondary">按注册所在周分组：注册后第 1、7、30 天有{ACTIVITY_KIND_LABELS[returning]}的会员占比。只统计已经过完的那一天，未到的格子显示“—”。</Typography.Paragraph>
      {error ? <Alert type="error" showIcon message={error} /> : option ? <EChart option={option} height={Math.max(240, 48 * data!.cohorts.length + 90)} /> : data ? <Empty description="这段时间没有新注册的会员" /> : null}
      {data && data.cohorts.length > 0 && (
        <Space wrap className="retention__cohorts">
          <span>查看每周注册的会员：</span>
          {data.cohorts.map((c) => {
            // The cohort's days inside the range, as the report counted them.
            const from = c.start < data.from ? data.from : c.start
            const to = addDays(c.start, 6) > data.to ? data.to : addDays(c.start, 6)
            return (
              <Link key={c.week} to={`/members?registeredFrom=${from}&registeredTo=${to}`}>
                {c.start} 起（{c.size} 人）
              </Link>
            )
          })}
        </Space>
      )}
    </>
  )
}
