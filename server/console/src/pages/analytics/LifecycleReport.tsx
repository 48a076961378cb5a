import { useMemo } from 'react'
import { Link } from 'react-router-dom'
import { Alert, Card, Table, Typography } from 'antd'
import { type LifecycleTier } from '@xianlin/shared'
import { api } from '../../api'
import { DayRange } from '../../components/DayRange'
import { TrendChart } from '../../components/TrendChart'
import { downloadCsv } from '../../components/csv'
import { ReportToolbar, useDayRange, useReport } from './report-kit'

export function Lifecycle() {
  const { today, range, setRange } = useDayRange(57)
  const { data, error } = useReport(() => api.get('lifecycle', '/api/admin/analytics/lifecycle', { from: range[0], to: range[1] }), [range])
  const series = useMemo(() => (data ? data.tiers.map((t) => ({ name: t.label, values: data.points.map((p) => p.counts[t.key]) })) : []), [data])
  const latest = data?.flows[data.flows.length - 1]
  const lastPoint = data?.points[data.points.length - 1]
  const name = (key: LifecycleTier) => data!.tiers.find((t) => t.key === key)!.label

  const exportCsv = () =>
    data &&
    downloadCsv(`用户分层_${data.from}_${data.to}.csv`, [
      ['日期', ...data.tiers.map((t) => t.label)],
      ...data.points.map((p) => [p.day, ...data.tiers.map((t) => p.counts[t.key])]),
      [],
      ['起始日期', '结束日期', '原分层', '现分层', '人数'],
      ...data.flows.flatMap((f) => f.moves.map((m) => [f.from, f.to, name(m.from), name(m.to), m.members])),
    ])

  return (
    <>
      <ReportToolbar onExport={exportCsv} canExport={Boolean(data)}>
        <DayRange value={range} onChange={setRange} today={today} />
      </ReportToolbar>
      <Typography.Paragraph type="secondary">从结束日期起每 7 天统计一次各分层人数；分层的天数在「规则设置 → 用户分层」中修改。</Typography.Paragraph>
      {error ? (
        <Alert type="error" showIcon message={error} />
      ) : data ? (
        <>
          <TrendChart days={data.points.map((p) => p.day)} series={series} />
          {lastPoint && (
            <Card size="small" title={`${lastPoint.day} 各分层人数`} style={{ marginTop: 16 }}>
              <Table
                rowKey="key"
                size="small"
                pagination={false}
                dataSource={data.tiers}
                columns={[
                  { title: '分层', dataIndex: 'label' },
                  { title: '人数', render: (_: unknown, t: (typeof data.tiers)[number]) => lastPoint.counts[t.key] },
                  { title: '', render: (_: unknown, t: (typeof data.tiers)[number]) => <Link to={`/members?tier=${t.key}&day=${lastPoint.day}`}>查看会员</Link> },
                ]}
              />
            </Card>
          )}
          {latest && (
            <Card size="small" title={`分层流转：${latest.from} → ${latest.to}`} style={{ marginTop: 16 }}>
              <Table
                rowKey={(m) => `${m.from}>${m.to}`}
                size="small"
                pagination={false}
                dataSource={latest.moves.filter((m) => m.from !== m.to)}
                locale={{ emptyText: '这一周没有会员换层' }}
                columns={[
                  { title: '原分层', render: (_: unknown, m: (typeof latest.moves)[number]) => name(m.from) },
                  { title: '现分层', render: (_: unknown, m: (typeof latest.moves)[number]) => name(m.to) },
                  { title: '人数', dataIndex: 'members' },
                ]}
              />
            </Card>
          )}
        </>
      ) : null}
    </>
  )
}
