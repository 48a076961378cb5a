import { useEffect, useMemo, useState } from 'react'
import dayjs from 'dayjs'
import { Link, useSearchParams } from 'react-router-dom'
import { Alert, Button, Card, Col, DatePicker, Empty, InputNumber, Row, Segmented, Select, Space, Statistic, Table, Tabs, Typography } from 'antd'
import {
  ACTIVITY_KIND_LABELS,
  CHANNEL_LABELS,
  DEFAULT_FUNNEL,
  FUNNEL_STEP_KINDS,
  RETURNING_KINDS,
  STREAK_BUCKETS,
  RFM_SEGMENT_LABELS,
  formatFen,
  addDays,
  businessDay,
  type ActivityKind,
  type LifecycleTier,
  type RetentionReport,
  type RfmMembers,
  type RfmSegment,
} from '@xianlin/shared'
import { useSession } from '../session'
import { api, errorText } from '../api'
import { DayRange } from '../components/DayRange'
import { EChart, type ChartOption } from '../components/EChart'
import { TrendChart } from '../components/TrendChart'
import { downloadCsv } from '../components/csv'

const TABS = [
  { key: 'retention', label: '留存', Report: Retention },
  { key: 'funnel', label: '转化漏斗', Report: Funnel },
  { key: 'lifecycle', label: '用户分层', Report: Lifecycle },
  { key: 'checkins', label: '签到', Report: Checkins },
  { key: 'groupbuys', label: '拼团', Report: Groupbuys },
  { key: 'invitations', label: '邀请裂变', Report: Invitations },
  { key: 'rfm', label: 'RFM 分群', Report: Rfm },
  { key: 'points', label: '积分负债', Report: PointsLiabilityReport },
  { key: 'leaders', label: '团长', Report: LeaderPerformance },
]

/** 增长分析 (#16): reports over the event rollups, each with a date range and a CSV export. */
export function AnalyticsPage() {
  const [params, setParams] = useSearchParams()
  const active = TABS.find((t) => t.key === params.get('tab'))?.key ?? 'retention'
  return (
    <Card title="增长分析">
      <Tabs
        activeKey={active}
        onChange={(tab) => setParams({ tab })}
        destroyInactiveTabPane
        items={TABS.map(({ key, label, Report }) => ({ key, label, children: <Report /> }))}
      />
    </Card>
  )
}

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`)

/** Loads a report whenever its query changes; the latest answer wins. */
function useReport<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null } {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let current = true
    setError(null)
    load().then(
      (d) => current && setData(d),
      (err) => current && setError(errorText(err, '加载失败')),
    )
    return () => {
      current = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps)
  return { data, error }
}

function useToday() {
  const { session } = useSession()
  return businessDay(new Date(), session.timeZone)
}

function Retention() {
  const today = useToday()
  const [range, setRange] = useState<[string, string]>([addDays(today, -83), today])
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
      <Space wrap style={{ marginBottom: 16 }}>
        <DayRange value={range} onChange={setRange} today={today} />
        <span>回访行为</span>
        <Segmented value={returning} onChange={(v) => setReturning(v as RetentionReport['returning'])} options={RETURNING_KINDS.map((k) => ({ value: k, label: ACTIVITY_KIND_LABELS[k] }))} />
        <Button onClick={exportCsv} disabled={!data?.cohorts.length}>
          导出 CSV
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">按注册所在周分组：注册后第 1、7、30 天有{ACTIVITY_KIND_LABELS[returning]}的会员占比。只统计已经过完的那一天，未到的格子显示“—”。</Typography.Paragraph>
      {error ? <Alert type="error" showIcon message={error} /> : option ? <EChart option={option} height={Math.max(240, 48 * data!.cohorts.length + 90)} /> : data ? <Empty description="这段时间没有新注册的会员" /> : null}
    </>
  )
}

function Funnel() {
  const today = useToday()
  const [range, setRange] = useState<[string, string]>([addDays(today, -29), today])
  const [steps, setSteps] = useState<ActivityKind[]>([...DEFAULT_FUNNEL])
  const [windowDays, setWindowDays] = useState(7)
  const ready = steps.length >= 2
  const { data, error } = useReport(
    () => (ready ? api.get('funnel', '/api/admin/analytics/funnel', { from: range[0], to: range[1], steps: steps.join(','), windowDays }) : Promise.resolve(null)),
    [range, steps.join(','), windowDays],
  )

  const option = useMemo<ChartOption | null>(
    () =>
      data && data.reached[0]
        ? {
            tooltip: { trigger: 'item', formatter: '{b}：{c} 人' },
            series: [{ type: 'funnel', sort: 'none', left: '10%', width: '80%', minSize: '8%', label: { show: true, position: 'inside', formatter: '{b} {c}' }, data: data.steps.map((s, i) => ({ name: ACTIVITY_KIND_LABELS[s], value: data.reached[i] })) }],
          }
        : null,
    [data],
  )

  const rows = data ? [{ key: 'all', label: '全部渠道', reached: data.reached }, ...data.byChannel.map((c) => ({ key: c.channel, label: CHANNEL_LABELS[c.channel], reached: c.reached }))] : []
  const stepRate = (reached: number[], i: number) => (i === 0 ? null : reached[i - 1] ? reached[i]! / reached[i - 1]! : null)

  const exportCsv = () =>
    data &&
    downloadCsv(`转化漏斗_${data.from}_${data.to}.csv`, [
      ['渠道', ...data.steps.flatMap((s, i) => (i === 0 ? [ACTIVITY_KIND_LABELS[s]] : [ACTIVITY_KIND_LABELS[s], `${ACTIVITY_KIND_LABELS[s]}转化率`]))],
      ...rows.map((r) => [r.label, ...r.reached.flatMap((n, i) => (i === 0 ? [n] : [n, percent(stepRate(r.reached, i))]))]),
    ])

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <DayRange value={range} onChange={setRange} today={today} />
        <Select<ActivityKind[]>
          mode="multiple"
          aria-label="漏斗步骤"
          style={{ minWidth: 360 }}
          value={steps}
          onChange={(v) => setSteps(v.slice(0, 6))}
          options={FUNNEL_STEP_KINDS.map((k) => ({ value: k, label: ACTIVITY_KIND_LABELS[k] }))}
        />
        <span>转化窗口</span>
        <InputNumber min={1} max={30} value={windowDays} onChange={(v) => v && setWindowDays(v)} addonAfter="天" style={{ width: 110 }} />
        <Button onClick={exportCsv} disabled={!data}>
          导出 CSV
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">会员在所选时间内第一次完成第一步即进入漏斗；之后各步须按顺序、在进入后的转化窗口内完成（同一天内视为按顺序）。</Typography.Paragraph>
      {!ready ? (
        <Alert type="info" showIcon message="请至少选择两个步骤" />
      ) : error ? (
        <Alert type="error" showIcon message={error} />
      ) : data ? (
        <>
          {option ? <EChart option={option} height={300} /> : <Empty description="这段时间没有会员进入漏斗" />}
          <Table
            rowKey="key"
            size="small"
            pagination={false}
            style={{ marginTop: 16 }}
            dataSource={rows}
            columns={[
              { title: '渠道', dataIndex: 'label' },
              ...data.steps.map((s, i) => ({
                title: ACTIVITY_KIND_LABELS[s],
                key: `${i}`,
                render: (_: unknown, r: (typeof rows)[number]) =>
                  i === 0 ? (
                    `${r.reached[0]} 人`
                  ) : (
                    <span>
                      {r.reached[i]} 人 <Typography.Text type="secondary">转化 {percent(stepRate(r.reached, i))}，流失 {r.reached[i - 1]! - r.reached[i]!}</Typography.Text>
                    </span>
                  ),
              })),
            ]}
          />
        </>
      ) : null}
    </>
  )
}

function Lifecycle() {
  const today = useToday()
  const [range, setRange] = useState<[string, string]>([addDays(today, -56), today])
  const { data, error } = useReport(() => api.get('lifecycle', '/api/admin/analytics/lifecycle', { from: range[0], to: range[1] }), [range])
  const series = useMemo(() => (data ? data.tiers.map((t) => ({ name: t.label, values: data.points.map((p) => p.counts[t.key]) })) : []), [data])
  const latest = data?.flows[data.flows.length - 1]
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
      <Space wrap style={{ marginBottom: 16 }}>
        <DayRange value={range} onChange={setRange} today={today} />
        <Button onClick={exportCsv} disabled={!data}>
          导出 CSV
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">从结束日期起每 7 天统计一次各分层人数；分层的天数在「规则设置 → 用户分层」中修改。</Typography.Paragraph>
      {error ? (
        <Alert type="error" showIcon message={error} />
      ) : data ? (
        <>
          <TrendChart days={data.points.map((p) => p.day)} series={series} />
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

function Checkins() {
  const today = useToday()
  const [range, setRange] = useState<[string, string]>([addDays(today, -29), today])
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
      <Space wrap style={{ marginBottom: 16 }}>
        <DayRange value={range} onChange={setRange} today={today} />
        <Button onClick={exportCsv} disabled={!data}>
          导出 CSV
        </Button>
      </Space>
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

/** Minutes as 1 小时 20 分 (or 45 分). */
const duration = (minutes: number | null) => (minutes === null ? '—' : minutes >= 60 ? `${Math.floor(minutes / 60)} 小时 ${minutes % 60} 分` : `${minutes} 分`)

function Groupbuys() {
  const today = useToday()
  const [range, setRange] = useState<[string, string]>([addDays(today, -29), today])
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
      <Space wrap style={{ marginBottom: 16 }}>
        <DayRange value={range} onChange={setRange} today={today} />
        <Button onClick={exportCsv} disabled={!data}>
          导出 CSV
        </Button>
      </Space>
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

const INVITATION_COLUMNS = [
  { key: 'shares', label: '分享次数' },
  { key: 'shareOpens', label: '分享被打开' },
  { key: 'referredMembers', label: '好友带来的新会员' },
  { key: 'referredFirstOrders', label: '其中首单' },
  { key: 'activeMembers', label: '活跃会员' },
] as const

function Invitations() {
  const today = useToday()
  const [range, setRange] = useState<[string, string]>([addDays(today, -55), today])
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
      <Space wrap style={{ marginBottom: 16 }}>
        <DayRange value={range} onChange={setRange} today={today} />
        <Button onClick={exportCsv} disabled={!data}>
          导出 CSV
        </Button>
      </Space>
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

function Rfm() {
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
      <Space wrap style={{ marginBottom: 16 }}>
        <span>截至</span>
        <DatePicker allowClear={false} value={dayjs(to)} disabledDate={(d) => d.format('YYYY-MM-DD') > today} onChange={(d) => d && setTo(d.format('YYYY-MM-DD'))} />
        <Button onClick={exportCsv} disabled={!data}>
          导出 CSV
        </Button>
      </Space>
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
            <Card size="small" title={`${RFM_SEGMENT_LABELS[segment].name}的会员`} style={{ marginTop: 16 }}>
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

function PointsLiabilityReport() {
  const [months, setMonths] = useState(6)
  const { data, error } = useReport(() => api.get('pointsLiability', '/api/admin/analytics/points-liability', { months }), [months])
  const bars = (categories: string[], series: Array<{ name: string; values: number[] }>): ChartOption => ({
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 60, right: 24, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: categories },
    yAxis: { type: 'value', minInterval: 1 },
    series: series.map((x) => ({ name: x.name, type: 'bar', data: x.values })),
  })
  const expiry = useMemo(() => data && bars(data.byExpiryMonth.map((m) => m.month), [{ name: '到期积分', values: data.byExpiryMonth.map((m) => m.points) }]), [data])
  const flows = useMemo(
    () =>
      data &&
      bars(
        data.flows.map((f) => f.month),
        [
          { name: '发放', values: data.flows.map((f) => f.earned) },
          { name: '消耗', values: data.flows.map((f) => f.spent) },
          { name: '过期', values: data.flows.map((f) => f.expired) },
        ],
      ),
    [data],
  )

  const exportCsv = () =>
    data &&
    downloadCsv(`积分负债_${data.asOf}.csv`, [
      ['到期月份', '未过期积分', '折合金额（元）'],
      ...data.byExpiryMonth.map((m) => [m.month, m.points, (m.fen / 100).toFixed(2)]),
      [],
      ['月份', '发放', '消耗', '过期'],
      ...data.flows.map((f) => [f.month, f.earned, f.spent, f.expired]),
    ])

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <span>近</span>
        <InputNumber min={1} max={24} value={months} onChange={(v) => v && setMonths(v)} addonAfter="个月" style={{ width: 130 }} />
        <Button onClick={exportCsv} disabled={!data}>
          导出 CSV
        </Button>
      </Space>
      {error ? (
        <Alert type="error" showIcon message={error} />
      ) : data && expiry && flows ? (
        <>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col span={8}>
              <Statistic title={`会员持有未过期积分（截至 ${data.asOf}）`} value={data.outstanding.points} />
            </Col>
            <Col span={8}>
              <Statistic title={`折合金额（${data.pointsPerYuan} 积分抵 1 元）`} value={formatFen(data.outstanding.fen)} />
            </Col>
          </Row>
          <Card size="small" title="按到期月份">
            {data.byExpiryMonth.length ? <EChart option={expiry} height={260} /> : <Empty description="没有未过期的积分" />}
          </Card>
          <Card size="small" title="每月发放、消耗与过期" style={{ marginTop: 16 }}>
            <EChart option={flows} height={260} />
          </Card>
        </>
      ) : null}
    </>
  )
}

function LeaderPerformance() {
  const today = useToday()
  const [range, setRange] = useState<[string, string]>([addDays(today, -29), today])
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
      ['团长', '小区', '状态', '绑定会员', '新增会员', '订单', '下单会员', '支付金额（元）', '佣金（元）'],
      ...data.leaders.map((l) => [l.name, l.community, l.state === 'active' ? '正常' : '已暂停', l.members, l.newMembers, l.orders, l.buyers, (l.paidFen / 100).toFixed(2), (l.commissionFen / 100).toFixed(2)]),
    ])

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <DayRange value={range} onChange={setRange} today={today} />
        <Button onClick={exportCsv} disabled={!data}>
          导出 CSV
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">订单与支付金额按支付时间、新增会员按绑定时间、佣金按入账时间（扣除退款取消）统计；绑定会员为当前人数。</Typography.Paragraph>
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
