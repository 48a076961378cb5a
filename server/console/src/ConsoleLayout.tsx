import type { ReactNode } from 'react'
import { useLocation, useNavigate } from 'react-router-dom'
import { App as AntApp, Button, Layout, Menu, Popconfirm, Space, Typography } from 'antd'
import { OPERATOR_ROLE_NAMES, type Permission } from '@xianlin/shared'
import { api } from './api'
import { can, useSession } from './session'

/** The side menu: only what this operator's role may open. */
const MENU: Array<{ path: string; label: string; permission: Permission | readonly Permission[] | null }> = [
  { path: '/overview', label: '概览', permission: 'reports' },
  { path: '/analytics', label: '增长分析', permission: 'reports' },
  { path: '/products', label: '商品', permission: 'catalogue' },
  { path: '/sessions', label: '团期', permission: 'catalogue' },
  { path: '/groupbuys', label: '拼团活动', permission: 'activities' },
  { path: '/mall', label: '积分商城', permission: 'mall' },
  { path: '/coupons', label: '优惠券', permission: 'coupons' },
  { path: '/campaigns', label: '用户运营', permission: 'campaigns' },
  { path: '/orders', label: '订单', permission: 'orders' },
  { path: '/pick-list', label: '分拣单', permission: 'orders' },
  { path: '/after-sales', label: '售后', permission: 'refunds' },
  { path: '/exceptions', label: '异常处理', permission: ['refunds', 'liability'] },
  { path: '/members', label: '会员', permission: 'members' },
  { path: '/trust', label: '邀请与评价', permission: 'members' },
  { path: '/stores', label: '门店与店员', permission: 'stores' },
  { path: '/leaders', label: '团长', permission: ['leaders', 'withdrawals'] },
  { path: '/rules', label: '规则设置', permission: 'rules' },
  { path: '/audit', label: '审计日志', permission: 'audit' },
  { path: '/operators', label: '运营账号', permission: 'operators' },
  { path: '/account', label: '账号安全', permission: null },
]

export function ConsoleLayout({ children }: { children: ReactNode }) {
  const { session, setSession } = useSession()
  const navigate = useNavigate()
  const location = useLocation()
  const { message } = AntApp.useApp()
  const allowed = (p: Permission | readonly Permission[] | null) => p === null || (typeof p === 'string' ? can(session, p) : p.some((one) => can(session, one)))
  const items = MENU.filter((m) => allowed(m.permission)).map((m) => ({ key: m.path, label: m.label }))
  const selected = MENU.find((m) => location.pathname.startsWith(m.path))?.path ?? ''

  const signOut = async (everywhere: boolean) => {
    await (everywhere ? api.send('POST', '/api/console/session/everywhere') : api.send('DELETE', '/api/console/session'))
    message.success(everywhere ? '已退出所有设备' : '已退出登录')
    setSession(null)
  }

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={208} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
        <div style={{ padding: '20px 24px', fontWeight: 600, fontSize: 16 }}>鲜邻优选 · 运营后台</div>
        <Menu mode="inline" selectedKeys={[selected]} items={items} onClick={(e) => navigate(e.key)} />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', borderBottom: '1px solid #f0f0f0', display: 'flex', justifyContent: 'flex-end', alignItems: 'center' }}>
          <Space size="middle">
            <Typography.Text>
              {session.operator.displayName}（{OPERATOR_ROLE_NAMES[session.operator.role]}）
            </Typography.Text>
            <Button onClick={() => void signOut(false)}>退出登录</Button>
            <Popconfirm title="退出所有设备？" description="所有已登录的浏览器都需要重新登录。" okText="全部退出" cancelText="取消" onConfirm={() => signOut(true)}>
              <Button danger>退出所有设备</Button>
            </Popconfirm>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  )
}
