import { useEffect, useState } from 'react'
import { Link, useSearchParams } from 'react-router-dom'
import { Alert, Card, Table, Tabs, Tag, Typography } from 'antd'
import { businessDateTimeText, formatFen, type Reply } from '@xianlin/shared'
import { api, errorText } from '../api'
import { can, useSession } from '../session'

type Anomaly = Reply<'paymentAnomalies'>['anomalies'][number]
type RefundIssue = Reply<'refundIssues'>['refunds'][number]
type NegativeBalance = Reply<'negativeBalances'>['users'][number]

/** WeChat Pay's last word on a refund that did not go through, as an operator reads it. */
const REFUND_STATUS_TEXT: Record<string, string> = {
  ABNORMAL: '退款异常（用户卡已注销或冻结，需线下处理）',
  CLOSED: '退款已关闭',
  PROCESSING: '仍在处理中',
  GAVE_UP: '多次重试未成功',
}
const FIELD_TEXT: Record<string, string> = { 'amount.total': '金额（分）', 'amount.currency': '币种', appid: '小程序', mchid: '商户号', 'payer.openid': '付款人' }

const orderLink = (orderId: string) => <Link to={`/orders?q=${orderId}`}>{orderId}</Link>

/** One queue's rows, loaded once; an error says so in place of the table. */
function useQueue<T>(load: () => Promise<T[]>) {
  const [rows, setRows] = useState<T[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    load().then(setRows, (err) => setError(errorText(err, '加载失败')))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
  return { rows, error }
}

/**
 * 异常处理: what needs a person — payments whose notification disagreed with the order, refunds
 * WeChat Pay did not finish, members whose points went below zero after a take-back. Each queue
 * shows to the permission that can act on it; the tab sits in the URL.
 */
export function ExceptionsPage() {
  const { session } = useSession()
  const [params, setParams] = useSearchParams()
  const tabs = [
    ...(can(session, 'refunds') ? [{ key: 'payments', label: '支付异常', children: <PaymentAnomalies timeZone={session.timeZone} /> }, { key: 'refunds', label: '退款异常', children: <RefundIssues /> }] : []),
    ...(can(session, 'liability') ? [{ key: 'balances', label: '积分负余额', children: <NegativeBalances timeZone={session.timeZone} /> }] : []),
  ]
  const active = tabs.find((t) => t.key === params.get('tab'))?.key ?? tabs[0]?.key
  return (
    <Card title="异常处理">
      <Tabs activeKey={active} onChange={(tab) => setParams({ tab })} destroyInactiveTabPane items={tabs} />
    </Card>
  )
}

function PaymentAnomalies({ timeZone }: { timeZone: string }) {
  const { rows, error } = useQueue<Anomaly>(async () => (await api.get('paymentAnomalies', '/api/admin/payment-anomalies')).anomalies)
  if (error) return <Alert type="error" showIcon message={error} />
  return (
    <>
      <Typography.Paragraph type="secondary">微信支付通知与订单不一致的付款：本店收到的已自动原路退回，其余挂起待人工核对。</Typography.Paragraph>
      <Table<Anomaly>
        rowKey="id"
        loading={rows === null}
        dataSource={rows ?? []}
        pagination={false}
        locale={{ emptyText: '没有支付异常' }}
        columns={[
          { title: '时间', dataIndex: 'at', render: (at: string) => businessDateTimeText(new Date(at), timeZone) },
          { title: '订单', dataIndex: 'orderId', render: orderLink },
          { title: '微信支付单号', dataIndex: 'transactionId', render: (id: string | null) => id ?? '—' },
          {
            title: '不一致',
            dataIndex: 'mismatches',
            render: (list: Anomaly['mismatches']) => list.map((m) => <div key={m.field}>{`${FIELD_TEXT[m.field] ?? m.field}：应为 ${m.expected}，收到 ${m.received}`}</div>),
          },
          { title: '金额', dataIndex: 'amountFen', render: (fen: number | null) => (fen === null ? '—' : formatFen(fen)) },
          { title: '处理', dataIndex: 'action', render: (a: Anomaly['action']) => (a === 'refund_requested' ? <Tag color="blue">已申请退款</Tag> : <Tag color="orange">挂起待核对</Tag>) },
        ]}
      />
    </>
  )
}

function RefundIssues() {
  const { rows, error } = useQueue<RefundIssue>(async () => (await api.get('refundIssues', '/api/admin/refund-issues')).refunds)
  if (error) return <Alert type="error" showIcon message={error} />
  return (
    <>
      <Typography.Paragraph type="secondary">微信支付没有完成的退款：需到微信支付商户平台核实，或线下退给会员。</Typography.Paragraph>
      <Table<RefundIssue>
        rowKey={(r) => `${r.orderId}:${r.refundStatus}:${r.amountFen}`}
        loading={rows === null}
        dataSource={rows ?? []}
        pagination={false}
        locale={{ emptyText: '没有退款异常' }}
        columns={[
          { title: '订单', dataIndex: 'orderId', render: orderLink },
          { title: '退款金额', dataIndex: 'amountFen', render: (fen: number) => formatFen(fen) },
          { title: '微信支付状态', dataIndex: 'refundStatus', render: (s: string) => REFUND_STATUS_TEXT[s] ?? s },
          { title: '已尝试', dataIndex: 'attempts', render: (n: number) => `${n} 次` },
        ]}
      />
    </>
  )
}

function NegativeBalances({ timeZone }: { timeZone: string }) {
  const { rows, error } = useQueue<NegativeBalance>(async () => (await api.get('negativeBalances', '/api/admin/points/negative-balances')).users)
  if (error) return <Alert type="error" showIcon message={error} />
  return (
    <>
      <Typography.Paragraph type="secondary">退款撤回已到账积分时，会员的积分已花掉而出现负数：可在会员页调整，或等其后续积分抵平。</Typography.Paragraph>
      <Table<NegativeBalance>
        rowKey={(r) => `${r.userId}:${r.flaggedAt}`}
        loading={rows === null}
        dataSource={rows ?? []}
        pagination={false}
        locale={{ emptyText: '没有积分为负的会员' }}
        columns={[
          { title: '会员', dataIndex: 'userId', render: (id: string, r) => <Link to={`/members/${id}`}>{r.nickname ?? id}</Link> },
          { title: '发现时间', dataIndex: 'flaggedAt', render: (at: string) => businessDateTimeText(new Date(at), timeZone) },
          { title: '当时余额', dataIndex: 'balanceThen' },
          { title: '当前余额', dataIndex: 'balanceNow', render: (n: number) => (n < 0 ? <Typography.Text type="danger">{n}</Typography.Text> : n) },
        ]}
      />
    </>
  )
}
