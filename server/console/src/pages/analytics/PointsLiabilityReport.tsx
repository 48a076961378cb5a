import { useMemo, useState } from 'react'
import { Alert, Button, Card, Col, Empty, InputNumber, Row, Statistic, message } from 'antd'
import { businessDateTimeText, formatFen } from '@xianlin/shared'
import { api, errorText } from '../../api'
import { EChart, type ChartOption } from '../../components/EChart'
import { downloadCsv } from '../../components/csv'
import { useSession } from '../../session'
import { ReportToolbar, useReport } from './report-kit'

export function PointsLiabilityReport() {
  const [months, setMonths] = useState(6)
  const { session } = useSession()
  // Bumped when a 重新统计 has finished, to load its figures.
  const [version, setVersion] = useState(0)
  const [refreshing, setRefreshing] = useState(false)
  const load = () => api.get('pointsLiability', '/api/admin/analytics/points-liability', { months })
  const { data, error } = useReport(load, [months, version])

  /** Runs the job now, then waits for figures newer than those shown (the ledger is read in the background). */
  const refresh = async () => {
    const before = data?.computedAt ?? null
    setRefreshing(true)
    try {
      await api.post('pointsLiabilityRefresh', '/api/admin/analytics/points-liability/refresh')
      for (let tries = 0; tries < 120; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 1500))
        if ((await load()).computedAt !== before) {
          setVersion((v) => v + 1)
          return
        }
      }
      message.info('统计仍在进行，请稍后刷新页面')
    } catch (err) {
      message.error(errorText(err, '重新统计失败'))
    } finally {
      setRefreshing(false)
    }
  }
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
          { name: '调整与撤回', values: data.flows.map((f) => f.adjusted) },
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
      ['月份', '发放', '消耗', '过期', '调整与撤回'],
      ...data.flows.map((f) => [f.month, f.earned, f.spent, f.expired, f.adjusted]),
    ])

  return (
    <>
      <ReportToolbar onExport={exportCsv} canExport={Boolean(data)}>
        <span>近</span>
        <InputNumber min={1} max={24} value={months} onChange={(v) => v && setMonths(v)} addonAfter="个月" style={{ width: 130 }} />
        <Button onClick={() => void refresh()} loading={refreshing}>
          重新统计
        </Button>
      </ReportToolbar>
      {error ? (
        <Alert type="error" showIcon message={error} />
      ) : data && !data.computedAt ? (
        <Alert type="info" showIcon message="积分负债正在统计中，请稍后刷新页面" />
      ) : data && expiry && flows ? (
        <>
          <Alert type="info" showIcon style={{ marginBottom: 16 }} message={`积分负债由账本定时统计，本次统计于 ${businessDateTimeText(new Date(data.computedAt!), session.timeZone)}`} />
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
