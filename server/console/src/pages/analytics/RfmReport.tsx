import { useMemo, useState } from 'react'
import dayjs from 'dayjs'
import { Link } from 'react-router-dom'
import { Alert, Card, DatePicker, Table, Typography } from 'antd'
import { RFM_SEGMENT_LABELS, formatFen, type RfmMembers, type RfmSegment } from '@xianlin/shared'
import { api } from '../../api'
import { EChart, type ChartOption } from '../../components/EChart'
import { downloadCsv } from '../../components/csv'
import { ReportToolbar, useReport, useToday } from './report-kit'

export function Rfm() {
  const today = useToday()
  const [to, setTo] = useState(today)
  const [segment, setSegment] = useState<RfmSegment | null>(null)
  const [page, setPage] = useState(1)
  const { data, error } = useReport(() => api.get('rfm', '/api/admin/analytics/rfm', { to }), [to])
  const list = useReport<RfmMembers | null>(
    () => (segment ? api.get('rfmMembers', '/api/admin/analytics/rfm/members', { to, segment, offset: (page - 1) * 20, limit: 20 }) : Promise.resolve(null)),
    [to, segment, page],
  )
  const option = useMemo<ChartOption | null>(
    () =>
      data && {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 150, right: 60, top: 40, bottom: 30 },
        xAxis: [{ type: 'value', name: '人数', minInterval: 1 }],
        yAxis: { type: 'category', inverse: true, data: data.segments.map((x) => RFM_SEGMENT_LABELS[x.segment].name) },
        series: [{ name: '会员数', type: 'bar', data: data.segments.map((x) => x.members), label: { show: true, position: 'right' } }],
      },
    [data],
  )

  const exportCsv = () =>
    data &&
    downloadCsv(`RFM分群_截至${data.to}.csv`, [
      ['分群', '说明', '会员数', '消费金额（元）'],
      ...data.segments.map((x) => [RFM_SEGMENT_LABELS[x.segment].name, RFM_SEGMENT_LABELS[x.segment].hint, x.members, (x.paidFen / 100).toFixed(2)]),
    ])

  return (
    <>
      <ReportToolbar onExport={exportCsv} canExport={Boolean(data)}>
        <span>截至</span>
        <DatePicker allowClear={false} value={dayjs(to)} disabledDate={(d) => d.format('YYYY-MM-DD') > today} onChange={(d) => d && setTo(d.format('YYYY-MM-DD'))} />
      </ReportToolbar>
      {error ? (
        <Alert type="error" showIcon message={error} />
      ) : data && option ? (
        <>
          <Typography.Paragraph type="secondary">
            统计截至当天前 {data.windowDays} 天内付过款的会员：{data.recentDays} 天内买过为“近”，至少 {data.frequentOrders} 单为“频”，至少 {formatFen(data.valuableFen)} 为“额高”（在「规则设置 → RFM 分群」中修改）。点分群查看会员。
          </Typography.Paragraph>
          <EChart option={option} height={340} />
          <Table
            rowKey="segment"
            size="small"
            pagination={false}
            style={{ marginTop: 16 }}
            dataSource={data.segments}
            onRow={(x) => ({
              onClick: () => {
                setSegment(x.segment)
                setPage(1)
              },
              style: { cursor: 'pointer' },
            })}
            rowClassName={(x) => (x.segment === segment ? 'ant-table-row-selected' : '')}
            columns={[
              { title: '分群', render: (_: unknown, x: (typeof data.segments)[number]) => RFM_SEGMENT_LABELS[x.segment].name },
              { title: '运营建议', render: (_: unknown, x: (typeof data.segments)[number]) => RFM_SEGMENT_LABELS[x.segment].hint },
              { title: '会员数', dataIndex: 'members' },
              { title: '消费金额', dataIndex: 'paidFen', render: (fen: number) => formatFen(fen) },
            ]}
          />
          {segment && (
            <Card
              size="small"
              title={`${RFM_SEGMENT_LABELS[segment].name}的会员`}
              style={{ marginTop: 16 }}
              extra={<Link to={`/members?segment=${segment}&day=${to}`}>在会员列表中查看</Link>}
            >
              {list.error ? (
                <Alert type="error" showIcon message={list.error} />
              ) : (
                <Table
                  rowKey="userId"
                  size="small"
                  loading={!list.data}
                  dataSource={list.data?.members ?? []}
                  pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
                  columns={[
                    { title: '会员', render: (_: unknown, m: RfmMembers['members'][number]) => (m.nickname ? <Link to={`/members/${m.userId}`}>{m.nickname}</Link> : `会员 ${m.userId.slice(-6)}`) },
                    { title: '最近付款', dataIndex: 'lastPaidDay' },
                    { title: '订单数', dataIndex: 'orders' },
                    { title: '消费金额', dataIndex: 'paidFen', render: (fen: number) => formatFen(fen) },
                  ]}
                />
              )}
            </Card>
          )}
        </>
      ) : null}
    </>
  )
}
