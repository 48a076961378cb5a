import { useCallback, useEffect, useState } from 'react'
import { useSearchParams } from 'react-router-dom'
import { App as AntApp, Button, Card, Form, Input, Modal, Popconfirm, Segmented, Space, Table, Tabs, Tag } from 'antd'
import { businessDateTimeText, formatFen, type AdminLeaderApplication, type AdminWithdrawal } from '@xianlin/shared'
import { api, errorText, fieldErrors } from '../api'
import { can, useSession } from '../session'

type AppState = AdminLeaderApplication['state']
const APP_STATES: Array<{ value: AppState; label: string }> = [
  { value: 'pending', label: '待审核' },
  { value: 'approved', label: '已通过' },
  { value: 'rejected', label: '已拒绝' },
]

/** 团长: applications to review, leaders to suspend or reinstate, withdrawals to approve. Tab and filter sit in the URL. */
export function LeadersPage() {
  const { session } = useSession()
  const [params, setParams] = useSearchParams()
  const tabs = [
    ...(can(session, 'leaders') ? [{ key: 'applications', label: '入驻申请', children: <Applications /> }] : []),
    ...(can(session, 'withdrawals') ? [{ key: 'withdrawals', label: '提现审核', children: <Withdrawals /> }] : []),
  ]
  const active = tabs.some((t) => t.key === params.get('tab')) ? params.get('tab')! : tabs[0]?.key
  return (
    <Card title="团长管理">
      <Tabs activeKey={active} items={tabs} onChange={(tab) => setParams({ tab })} destroyInactiveTabPane />
    </Card>
  )
}

function useFailed() {
  const { message } = AntApp.useApp()
  return (err: unknown) => message.error(errorText(err, '操作失败，请稍后再试'))
}

function Applications() {
  const { session } = useSession()
  const [params, setParams] = useSearchParams()
  const state = (APP_STATES.find((s) => s.value === params.get('state'))?.value ?? 'pending') as AppState
  const [rows, setRows] = useState<AdminLeaderApplication[]>([])
  const [loading, setLoading] = useState(false)
  const [rejecting, setRejecting] = useState<AdminLeaderApplication | null>(null)
  const [form] = Form.useForm<{ reason: string }>()
  const { message } = AntApp.useApp()
  const failed = useFailed()

  const load = useCallback(() => {
    setLoading(true)
    return api.get('adminLeaderApplications', '/api/admin/leaders/applications', { state }).then((r) => setRows(r.applications), failed).finally(() => setLoading(false))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state])
  useEffect(() => void load(), [load])

  const act = (path: string, done: string) =>
    api.post('pickupPoint', path).then(() => {
      message.success(done)
      return load()
    }, failed)

  const reject = async ({ reason }: { reason: string }) => {
    try {
      await api.post('leaderApplication', `/api/admin/leaders/applications/${rejecting!.userId}/reject`, { reason })
      message.success('已拒绝，申请人会看到原因')
      setRejecting(null)
      form.resetFields()
      await load()
    } catch (err) {
      const fields = fieldErrors<{ reason: string }>(err)
      if (fields.length) form.setFields(fields)
      else failed(err)
    }
  }

  return (
    <>
      <Segmented value={state} options={APP_STATES} onChange={(v) => setParams({ tab: 'applications', state: String(v) })} style={{ marginBottom: 16 }} />
      <Table<AdminLeaderApplication>
        rowKey="id"
        loading={loading}
        dataSource={rows}
        pagination={false}
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '电话', dataIndex: 'phone' },
          { title: '小区', dataIndex: 'community' },
          { title: '自提点地址', dataIndex: 'address' },
          { title: '营业时间', dataIndex: 'hours' },
          { title: '申请时间', dataIndex: 'createdAt', render: (at: string) => businessDateTimeText(new Date(at), session.timeZone) },
          ...(state === 'rejected' ? [{ title: '拒绝原因', dataIndex: 'reason' }] : []),
          {
            title: '操作',
            render: (_: unknown, a: AdminLeaderApplication) => {
              if (a.state === 'pending')
                return (
                  <Space>
                    <Popconfirm title={`通过 ${a.name} 的申请？`} description="通过后对方即成为团长，自提点对会员可见。" okText="通过" cancelText="取消" onConfirm={() => act(`/api/admin/leaders/applications/${a.userId}/approve`, '已通过')}>
                      <Button type="primary" size="small">
                        通过
                      </Button>
                    </Popconfirm>
                    <Button size="small" danger onClick={() => setRejecting(a)}>
                      拒绝
                    </Button>
                  </Space>
                )
              if (a.state === 'approved')
                return a.leaderState === 'suspended' ? (
                  <Space>
                    <Tag color="red">已暂停</Tag>
                    <Popconfirm title={`恢复 ${a.name} 的团长身份？`} okText="恢复" cancelText="取消" onConfirm={() => act(`/api/admin/leaders/${a.userId}/reinstate`, '已恢复')}>
                      <Button size="small">恢复</Button>
                    </Popconfirm>
                  </Space>
                ) : (
                  <Space>
                    <Tag color="green">正常</Tag>
                    <Popconfirm title={`暂停 ${a.name}？`} description="暂停期间不能核销提货，也不能绑定新会员。" okText="暂停" cancelText="取消" onConfirm={() => act(`/api/admin/leaders/${a.userId}/suspend`, '已暂停')}>
                      <Button size="small" danger>
                        暂停
                      </Button>
                    </Popconfirm>
                  </Space>
                )
              return null
            },
          },
        ]}
      />
      <Modal title={`拒绝 ${rejecting?.name ?? ''} 的申请`} open={rejecting !== null} okText="拒绝" okButtonProps={{ danger: true }} cancelText="取消" onOk={() => form.submit()} onCancel={() => setRejecting(null)} destroyOnClose>
        <Form form={form} layout="vertical" onFinish={reject} requiredMark={false}>
          <Form.Item label="拒绝原因（申请人可见）" name="reason" rules={[{ required: true, message: '请填写原因' }]}>
            <Input.TextArea rows={3} maxLength={100} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  )
}

function Withdrawals() {
  const { session } = useSession()
  const [params, setParams] = useSearchParams()
  const state: AdminWithdrawal['state'] = params.get('state') === 'approved' ? 'approved' : params.get('state') === 'paid' ? 'paid' : 'requested'
  const [rows, setRows] = useState<AdminWithdrawal[]>([])
  const [paying, setPaying] = useState<AdminWithdrawal | null>(null)
  const [payForm] = Form.useForm<{ transferRef: string }>()
  const [loading, setLoading] = useState(false)
  const { message } = AntApp.useApp()
  const failed = useFailed()

  const load = useCallback(() => {
    setLoading(true)
    return api.get('adminWithdrawals', '/api/admin/withdrawals', { state }).then((r) => setRows(r.withdrawals), failed).finally(() => setLoading(false))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state])
  useEffect(() => void load(), [load])

  const approve = (w: AdminWithdrawal) =>
    api.post('withdrawalApproved', `/api/admin/withdrawals/${w.id}/approve`).then(() => {
      message.success('已通过')
      return load()
    }, failed)

  const markPaid = async ({ transferRef }: { transferRef: string }) => {
    try {
      await api.post('withdrawalApproved', `/api/admin/withdrawals/${paying!.id}/paid`, { transferRef })
      message.success('已标记打款')
      setPaying(null)
      payForm.resetFields()
      await load()
    } catch (err) {
      const fields = fieldErrors<{ transferRef: string }>(err)
      if (fields.length) payForm.setFields(fields)
      else failed(err)
    }
  }

  const when = (at: string | null) => (at ? businessDateTimeText(new Date(at), session.timeZone) : '—')
  return (
    <>
      <Segmented
        value={state}
        options={[
          { value: 'requested', label: '待审核' },
          { value: 'approved', label: '待打款' },
          { value: 'paid', label: '已打款' },
        ]}
        onChange={(v) => setParams({ tab: 'withdrawals', state: String(v) })}
        style={{ marginBottom: 16 }}
      />
      <Table<AdminWithdrawal>
        rowKey="id"
        loading={loading}
        dataSource={rows}
        pagination={false}
        columns={[
          { title: '团长', dataIndex: 'leaderName' },
          { title: '小区', dataIndex: 'community' },
          { title: '金额', dataIndex: 'amountFen', render: (fen: number) => formatFen(fen) },
          { title: '申请时间', dataIndex: 'createdAt', render: when },
          { title: '通过时间', dataIndex: 'approvedAt', render: when },
          ...(state === 'paid' ? [{ title: '打款时间', dataIndex: 'paidAt', render: when }, { title: '转账流水号', dataIndex: 'transferRef' }] : []),
          {
            title: '操作',
            render: (_, w) =>
              w.state === 'requested' ? (
                <Popconfirm title={`通过 ${w.leaderName} 提现 ${formatFen(w.amountFen)}？`} okText="通过" cancelText="取消" onConfirm={() => approve(w)}>
                  <Button type="primary" size="small">
                    通过
                  </Button>
                </Popconfirm>
              ) : w.state === 'approved' ? (
                <Button size="small" onClick={() => setPaying(w)}>
                  标记已打款
                </Button>
              ) : null,
          },
        ]}
      />
      <Modal title={`标记 ${paying?.leaderName ?? ''} 的 ${paying ? formatFen(paying.amountFen) : ''} 已打款`} open={paying !== null} okText="确认已打款" cancelText="取消" onOk={() => payForm.submit()} onCancel={() => setPaying(null)} destroyOnClose>
        <Form form={payForm} layout="vertical" onFinish={markPaid} requiredMark={false}>
          <Form.Item label="转账流水号" name="transferRef" rules={[{ required: true, message: '请填写转账流水号' }]} extra="在银行或微信转账完成后填写，只能标记一次。">
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  )
}
