import { useCallback, useEffect, useState } from 'react'
import { Link } from 'react-router-dom'
import { Alert, App as AntApp, Button, Card, Image, Input, InputNumber, Modal, Segmented, Space, Table, Tag } from 'antd'
import { AFTER_SALE_REASON_TEXT, AFTER_SALE_STATE_TEXT, afterSalePhotoPath, businessDateTimeText, formatFen, type AfterSaleState, type AfterSaleView } from '@xianlin/shared'
import { api, errorText } from '../api'
import { useSession } from '../session'

const STATES: AfterSaleState[] = ['submitted', 'approved', 'refunded', 'rejected']

/**
 * 售后: members' claims with their photos, newest first. Approve the units' paid share or a smaller
 * amount (never more: the server checks too), or reject with a reason the member reads.
 */
export function AfterSalesPage() {
  const { session } = useSession()
  const { message } = AntApp.useApp()
  const [state, setState] = useState<AfterSaleState>('submitted')
  const [rows, setRows] = useState<AfterSaleView[]>([])
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [approving, setApproving] = useState<{ request: AfterSaleView; yuan: number } | null>(null)
  const [rejecting, setRejecting] = useState<{ request: AfterSaleView; reason: string } | null>(null)
  const when = (at: string) => businessDateTimeText(new Date(at), session.timeZone)

  const load = useCallback(async () => {
    setLoading(true)
    try {
      setRows((await api.get('afterSales', '/api/admin/after-sales', { state })).afterSales)
      setError(null)
    } catch (err) {
      setError(errorText(err, '售后列表加载失败'))
    } finally {
      setLoading(false)
    }
  }, [state])
  useEffect(() => void load(), [load])

  const approve = async () => {
    if (!approving) return
    try {
      const fen = Math.round(approving.yuan * 100)
      const { afterSale } = await api.post('afterSale', `/api/admin/after-sales/${approving.request.id}/approve`, { fen })
      message.success(afterSale.state === 'refunded' ? `已退款 ${formatFen(afterSale.fen)}` : '已同意，退款处理中')
      setApproving(null)
      await load()
    } catch (err) {
      message.error(errorText(err, '操作失败'))
    }
  }
  const reject = async () => {
    if (!rejecting) return
    try {
      await api.post('afterSale', `/api/admin/after-sales/${rejecting.request.id}/reject`, { reason: rejecting.reason.trim() })
      message.success('已驳回，会员会收到原因')
      setRejecting(null)
      await load()
    } catch (err) {
      message.error(errorText(err, '操作失败'))
    }
  }

  return (
    <Card title="售后" extra={<Segmented value={state} onChange={(v) => setState(v as AfterSaleState)} options={STATES.map((s) => ({ value: s, label: AFTER_SALE_STATE_TEXT[s] }))} />}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Table<AfterSaleView>
        rowKey="id"
        dataSource={rows}
        loading={loading}
        pagination={false}
        locale={{ emptyText: '没有售后申请' }}
        columns={[
          { title: '提交时间', dataIndex: 'createdAt', render: when },
          { title: '会员', dataIndex: 'member' },
          { title: '商品', render: (_, a) => `${a.productName} × ${a.quantity}` },
          { title: '原因', render: (_, a) => <Tag>{AFTER_SALE_REASON_TEXT[a.reason]}</Tag> },
          { title: '说明', dataIndex: 'note', render: (note: string) => note || '—' },
          {
            title: '照片',
            render: (_, a) => (
              <Image.PreviewGroup>
                {a.photos.map((id) => (
                  <Image key={id} width={48} height={48} style={{ objectFit: 'cover' }} src={afterSalePhotoPath(a.id, id, 'thumb')} preview={{ src: afterSalePhotoPath(a.id, id, 'large') }} />
                ))}
              </Image.PreviewGroup>
            ),
          },
          { title: '金额', render: (_, a) => formatFen(a.fen) },
          { title: '订单', dataIndex: 'orderId', render: (id: string) => <Link to={`/orders?q=${id}`}>…{id.slice(-6)}</Link> },
          {
            title: '处理',
            render: (_, a) =>
              a.state === 'submitted' ? (
                <Space>
                  <Button size="small" type="primary" onClick={() => setApproving({ request: a, yuan: a.fen / 100 })}>
                    同意退款
                  </Button>
                  <Button size="small" danger onClick={() => setRejecting({ request: a, reason: '' })}>
                    驳回
                  </Button>
                </Space>
              ) : (
                a.decision ?? (a.decidedAt ? when(a.decidedAt) : '—')
              ),
          },
        ]}
      />
      <Modal title="同意退款" open={Boolean(approving)} onCancel={() => setApproving(null)} onOk={approve} okText="确认退款">
        {approving && (
          <Space direction="vertical">
            <span>
              {approving.request.productName} × {approving.request.quantity}，最多可退 {formatFen(approving.request.fen)}
            </span>
            <InputNumber aria-label="退款金额" min={0.01} max={approving.request.fen / 100} step={0.01} precision={2} value={approving.yuan} onChange={(v) => setApproving({ ...approving, yuan: Number(v ?? 0) })} addonAfter="元" />
          </Space>
        )}
      </Modal>
      <Modal title="驳回售后" open={Boolean(rejecting)} onCancel={() => setRejecting(null)} onOk={reject} okText="驳回" okButtonProps={{ danger: true, disabled: (rejecting?.reason.trim().length ?? 0) < 2 }}>
        {rejecting && <Input.TextArea aria-label="驳回原因" value={rejecting.reason} onChange={(e) => setRejecting({ ...rejecting, reason: e.target.value })} maxLength={100} showCount placeholder="会员会看到这个原因" />}
      </Modal>
    </Card>
  )
}
