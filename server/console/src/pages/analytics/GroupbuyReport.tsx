import { useMemo } from 'react'
import { Alert, Empty, Table, Typography } from 'antd'
import { api } from '../../api'
import { DayRange } from '../../components/DayRange'
import { EChart, type ChartOption } from '../../components/EChart'
import { downloadCsv } from '../../components/csv'
import { ReportToolbar, percent, useDayRange, useReport } from './report-kit'

/** Minutes as 1 小时 20 分 (or 45 分). */
const duration = (minutes: number | null) => (minutes === null ? '—' : minutes >= 60 ? `${Math.floor(minutes / 60)} 小时 ${minutes % 60} 分` : `${minutes} 分`)

export function Groupbuys() {
  const { today, range, setRange } = useDayRange(30)
  const { data, error } = useReport(() => api.get('groupbuyReport', '/api/admin/analytics/groupbuys', { from: range[0], to: range[1] }), [range])
  const rows = useMemo(() => (data ? data.rows.map((r) => ({ ...r, key: `${r.activityId}:${r.size}`, name: `${r.title ?? `已删除的活动 ${r.activityId.slice(-6)}`} · ${r.size} 人团`, rate: r.succeeded / (r.succeeded + r.failed) })) : []), [data])
  const option = useMemo<ChartOption | null>(
    () =>
      rows.length
        ? {
            tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
            grid: { left: 200, right: 40, top: 10, bottom: 30 },
            xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
            yAxis: { type: 'category', data: rows.map((r) => r.name), inverse: true },
            series: [{ name: '成团率', type: 'bar', data: rows.map((r) => Math.round(r.rate * 1000) / 10), label: { show: true, position: 'right', formatter: '{c}%' } }],
          }
        : null,
    [rows],
  )

  const exportCsv = () =>
    data &&
    downloadCsv(`拼团_${data.from}_${data.to}.csv`, [
      ['活动', '成团人数', '成团', '未成团', '成团率', '自动成团', '平均成团用时（分钟）'],
      ...rows.map((r) => [r.title ?? `已删除的活动 ${r.activityId}`, r.size, r.succeeded, r.failed, percent(r.rate), r.autoFilled, r.averageFillMinutes]),
    ])

  return (
    <>
      <ReportToolbar onExport={exportCsv} canExport={Boolean(data)}>
        <DayRange value={range} onChange={setRange} today={today} />
      </ReportToolbar>
      <Typography.Paragraph type="secondary">按结束日期统计这段时间内结束的团：成团、到期未成团，其中差一人自动成团的数量，以及从开团到成团的平均用时。</Typography.Paragraph>
      {error ? (
        <Alert type="error" showIcon message={error} />
      ) : data ? (
        rows.length ? (
          <>
            <EChart option={option!} height={Math.max(200, 40 * rows.length + 60)} />
            <Table
              rowKey="key"
              size="small"
              pagination={false}
              style={{ marginTop: 16 }}
              dataSource={rows}
              columns={[
                { title: '活动', dataIndex: 'name' },
                { title: '成团', dataIndex: 'succeeded' },
                { title: '未成团', dataIndex: 'failed' },
                { title: '成团率', render: (_: unknown, r: (typeof rows)[number]) => percent(r.rate) },
                { title: '自动成团', dataIndex: 'autoFilled' },
                { title: '平均成团用时', render: (_: unknown, r: (typeof rows)[number]) => duration(r.averageFillMinutes) },
              ]}
            />
          </>
        ) : (
          <Empty description="这段时间没有结束的团" />
        )
      ) : null}
    </>
  )
}
