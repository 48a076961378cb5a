import { useEffect, useState } from 'react'
import { App as AntApp, Form, Input, InputNumber, Modal, Table, Typography } from 'antd'
import { formatFen, unitsShareFen, type AdminOrder } from '@xianlin/shared'
import { api, errorText } from '../api'
import { requestKey } from '../requestKey'

type Row = { line: number; name: string; left: number; quantity: number; fen: number; share: number }

/** The units' paid share of a line for `quantity` more units, never more than what is left of the line. */
const shareOf = (l: AdminOrder['lines'][number], quantity: number) => Math.min(unitsShareFen(l, l.refundedQty, quantity), l.payFen - l.refundedFen)

/**
 * 退款: which lines and how many units, the amount of each (at most the units' paid share, as the
 * server checks too) and the reason the shopper reads. One key per opening: a double click is one refund.
 */
export function RefundDialog({ order, open, onClose, onDone }: { order: AdminOrder; open: boolean; onClose: () => void; onDone: () => unknown }) {
  const { message } = AntApp.useApp()
  const [rows, setRows] = useState<Row[]>([])
  const [reason, setReason] = useState('')
  const [key, setKey] = useState(requestKey)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (!open) return
    setRows(order.lines.map((l, line) => ({ line, name: l.name, left: l.quantity - l.refundedQty, quantity: 0, fen: 0, share: 0 })))
    setReason('')
    setKey(requestKey())
  }, [open, order])

  const setQuantity = (line: number, quantity: number) =>
    setRows((list) => list.map((r) => (r.line === line ? { ...r, quantity, share: shareOf(order.lines[line]!, quantity), fen: shareOf(order.lines[line]!, quantity) } : r)))
  const picked = rows.filter((r) => r.quantity > 0)
  const total = picked.reduce((n, r) => n + r.fen, 0)

  const submit = async () => {
    setBusy(true)
    try {
      await api.post('order', `/api/admin/orders/${order.id}/refund`, { lines: picked.map((r) => ({ line: r.line, quantity: r.quantity, fen: r.fen })), reason: reason.trim(), idempotencyKey: key })
      message.success(`已提交退款 ${formatFen(total)}`)
      onClose()
      await onDone()
    } catch (err) {
      message.error(errorText(err, '退款失败'))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal title={`退款 · 订单 ${order.id.slice(-6)}`} open={open} onCancel={onClose} onOk={submit} okText={`退款 ${formatFen(total)}`} okButtonProps={{ danger: true, disabled: !picked.length || reason.trim().length < 2, loading: busy }} width={720} destroyOnClose>
      <Table<Row>
        size="small"
        rowKey="line"
        dataSource={rows}
        pagination={false}
        columns={[
          { title: '商品', dataIndex: 'name' },
          { title: '可退', dataIndex: 'left' },
          { title: '退几件', render: (_, r) => <InputNumber aria-label={`${r.name} 退款件数`} min={0} max={r.left} value={r.quantity} disabled={!r.left} onChange={(v) => setQuantity(r.line, Number(v ?? 0))} /> },
          {
            title: '退款金额（元）',
            render: (_, r) => (
              <InputNumber aria-label={`${r.name} 退款金额`} min={0} max={r.share / 100} step={0.01} precision={2} value={r.fen / 100} disabled={!r.quantity} onChange={(v) => setRows((list) => list.map((x) => (x.line === r.line ? { ...x, fen: Math.min(x.share, Math.round(Number(v ?? 0) * 100)) } : x)))} />
            ),
          },
          { title: '最多', render: (_, r) => (r.quantity ? formatFen(r.share) : '—') },
        ]}
      />
      <Form layout="vertical" style={{ marginTop: 16 }}>
        <Form.Item label="退款原因（会员可见）" required>
          <Input.TextArea aria-label="退款原因" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={80} showCount rows={2} placeholder="例如：芒果运输中压坏 1 个" />
        </Form.Item>
      </Form>
      <Typography.Text type="secondary">退款原路退回；这些商品带来的积分、成长值和团长佣金按比例收回，整单未提货全部退款时优惠券退回。</Typography.Text>
    </Modal>
  )
}
