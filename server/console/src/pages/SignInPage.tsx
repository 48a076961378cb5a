import { useState } from 'react'
import { Alert, Button, Card, Form, Input, Typography } from 'antd'
import type { OperatorSession } from '@xianlin/shared'
import { api, errorText, fieldErrors, rememberCsrf } from '../api'

/** Username and password; the reply's CSRF token is kept in memory for the session's changes. */
export function SignInPage({ onSignedIn }: { onSignedIn: (s: OperatorSession) => void }) {
  const [form] = Form.useForm<{ username: string; password: string }>()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true)
    setError(null)
    try {
      const session = await api.post('operatorSession', '/api/console/session', values)
      rememberCsrf(session.csrfToken)
      onSignedIn(session)
    } catch (err) {
      form.setFields(fieldErrors<{ username: string; password: string }>(err))
      setError(errorText(err, '网络异常，请稍后再试'))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f5f7f5' }}>
      <Card style={{ width: 380 }}>
        <Typography.Title level={3} style={{ textAlign: 'center' }}>
          鲜邻优选 · 运营后台
        </Typography.Title>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
      </Card>
    </div>
  )
}
