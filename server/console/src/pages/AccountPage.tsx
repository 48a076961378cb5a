import { App as AntApp, Alert, Button, Card, Form, Input } from 'antd'
import { api, errorText, fieldErrors } from '../api'
import { useSession } from '../session'

interface Values {
  currentPassword: string
  newPassword: string
  confirm: string
}

/** Changing the password (forced after a one-time password); the operator's other sessions end. */
export function AccountPage({ forced = false }: { forced?: boolean }) {
  const { setSession } = useSession()
  const [form] = Form.useForm<Values>()
  const { message } = AntApp.useApp()

  const submit = async ({ currentPassword, newPassword }: Values) => {
    try {
      const session = await api.post('operatorSession', '/api/console/password', { currentPassword, newPassword })
      message.success('密码已修改，其他设备上的登录已退出')
      form.resetFields()
      setSession(session)
    } catch (err) {
      const fields = fieldErrors<Values>(err)
      if (fields.length) form.setFields(fields)
      else message.error(errorText(err, '修改失败，请稍后再试'))
    }
  }

  const card = (
    <Card title="修改密码" style={{ maxWidth: 480 }}>
      {forced && <Alert type="warning" showIcon message="首次登录请先修改密码" description="临时密码只能使用一次，修改后才能使用运营后台。" style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item label="当前密码" name="currentPassword" rules={[{ required: true, message: '请输入当前密码' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item label="新密码" name="newPassword" rules={[{ required: true, message: '请输入新密码' }]} extra="至少 10 位">
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label="确认新密码"
          name="confirm"
          dependencies={['newPassword']}
          rules={[{ required: true, message: '请再输入一次新密码' }, ({ getFieldValue }) => ({ validator: (_, v) => (v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))) })]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          修改密码
        </Button>
      </Form>
    </Card>
  )
  return forced ? <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f5f7f5' }}>{card}</div> : card
}
