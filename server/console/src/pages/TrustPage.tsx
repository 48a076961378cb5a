import { useCallback, useEffect, useState } from 'react'
import { useSearchParams } from 'react-router-dom'
import { App as AntApp, Button, Card, Form, Image, Input, Modal, Popconfirm, Rate, Segmented, Space, Table, Tabs, Tag } from 'antd'
import { businessDateTimeText, consolePhotoPath, type AdminReview, type InvitationReview } from '@xianlin/shared'
import { api, errorText, fieldErrors } from '../api'
import { useSession } from '../session'

const REASONS: Record<string, string> = { INVITER_VELOCITY: '同一邀请人 1 小时内邀请过多', CROWDED_DEVICE: '同一设备登录账号过多' }
const INVITE_STATES = [
  { value: 'open', label: '待审核' },
  { value: 'approved', label: '已通过' },
  { value: 'rejected', label: '已拒绝' },
] as const
const REVIEW_STATES = [
  { value: 'pending', label: '待审核' },
  { value: 'visible', label: '已展示' },
  { value: 'hidden', label: '已隐藏' },
] as const

/** 邀请与评价: invitations the velocity rules held, and members' reviews to publish or hide. Tab and filter sit in the URL. */
export function TrustPage() {
  const [params, setParams] = useSearchParams()
  const active = params.get('tab') === 'reviews' ? 'reviews' : 'invitations'
  return (
    <Card title="邀请与评价">
      <Tabs
        activeKey={active}
        onChange={(tab) => setParams({ tab })}
        destroyInactiveTabPane
        items={[
          { key: 'invitations', label: '邀请审核', children: <Invitations /> },
          { key: 'reviews', label: '评价管理', children: <Reviews /> },
        ]}
      />
    </Card>
  )
}

/** A reason an operator must give, in a modal; resolves with the text or rejects the API's field errors into the form. */
function useReasonModal(title: string, field: 'note' | 'reason') {
  const [target, setTarget] = useState<{ id: string; run: (text: string) => Promise<void> } | null>(null)
  const [form] = Form.useForm<Record<string, string>>()
  const { message } = AntApp.useApp()
  const submit = async (values: Record<string, string>) => {
    try {
      await target!.run(values[field]!)
      setTarget(null)
      form.resetFields()
    } catch (err) {
      const fields = fieldErrors<Record<string, string>>(err)
      if (fields.length) form.setFields(fields)
      else message.error(errorText(err, '操作失败，请稍后再试'))
    }
  }
  const modal = (
    <Modal open={target !== null} title={title} okText="确定" cancelText="取消" onOk={() => form.submit()} onCancel={() => setTarget(null)} destroyOnClose>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name={field} label="原因" rules={[{ required: true, min: 2, message: '请写明原因（至少 2 个字）' }]}>
          <Input.TextArea rows={3} maxLength={200} showCount />
        </Form.Item>
      </Form>
    </Modal>
  )
  return { ask: (id: string, run: (text: string) => Promise<void>) => setTarget({ id, run }), modal }
}

function Invitations() {
  const { session } = useSession()
  const [params, setParams] = useSearchParams()
  const state = INVITE_STATES.find((s) => s.value === params.get('state'))?.value ?? 'open'
  const [rows, setRows] = useState<InvitationReview[]>([])
  const [loading, setLoading] = useState(false)
  const { message } = AntApp.useApp()
  const reject = useReasonModal('拒绝这条邀请', 'note')

  const load = useCallback(() => {
    setLoading(true)
    return api.get('invitationReviews', '/api/admin/referral/reviews', { state }).then((r) => setRows(r.reviews), (err) => message.error(errorText(err, '加载失败'))).finally(() => setLoading(false))
  }, [state, message])
  useEffect(() => void load(), [load])

  return (
    <>
      <Segmented value={state} options={[...INVITE_STATES]} onChange={(v) => setParams({ tab: 'invitations', state: String(v) })} style={{ marginBottom: 16 }} />
      <Table<InvitationReview>
        rowKey="inviteeId"
        loading={loading}
        dataSource={rows}
        pagination={false}
        columns={[
          { title: '邀请人', dataIndex: 'inviter' },
          { title: '被邀请人', dataIndex: 'invitee' },
          { title: '绑定时间', dataIndex: 'boundAt', render: (at: string) => businessDateTimeText(new Date(at), session.timeZone) },
          { title: '待审原因', dataIndex: 'reasons', render: (reasons: string[]) => reasons.map((r) => <Tag key={r} color="orange">{REASONS[r] ?? r}</Tag>) },
          { title: '手机号', dataIndex: 'phoneBound', render: (bound: boolean) => (bound ? '已绑定' : '未绑定') },
          ...(state === 'open'
            ? [
                {
                  title: '操作',
                  render: (_: unknown, r: InvitationReview) => (
                    <Space>
                      <Popconfirm
                        title="通过这条邀请？"
                        description="通过后按规则发放邀请奖励（已满足条件的立即发放）。"
                        okText="通过"
                        cancelText="取消"
                        onConfirm={() => api.send('POST', `/api/admin/referral/reviews/${r.inviteeId}/approve`).then(() => (message.success('已通过'), load()), (err) => message.error(errorText(err, '操作失败')))}
                      >
                        <Button type="primary" size="small">
                          通过
                        </Button>
                      </Popconfirm>
                      <Button size="small" danger onClick={() => reject.ask(r.inviteeId, async (note) => (await api.send('POST', `/api/admin/referral/reviews/${r.inviteeId}/reject`, { note }), message.success('已拒绝'), void load()))}>
                        拒绝
                      </Button>
                    </Space>
                  ),
                },
              ]
            : [
                { title: '处理人', dataIndex: 'decidedBy' },
                { title: '处理时间', dataIndex: 'decidedAt', render: (at: string | null) => (at ? businessDateTimeText(new Date(at), session.timeZone) : '') },
                { title: '备注', dataIndex: 'note' },
              ]),
        ]}
      />
      {reject.modal}
    </>
  )
}

function Reviews() {
  const { session } = useSession()
  const [params, setParams] = useSearchParams()
  const state = REVIEW_STATES.find((s) => s.value === params.get('state'))?.value ?? 'pending'
  const [rows, setRows] = useState<AdminReview[]>([])
  const [loading, setLoading] = useState(false)
  const { message } = AntApp.useApp()
  const hide = useReasonModal('从商品页隐藏这条评价', 'reason')

  const load = useCallback(() => {
    setLoading(true)
    return api.get('adminReviews', '/api/admin/reviews', { state }).then((r) => setRows(r.reviews), (err) => message.error(errorText(err, '加载失败'))).finally(() => setLoading(false))
  }, [state, message])
  useEffect(() => void load(), [load])

  return (
    <>
      <Segmented value={state} options={[...REVIEW_STATES]} onChange={(v) => setParams({ tab: 'reviews', state: String(v) })} style={{ marginBottom: 16 }} />
      <Table<AdminReview>
        rowKey="id"
        loading={loading}
        dataSource={rows}
        pagination={false}
        columns={[
          { title: '会员', dataIndex: 'author', width: 100 },
          { title: '评分', dataIndex: 'rating', width: 150, render: (n: number) => <Rate disabled value={n} style={{ fontSize: 14 }} /> },
          { title: '内容', dataIndex: 'text' },
          {
            title: '晒图',
            dataIndex: 'photos',
            render: (photos: string[]) => (
              <Image.PreviewGroup>
                <Space size={4} wrap>
                  {photos.map((id) => (
                    <Image key={id} width={48} height={48} style={{ objectFit: 'cover' }} src={consolePhotoPath(id, 'thumb')} preview={{ src: consolePhotoPath(id, 'large') }} />
                  ))}
                </Space>
              </Image.PreviewGroup>
            ),
          },
          { title: '微信内容安全', dataIndex: 'moderation', render: (m: AdminReview['moderation']) => (m ? <Tag color={m.suggest === 'pass' ? 'green' : 'orange'}>{m.suggest === 'pass' ? '通过' : `需人工审核（${m.label}）`}</Tag> : '—') },
          { title: '时间', dataIndex: 'createdAt', render: (at: string) => businessDateTimeText(new Date(at), session.timeZone) },
          ...(state === 'hidden' ? [{ title: '隐藏原因', dataIndex: 'hiddenReason' }] : []),
          {
            title: '操作',
            render: (_: unknown, r: AdminReview) =>
              r.state === 'hidden' ? null : (
                <Space>
                  {r.state === 'pending' ? (
                    <Button type="primary" size="small" onClick={() => api.send('POST', `/api/admin/reviews/${r.orderId}/publish`).then(() => (message.success('已发布，评价奖励已发放'), load()), (err) => message.error(errorText(err, '操作失败')))}>
                      发布
                    </Button>
                  ) : null}
                  <Button size="small" danger onClick={() => hide.ask(r.orderId, async (reason) => (await api.send('POST', `/api/admin/reviews/${r.orderId}/hide`, { reason }), message.success('已隐藏'), void load()))}>
                    隐藏
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      {hide.modal}
    </>
  )
}
