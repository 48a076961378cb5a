import { useMemo } from 'react'
import { Alert, Card, Table, Typography } from 'antd'
import { api } from '../../api'
import { DayRange } from '../../components/DayRange'
import { TrendChart } from '../../components/TrendChart'
import { downloadCsv } from '../../components/csv'
import { ReportToolbar, useDayRange, useReport } from './report-kit'

const INVITATION_COLUMNS = [
  { key: 'shares', label: '分享次数' },
  { key: 'shareOpens', label: '分享被打开' },
  { key: 'referredMembers', label: '好友带来的新会员' },
  { key: 'referredFirstOrders', label: '其中首单' },
  { key: 'activeMembers', label: '活跃会员' },
] as const

export function Invitations() {
  const { today, range, setRange } = useDayRange(56)
  const { data, error } = useReport(() => api.get('invitationReport', '/api/admin/analytics/invitations', { from: range[0], to: range[1] }), [range])
  const series = useMemo(() => (data ? INVITATION_COLUMNS.filter((c) => c.key !== 'activeMembers').map((c) => ({ name: c.label, values: data.weeks.map((w) => w[c.key]) })) : []), [data])
  const k = (value: number | null) => (value === null ? '—' : value.toFixed(2))

  const exportCsv = () =>
    data &&
    downloadCsv(`邀请裂变_${data.from}_${data.to}.csv`, [
      ['周', '周一', ...INVITATION_COLUMNS.map((c) => c.label), 'K 因子'],
      ...data.weeks.map((w) => [w.week, w.start, ...INVITATION_COLUMNS.map((c) => w[c.key]), k(w.kFactor)]),
    ])

  return (
    <>
      <ReportToolbar onExport={exportCsv} canExport={Boolean(data)}>
        <DayRange value={range} onChange={setRange} today={today} />
      </ReportToolbar>
      <Typography.Paragraph type="secondary">好友带来的新会员：经好友邀请、分享卡片、海报或团长链接注册。K 因子 = 当周好友带来的新会员 ÷ 当周活跃会员。</Typography.Paragraph>
      {error ? (
        <Alert type="error" showIcon message={error} />
      ) : data ? (
        <>
          <TrendChart days={data.weeks.map((w) => w.start)} series={series} />
          <Table
            rowKey="week"
            size="small"
            pagination={false}
            style={{ marginTop: 16 }}
            dataSource={data.weeks}
            columns={[{ title: '周', dataIndex: 'start', render: (start: string) => `${start} 起` }, ...INVITATION_COLUMNS.map((c) => ({ title: c.label, dataIndex: c.key })), { title: 'K 因子', dataIndex: 'kFactor', render: k }]}
          />
          <Card size="small" title="分享被打开最多的会员" style={{ marginTop: 16 }}>
            <Table
              rowKey="userId"
              size="small"
              pagination={false}
              dataSource={data.topSharers}
              locale={{ emptyText: '这段时间没有分享被打开' }}
              columns={[
                { title: '会员', render: (_: unknown, s: (typeof data.topSharers)[number]) => s.nickname ?? `会员 ${s.userId.slice(-6)}` },
                { title: '被打开次数', dataIndex: 'opens' },
              ]}
            />
          </Card>
        </>
      ) : null}
    </>
  )
}
