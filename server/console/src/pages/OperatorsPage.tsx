import { useCallback, useEffect, useState } from 'react'
import { App as AntApp, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd'
import { OPERATOR_ROLE_NAMES, OPERATOR_ROLES, businessDateTimeText, type OperatorRole, type OperatorView } from '@xianlin/shared'
import { api, errorText, ApiError, fieldErrors } from '../api'
import { useSession } from '../session'

const roleOptions = OPERATOR_ROLES.map((r) => ({ value: r, label: OPERATOR_ROLE_NAMES[r] }))

/** Operator accounts (管理员 only): create with a one-time password, change role, disable, reset. */
export function OperatorsPage() {
  const { session } = useSession()
  const { message, modal } = AntApp.useApp()
  const [rows, setRows] = useState<OperatorView[]>([])
  const [creating, setCreating] = useState(false)
  const [form] = Form.useForm<{ username: string; displayName?: string; role: OperatorRole }>()

  const load = useCallback(() => api.get('operators', '/api/admin/operators').then((r) => setRows(r.operators)), [])
  useEffect(() => void load(), [load])

  const showPassword = (username: string, password: string) =>
    modal.success({
      title: `${username} 的临时密码`,
      content: (
        <Space direction="vertical">
          <Typography.Text copyable strong style={{ fontSize: 18 }}>
            {password}
          </Typography.Text>
          <Typography.Text type="secondary">只显示这一次。请当面交给对方，首次登录时必须修改。</Typography.Text>
        </Space>
      ),
    })

  const failed = (err: unknown) => message.error(errorText(err, '操作失败，请稍后再试'))

  const create = async (values: { username: string; displayName?: string; role: OperatorRole }) => {
    try {
      const created = await api.post('createdOperator', '/api/admin/operators', { ...values, displayName: values.displayName || undefined })
      setCreating(false)
      form.resetFields()
      showPassword(created.operator.username, created.oneTimePassword)
      await load()
    } catch (err) {
      const fields = fieldErrors<{ username: string; displayName?: string; role: OperatorRole }>(err)
      if (fields.length) form.setFields(fields)
      else if (err instanceof ApiError && err.code === 'USERNAME_TAKEN') form.setFields([{ name: 'username', errors: [err.message] }])
      else failed(err)
    }
  }

  const update = (o: OperatorView, change: { role?: OperatorRole; disabled?: boolean }) =>
    api.patch('operator', `/api/admin/operators/${o.id}`, change).then(() => {
      message.success('已保存')
      return load()
    }, failed)

  const reset = (o: OperatorView) =>
    api.post('createdOperator', `/api/admin/operators/${o.id}/reset-password`).then((r) => {
      showPassword(r.operator.username, r.oneTimePassword)
      return load()
    }, failed)

  return (
    <Card title="运营账号" extra={<Button type="primary" onClick={() => setCreating(true)}>新建账号</Button>}>
      <Table<OperatorView>
        rowKey="id"
        dataSource={rows}
        pagination={false}
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '显示名', dataIndex: 'displayName' },
          {
            title: '角色',
            dataIndex: 'role',
            render: (role: OperatorRole, o) => (
              <Select
                value={role}
                options={roleOptions}
                style={{ width: 120 }}
                disabled={o.id === session.operator.id}
                onChange={(next) => modal.confirm({ title: `把 ${o.username} 的角色改为${OPERATOR_ROLE_NAMES[next]}？`, okText: '确认修改', cancelText: '取消', onOk: () => update(o, { role: next }) })}
              />
            ),
          },
          {
            title: '状态',
            render: (_, o) => (
              <Space>
                {o.disabled ? <Tag>已停用</Tag> : <Tag color="green">正常</Tag>}
                {o.mustChangePassword && <Tag color="orange">待改密</Tag>}
                {o.lockedUntil && <Tag color="red">锁定至 {businessDateTimeText(new Date(o.lockedUntil), session.timeZone)}</Tag>}
              </Space>
            ),
          },
          { title: '创建时间', dataIndex: 'createdAt', render: (at: string) => businessDateTimeText(new Date(at), session.timeZone) },
          {
            title: '操作',
            render: (_, o) =>
              o.id === session.operator.id ? (
                <Typography.Text type="secondary">当前账号</Typography.Text>
              ) : (
                <Space>
                  <Popconfirm title={o.disabled ? `启用 ${o.username}？` : `停用 ${o.username}？`} description={o.disabled ? undefined : '停用后其所有登录立即失效。'} okText="确认" cancelText="取消" onConfirm={() => update(o, { disabled: !o.disabled })}>
                    <Button size="small" danger={!o.disabled}>
                      {o.disabled ? '启用' : '停用'}
                    </Button>
                  </Popconfirm>
                  <Popconfirm title={`重置 ${o.username} 的密码？`} description="将生成新的临时密码，其所有登录立即失效。" okText="重置" cancelText="取消" onConfirm={() => reset(o)}>
                    <Button size="small">重置密码</Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      <Modal title="新建运营账号" open={creating} okText="创建" cancelText="取消" onOk={() => form.submit()} onCancel={() => setCreating(false)} destroyOnClose>
        <Form form={form} layout="vertical" onFinish={create} initialValues={{ role: 'operations' }} requiredMark={false}>
          <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]} extra="3–32 位小写字母、数字、._-，以字母开头">
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item label="显示名" name="displayName">
            <Input placeholder="如 运营小陈" />
          </Form.Item>
          <Form.Item label="角色" name="role" rules={[{ required: true }]}>
            <Select options={roleOptions} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  )
}
