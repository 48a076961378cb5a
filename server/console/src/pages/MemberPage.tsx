import { useCallback, useEffect, useState } from 'react'
import { useParams } from 'react-router-dom'
import { App as AntApp, Alert, Button, Card, Descriptions, Form, Input, InputNumber, Modal, Space, Table } from 'antd'
import { LIFECYCLE_TIER_NAMES, RFM_SEGMENT_LABELS, businessDateTimeText, formatFen, type AdminOrder, type LedgerEntryView, type MemberProfile } from '@xianlin/shared'
import { api, errorText, fieldErrors } from '../api'
import { can, useSession } from '../session'
import { OrdersTable } from '../components/OrdersTable'
import { requestKey } from '../requestKey'


interface AdjustValues {
  amount: number
  reason: string
}

/** One member: who they are, level and growth, points with the ledger; operators adjust points with a reason. */
export function MemberPage() {
  const { id } = useParams()
  const { session } = useSession()
  const { message, modal } = AntApp.useApp()
  const [profile, setProfile] = useState<MemberProfile | null>(null)
  const [entries, setEntries] = useState<LedgerEntryView[]>([])
  const [orders, setOrders] = useState<AdminOrder[]>([])
  const [cursor, setCursor] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [adjusting, setAdjusting] = useState(false)
  const [form] = Form.useForm<AdjustValues>()
  const when = (at: string) => businessDateTimeText(new Date(at), session.timeZone)

  const load = useCallback(async () => {
    try {
      const [p, ledger, o] = await Promise.all([
        api.get('memberProfile', `/api/admin/members/${id}`),
        api.get('ledger', `/api/admin/members/${id}/ledger`, { limit: 20 }),
        api.get('adminOrders', `/api/admin/members/${id}/orders`, { limit: 50 }),
      ])
      setProfile(p)
      setOrders(o.orders)
      setEntries(ledger.entries)
      setCursor(ledger.nextCursor)
    } catch (err) {
      setError(errorText(err, '加载失败'))
    }
  }, [id])
  useEffect(() => void load(), [load])

  const more = async () => {
    const page = await api.get('ledger', `/api/admin/members/${id}/ledger`, { limit: 20, cursor })
    setEntries((e) => [...e, ...page.entries])
    setCursor(page.nextCursor)
  }

  const adjust = (values: AdjustValues) =>
    modal.confirm({
      title: `${values.amount > 0 ? '增加' : '扣减'} ${Math.abs(values.amount)} 积分？`,
      content: `原因：${values.reason}`,
      okText: '确认调整',
      cancelText: '取消',
      onOk: async () => {
        try {
          // One key per submission: a retried request never adjusts twice.
          await api.post('pointsAdjusted', '/api/admin/points/adjust', { userId: id, amount: values.amount, reason: values.reason, idempotencyKey: requestKey() })
          message.success('积分已调整')
          setAdjusting(false)
          form.resetFields()
          await load()
        } catch (err) {
          const fields = fieldErrors<AdjustValues>(err)
          if (fields.length) form.setFields(fields)
          else message.error(errorText(err, '调整失败'))
        }
      },
    })

  if (error) return <Alert type="error" showIcon message={error} />
  if (!profile) return <Card loading />
  const { user, membership, points, growth } = profile
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={user.nickname}>
        <Descriptions column={3}>
          <Descriptions.Item label="会员 ID">{user.id}</Descriptions.Item>
          <Descriptions.Item label="手机">{user.phoneMasked ?? '未绑定'}</Descriptions.Item>
          <Descriptions.Item label="注册时间">{when(user.createdAt)}</Descriptions.Item>
          <Descriptions.Item label="等级">{membership.level.name}</Descriptions.Item>
          <Descriptions.Item label="成长值">{membership.growth}</Descriptions.Item>
          <Descriptions.Item label="距下一级">{membership.next ? `${membership.next.name}还差 ${membership.next.growthNeeded}` : '已是最高等级'}</Descriptions.Item>
          <Descriptions.Item label="可用积分">{points.available}</Descriptions.Item>
          <Descriptions.Item label="待入账积分">{points.pending}</Descriptions.Item>
          <Descriptions.Item label="即将过期">{points.nextExpiry ? `${points.nextExpiry.points} 积分（${points.nextExpiry.day}）` : '无'}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={`增长画像（截至 ${profile.asOf}）`} size="small">
        <Descriptions column={4} className="member__growth">
          <Descriptions.Item label="分层">{growth.tier ? LIFECYCLE_TIER_NAMES[growth.tier] : '—'}</Descriptions.Item>
          <Descriptions.Item label="RFM 分群">{growth.rfm ? RFM_SEGMENT_LABELS[growth.rfm.segment].name : '—'}</Descriptions.Item>
          <Descriptions.Item label={`近 ${profile.rfmWindowDays} 天消费`}>{growth.rfm ? `${formatFen(growth.rfm.paidFen)}（${growth.rfm.orders} 单）` : '—'}</Descriptions.Item>
          <Descriptions.Item label="最近活跃">{growth.lastActiveDay ?? '—'}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title="订单">
        <OrdersTable orders={orders} onChanged={load} showMember={false} />
      </Card>
      <Card title="积分明细" extra={can(session, 'members') && <Button onClick={() => setAdjusting(true)}>调整积分</Button>}>
        <Table<LedgerEntryView>
          rowKey="id"
          dataSource={entries}
          pagination={false}
          columns={[
            { title: '时间', dataIndex: 'at', render: when },
            { title: '说明', dataIndex: 'title' },
            { title: '变动', dataIndex: 'amount', render: (n: number, e) => (n === 0 && e.pendingChange ? `待入账 ${e.pendingChange > 0 ? '+' : ''}${e.pendingChange}` : `${n > 0 ? '+' : ''}${n}`) },
            { title: '余额', dataIndex: 'balance' },
          ]}
        />
        {cursor !== null && (
          <Button style={{ marginTop: 16 }} onClick={() => void more()}>
            加载更多
          </Button>
        )}
      </Card>
      <Modal title="调整积分" open={adjusting} okText="提交" cancelText="取消" onOk={() => form.submit()} onCancel={() => setAdjusting(false)} destroyOnClose>
        <Form form={form} layout="vertical" onFinish={adjust} requiredMark={false}>
          <Form.Item label="积分（正数增加，负数扣减）" name="amount" rules={[{ required: true, message: '请输入积分' }]}>
            <InputNumber precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item label="原因（写入审计日志）" name="reason" rules={[{ required: true, message: '请填写原因' }]}>
            <Input.TextArea rows={2} maxLength={200} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  )
}
