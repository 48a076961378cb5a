import { useMemo, useState } from 'react'
import { Alert, Empty, InputNumber, Select, Table, Typography } from 'antd'
import { ACTIVITY_KIND_LABELS, CHANNEL_LABELS, DEFAULT_FUNNEL, FUNNEL_STEP_KINDS, type ActivityKind } from '@xianlin/shared'
import { api } from '../../api'
import { DayRange } from '../../components/DayRange'
import { EChart, type ChartOption } from '../../components/EChart'
import { downloadCsv } from '../../components/csv'
import { ReportToolbar, percent, useDayRange, useReport } from './report-kit'

export function Funnel() {
  const { today, range, setRange } = useDayRange(30)
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
      <ReportToolbar onExport={exportCsv} canExport={Boolean(data)}>
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
      </ReportToolbar>
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
