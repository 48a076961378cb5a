import { useState } from 'react'
import type { Dayjs } from 'dayjs'
import { Alert, App as AntApp, Button, Card, DatePicker, Drawer, Form, Input, InputNumber, Modal, Popconfirm, Radio, Select, Space, Table, Tag, Typography } from 'antd'
import { businessDateTimeText, COUPON_SCOPE_TEXT, COUPON_SCOPES, formatFen, yuanToFen, type AdminCouponTemplate } from '@xianlin/shared'
import { api, errorText, showFormErrors } from '../api'
import { useCursorList } from '../hooks/useCursorList'
import { LoadMore } from '../components/LoadMore'
import { requestKey } from '../requestKey'
import { useSession } from '../session'
import { ClaimLinkDialog } from '../components/ClaimLinkDialog'

interface TemplateForm {
  name: string
  kind: 'amount' | 'percent'
  amountYuan?: number
  percentOff?: number
  minSpendYuan?: number
  scope: (typeof COUPON_SCOPES)[number]
  validityKind: 'relative' | 'fixed'
  days?: number
  window?: [Dayjs, Dayjs]
}

const faceValue = (t: AdminCouponTemplate) => (t.kind === 'amount' ? `${formatFen(t.amountFen)}` : `${(100 - t.percentOff) / 10} 折`)

/** 优惠券: templates (amount or percent, threshold, validity, scope), grants to members, deactivation. */
export function CouponsPage() {
  const { session } = useSession()
  const { message } = AntApp.useApp()
  const list = useCursorList<AdminCouponTemplate>(async (cursor) => {
    const r = await api.get('adminCouponTemplates', '/api/admin/coupon-templates', { cursor, limit: 20 })
    return { items: r.templates, nextCursor: r.nextCursor }
  }, 'all')
  const [linking, setLinking] = useState<AdminCouponTemplate | null>(null)
  const [creating, setCreating] = useState(false)
  const [granting, setGranting] = useState<{ template: AdminCouponTemplate; key: string } | null>(null)
  const [memberIds, setMemberIds] = useState('')
  const [form] = Form.useForm<TemplateForm>()
  const kind = Form.useWatch('kind', form)
  const validityKind = Form.useWatch('validityKind', form)
  const when = (at: string) => businessDateTimeText(new Date(at), session.timeZone)
  const failed = (err: unknown) => message.error(errorText(err, '操作失败'))

  const create = async (v: TemplateForm) => {
    const amountFen = v.kind === 'amount' ? yuanToFen(String(v.amountYuan ?? '')) : null
    if (v.kind === 'amount' && !amountFen) return form.setFields([{ name: 'amountYuan', errors: ['请填写面额'] }])
    try {
      await api.post('couponTemplate', '/api/admin/coupon-templates', {
        name: v.name,
        kind: v.kind,
        ...(v.kind === 'amount' ? { amountFen } : { percentOff: v.percentOff }),
        minSpendFen: yuanToFen(String(v.minSpendYuan ?? 0)) ?? 0,
        scope: v.scope,
        validity: v.validityKind === 'relative' ? { kind: 'relative', days: v.days } : { kind: 'fixed', from: v.window?.[0].toISOString(), to: v.window?.[1].toISOString() },
      })
      message.success('优惠券已创建')
      setCreating(false)
      form.resetFields()
      await list.reload()
    } catch (err) {
      showFormErrors(form, err, message.error, { rename: { amountFen: 'amountYuan', minSpendFen: 'minSpendYuan' } })
    }
  }

  const grant = async () => {
    if (!granting) return
    const userIds = memberIds.split(/[\s,，]+/).map((s) => s.trim()).filter(Boolean)
    try {
      const r = await api.post('couponBatchGranted', '/api/admin/coupons/grant-batch', { templateId: granting.template.id, userIds, idempotencyKey: granting.key })
      message.success(`已发放 ${r.granted} 张${r.replayed ? `，${r.replayed} 位此前已发过` : ''}${r.missing.length ? `，${r.missing.length} 个会员 ID 不存在` : ''}`)
      setGranting(null)
      setMemberIds('')
      await list.reload()
    } catch (err) {
      failed(err)
    }
  }

  return (
    <Card title="优惠券" extra={<Button type="primary" onClick={() => setCreating(true)}>新建优惠券</Button>}>
      {list.error && <Alert type="error" showIcon message={list.error} style={{ marginBottom: 16 }} />}
      <Table<AdminCouponTemplate>
        rowKey="id"
        dataSource={list.rows}
        loading={list.loading}
        pagination={false}
        locale={{ emptyText: '还没有优惠券' }}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '面额', render: (_, t) => <b>{faceValue(t)}</b> },
          { title: '门槛', render: (_, t) => (t.minSpendFen ? `满 ${formatFen(t.minSpendFen)}` : '无门槛') },
          { title: '适用', render: (_, t) => COUPON_SCOPE_TEXT[t.scope] },
          { title: '有效期', render: (_, t) => (t.validity.kind === 'relative' ? `领取后 ${t.validity.days} 天` : `${when(t.validity.from)} 至 ${when(t.validity.to)}`) },
          { title: '已发 / 已用 / 过期', render: (_, t) => `${t.counts.issued} / ${t.counts.used} / ${t.counts.expired}` },
          { title: '状态', render: (_, t) => (t.active ? <Tag color="green">可发放</Tag> : <Tag>已停用</Tag>) },
          {
            title: '操作',
            render: (_, t) =>
              t.active ? (
                <Space>
                  <Button size="small" onClick={() => setGranting({ template: t, key: requestKey() })}>发放</Button>
                  <Button size="small" onClick={() => setLinking(t)}>领券链接</Button>
                  <Popconfirm title="停用这张优惠券？" description="停用后不能再发放；已发出的券到期前照常可用。" okText="停用" okButtonProps={{ danger: true }} cancelText="取消" onConfirm={() => api.patch('adminCouponTemplate', `/api/admin/coupon-templates/${t.id}`, { active: false }).then(list.reload, failed)}>
                    <Button size="small" danger>停用</Button>
                  </Popconfirm>
                </Space>
              ) : null,
          },
        ]}
      />
      <LoadMore list={list} />
      <ClaimLinkDialog template={linking} onClose={() => setLinking(null)} />

      <Drawer title="新建优惠券" width={480} open={creating} onClose={() => setCreating(false)} destroyOnClose extra={<Button type="primary" onClick={() => form.submit()}>创建</Button>}>
        <Form<TemplateForm> form={form} layout="vertical" onFinish={create} initialValues={{ kind: 'amount', scope: 'all', validityKind: 'relative', days: 7, minSpendYuan: 0 }}>
          <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
            <Input maxLength={30} placeholder="如：满 50 减 5" />
          </Form.Item>
          <Form.Item name="kind" label="类型">
            <Radio.Group>
              <Radio value="amount">满减</Radio>
              <Radio value="percent">折扣</Radio>
            </Radio.Group>
          </Form.Item>
          {kind === 'percent' ? (
            <Form.Item name="percentOff" label="优惠比例（%）" rules={[{ required: true, message: '请填写比例' }]} extra="如 10 表示 9 折">
              <InputNumber min={1} max={90} />
            </Form.Item>
          ) : (
            <Form.Item name="amountYuan" label="面额（元）" rules={[{ required: true, message: '请填写面额' }]}>
              <InputNumber min={0.01} precision={2} />
            </Form.Item>
          )}
          <Form.Item name="minSpendYuan" label="使用门槛（元，0 为无门槛）">
            <InputNumber min={0} precision={2} />
          </Form.Item>
          <Form.Item name="scope" label="适用范围">
            <Select options={COUPON_SCOPES.map((s) => ({ value: s, label: COUPON_SCOPE_TEXT[s] }))} />
          </Form.Item>
          <Form.Item name="validityKind" label="有效期">
            <Radio.Group>
              <Radio value="relative">领取后若干天</Radio>
              <Radio value="fixed">固定时间段</Radio>
            </Radio.Group>
          </Form.Item>
          {validityKind === 'fixed' ? (
            <Form.Item name="window" label="时间段" rules={[{ required: true, message: '请选择时间段' }]}>
              <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
          ) : (
            <Form.Item name="days" label="天数" rules={[{ required: true, message: '请填写天数' }]}>
              <InputNumber min={1} max={3650} />
            </Form.Item>
          )}
        </Form>
      </Drawer>

      <Modal title={`发放：${granting?.template.name ?? ''}`} open={granting !== null} okText="发放" cancelText="取消" onOk={grant} onCancel={() => setGranting(null)} destroyOnClose>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>会员 ID，每行一个（可从「会员」页复制），一次最多 200 位。重复提交不会重复发放。</Typography.Text>
          <Input.TextArea rows={6} value={memberIds} onChange={(e) => setMemberIds(e.target.value)} placeholder="6b12d9a023115ec1f993c753" />
        </Space>
      </Modal>
    </Card>
  )
}
