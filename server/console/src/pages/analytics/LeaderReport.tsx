import { useMemo } from 'react'
import { Alert, Empty, Table, Typography } from 'antd'
import { formatFen } from '@xianlin/shared'
import { api } from '../../api'
import { DayRange } from '../../components/DayRange'
import { EChart, type ChartOption } from '../../components/EChart'
import { downloadCsv } from '../../components/csv'
import { ReportToolbar, useDayRange, useReport } from './report-kit'

export function LeaderPerformance() {
  const { today, range, setRange } = useDayRange(30)
  const { data, error } = useReport(() => api.get('leaderReport', '/api/admin/analytics/leaders', { from: range[0], to: range[1] }), [range])
  type Row = NonNullable<typeof data>['leaders'][number]
  const option = useMemo<ChartOption | null>(() => {
    const top = data?.leaders.slice(0, 10) ?? []
    if (!top.length) return null
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `¥${v.toFixed(2)}` },
      grid: { left: 140, right: 60, top: 10, bottom: 30 },
      xAxis: { type: 'value', axisLabel: { formatter: '¥{value}' } },
      yAxis: { type: 'category', inverse: true, data: top.map((l) => `${l.name}（${l.community}）`) },
      series: [{ name: '支付金额', type: 'bar', data: top.map((l) => l.paidFen / 100) }],
    }
  }, [data])

  const exportCsv = () =>
    data &&
    downloadCsv(`团长_${data.from}_${data.to}.csv`, [
      ['团长', '小区', '状态', '绑定会员', '新增会员', '订单', '下单会员', '支付金额（元）', '退款金额（元）', '净收入（元）', '佣金（元）'],
      ...data.leaders.map((l) => [l.name, l.community, l.state === 'active' ? '正常' : '已暂停', l.members, l.newMembers, l.orders, l.buyers, (l.paidFen / 100).toFixed(2), (l.refundedFen / 100).toFixed(2), (l.netFen / 100).toFixed(2), (l.commissionFen / 100).toFixed(2)]),
    ])

  return (
    <>
      <ReportToolbar onExport={exportCsv} canExport={Boolean(data)}>
        <DayRange value={range} onChange={setRange} today={today} />
      </ReportToolbar>
      <Typography.Paragraph type="secondary">订单与支付金额按支付时间、退款金额按退款到账时间、新增会员按绑定时间、佣金按入账时间（扣除退款取消）统计；绑定会员为当前人数。</Typography.Paragraph>
      {error ? (
        <Alert type="error" showIcon message={error} />
      ) : data ? (
        data.leaders.length ? (
          <>
            {option && <EChart option={option} height={Math.max(200, 36 * Math.min(10, data.leaders.length) + 50)} />}
            <Table<Row>
              rowKey="leaderId"
              size="small"
              pagination={false}
              style={{ marginTop: 16 }}
              dataSource={data.leaders}
              columns={[
                { title: '团长', render: (_, l) => `${l.name}（${l.community}）${l.state === 'suspended' ? ' · 已暂停' : ''}` },
                { title: '绑定会员', dataIndex: 'members' },
                { title: '新增会员', dataIndex: 'newMembers' },
                { title: '订单', dataIndex: 'orders' },
                { title: '下单会员', dataIndex: 'buyers' },
                { title: '支付金额', dataIndex: 'paidFen', render: (fen: number) => formatFen(fen) },
                { title: '退款金额', dataIndex: 'refundedFen', render: (fen: number) => formatFen(fen) },
                { title: '净收入', dataIndex: 'netFen', render: (fen: number) => formatFen(fen) },
                { title: '佣金', dataIndex: 'commissionFen', render: (fen: number) => formatFen(fen) },
              ]}
            />
          </>
        ) : (
          <Empty description="还没有团长" />
        )
      ) : null}
    </>
  )
}
