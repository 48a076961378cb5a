import { useCallback, useEffect, useState } from 'react'
import { Alert, App as AntApp, Button, Card, Drawer, Form, Input, Modal, Popconfirm, Radio, Space, Table, Tag, Typography } from 'antd'
import { businessDateTimeText, STAFF_POSITION_TEXT, type AdminStore, type StaffInvitation } from '@xianlin/shared'
import { api, errorText, showFormErrors } from '../api'
import { useSession } from '../session'
import { QrImage } from '../components/QrImage'

interface StoreForm {
  code: string
  name: string
  address: string
  hours: string
  phone?: string
}

/** The H5 shop's address of the page that accepts an invitation (the QR code opens it). */
const joinUrl = (invitation: StaffInvitation) => `${window.location.origin}/#${invitation.path}`

/** 门店与店员: stores (hours, address, phone), who works at each, one-time invitations for new clerks. */
export function StoresPage() {
  const { session } = useSession()
  const { message } = AntApp.useApp()
  const [stores, setStores] = useState<AdminStore[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [editing, setEditing] = useState<AdminStore | 'new' | null>(null)
  const [inviting, setInviting] = useState<AdminStore | null>(null)
  const [position, setPosition] = useState<'clerk' | 'manager'>('clerk')
  const [invitation, setInvitation] = useState<StaffInvitation | null>(null)
  const [form] = Form.useForm<StoreForm>()

  const load = useCallback(
    () =>
      api.get('adminStores', '/api/admin/stores').then(
        (r) => setStores(r.stores),
        (err) => setError(errorText(err, '加载失败')),
      ),
    [],
  )
  useEffect(() => void load(), [load])

  const open = (s: AdminStore | 'new') => {
    setEditing(s)
    form.resetFields()
    if (s !== 'new') form.setFieldsValue({ code: s.code, name: s.name, address: s.address, hours: s.hours, phone: s.phone ?? undefined })
  }

  const save = async (v: StoreForm) => {
    const body = { name: v.name, address: v.address, hours: v.hours, phone: v.phone?.trim() || null }
    try {
      if (editing === 'new') await api.post('store', '/api/admin/stores', { ...body, code: v.code })
      else if (editing) await api.patch('adminStore', `/api/admin/stores/${editing.id}`, body)
      message.success('门店已保存')
      setEditing(null)
      await load()
    } catch (err) {
      showFormErrors(form, err, message.error)
    }
  }

  const invite = async () => {
    if (!inviting) return
    try {
      setInvitation((await api.post('staffInvitation', `/api/admin/stores/${inviting.id}/invitations`, { position })).invitation)
    } catch (err) {
      message.error(errorText(err, '生成邀请失败'))
    }
  }

  const remove = (store: AdminStore, userId: string) =>
    api.send('DELETE', `/api/admin/stores/${store.id}/staff/${userId}`).then(
      () => {
        message.success('已移除')
        return load()
      },
      (err) => message.error(errorText(err, '移除失败')),
    )

  const closeInvite = () => {
    setInviting(null)
    setInvitation(null)
    void load()
  }

  return (
    <Card title="门店与店员" extra={<Button type="primary" onClick={() => open('new')}>新建门店</Button>}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Table<AdminStore>
        rowKey="id"
        loading={stores === null}
        dataSource={stores ?? []}
        pagination={false}
        columns={[
          { title: '门店', render: (_, s) => <Space direction="vertical" size={0}><b>{s.name}</b><span style={{ color: '#999' }}>{s.code}</span></Space> },
          { title: '地址', dataIndex: 'address' },
          { title: '营业时间', dataIndex: 'hours' },
          { title: '电话', dataIndex: 'phone', render: (p: string | null) => p ?? '—' },
          {
            title: '店员',
            render: (_, s) =>
              s.staff.length === 0 ? (
                <span style={{ color: '#999' }}>暂无</span>
              ) : (
                <Space wrap>
                  {s.staff.map((m) => (
                    <Popconfirm key={m.userId} title={`把 ${m.nickname} 移出 ${s.name}？`} description="移出后立即不能在这家门店核销。" okText="移出" okButtonProps={{ danger: true }} cancelText="取消" onConfirm={() => remove(s, m.userId)}>
                      <Tag closable onClose={(e) => e.preventDefault()} style={{ cursor: 'pointer' }}>
                        {m.nickname}（{m.position ? STAFF_POSITION_TEXT[m.position] : '店员'}）
                      </Tag>
                    </Popconfirm>
                  ))}
                </Space>
              ),
          },
          {
            title: '操作',
            render: (_, s) => (
              <Space>
                <Button size="small" onClick={() => open(s)}>编辑</Button>
                <Button size="small" type="primary" ghost onClick={() => setInviting(s)}>邀请店员</Button>
              </Space>
            ),
          },
        ]}
      />

      <Drawer title={editing === 'new' ? '新建门店' : '编辑门店'} width={480} open={editing !== null} onClose={() => setEditing(null)} destroyOnClose extra={<Button type="primary" onClick={() => form.submit()}>保存</Button>}>
        <Form<StoreForm> form={form} layout="vertical" onFinish={save}>
          <Form.Item name="code" label="门店编码" rules={[{ required: true, message: '请填写门店编码' }]} extra="大写字母、数字和短横线，创建后不能修改">
            <Input disabled={editing !== 'new'} maxLength={20} />
          </Form.Item>
          <Form.Item name="name" label="门店名称" rules={[{ required: true, message: '请填写门店名称' }]}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="address" label="地址" rules={[{ required: true, message: '请填写地址' }]}>
            <Input maxLength={120} />
          </Form.Item>
          <Form.Item name="hours" label="营业时间" rules={[{ required: true, message: '请填写营业时间' }]}>
            <Input maxLength={40} placeholder="如：08:00-22:00" />
          </Form.Item>
          <Form.Item name="phone" label="电话">
            <Input maxLength={20} />
          </Form.Item>
        </Form>
      </Drawer>

      <Modal title={`邀请店员加入 ${inviting?.name ?? ''}`} open={inviting !== null} onCancel={closeInvite} footer={invitation ? <Button onClick={closeInvite}>完成</Button> : undefined} onOk={invite} okText="生成邀请" cancelText="取消" destroyOnClose>
        {invitation ? (
          <Space direction="vertical" align="center" style={{ width: '100%' }}>
            <QrImage text={joinUrl(invitation)} alt="邀请二维码" testId="invitation-qr" />
            <Typography.Text>请店员用微信扫码，或在小程序「加入门店」输入邀请码：</Typography.Text>
            <Typography.Text copyable strong style={{ fontSize: 28, letterSpacing: 4 }} data-testid="invitation-code">
              {invitation.code}
            </Typography.Text>
            <Typography.Text type="secondary">只能使用一次，{businessDateTimeText(new Date(invitation.expiresAt), session.timeZone)} 前有效。关闭后不再显示。</Typography.Text>
          </Space>
        ) : (
          <Space direction="vertical">
            <Typography.Text>生成一个一次性邀请，店员用微信打开后即成为这家门店的员工。</Typography.Text>
            <Radio.Group value={position} onChange={(e) => setPosition(e.target.value)}>
              <Radio value="clerk">店员</Radio>
              <Radio value="manager">店长（可看全店核销记录）</Radio>
            </Radio.Group>
          </Space>
        )}
      </Modal>
    </Card>
  )
}
