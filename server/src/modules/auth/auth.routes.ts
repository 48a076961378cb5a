import { DeleteAccountRequestSchema, DevLoginRequestSchema, RefreshRequestSchema, WechatLoginRequestSchema, Replies } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'
import { getUser, toUserView } from '../users/users.service'

export function authRoutes(s: Services): RouteTable {
  return [
    [
      'post',
      '/api/auth/wechat',
      endpoint({ reply: Replies.auth, access: 'public', body: WechatLoginRequestSchema, handler: ({ body }) => s.auth.loginWithWechat(body) }),
    ],
    // Which sign-ins this server offers: the H5 pages show the demo sign-ins only where they work
    // (development), since the H5 build itself is the same everywhere.
    ['get', '/api/auth/methods', endpoint({ reply: Replies.authMethods, access: 'public', handler: async () => ({ wechat: true, demo: s.config.devLogin }) })],
    [
      'post',
      '/api/auth/dev',
      endpoint({ reply: Replies.auth,
        access: 'public',
        body: DevLoginRequestSchema.optional(),
        handler: ({ body }) => {
          if (!s.config.devLogin) throw new AppError('DEV_LOGIN_DISABLED')
          return s.auth.devLogin(body ?? {})
        },
      }),
    ],
    [
      'post',
      '/api/auth/refresh',
      endpoint({ reply: Replies.auth, access: 'public', body: RefreshRequestSchema, handler: ({ body }) => s.auth.refresh(body.refreshToken) }),
    ],
    [
      'get',
      '/api/me',
      endpoint({ reply: Replies.me, access: 'signed-in', handler: async ({ actor }) => ({ user: toUserView(await getUser(actor.userId)) }) }),
    ],
    // 注销账号: personal data goes, ledgers stay anonymous (flows/account-deletion.flow.ts).
    ['post', '/api/me/deletion', endpoint({ reply: 'empty', access: 'signed-in', body: DeleteAccountRequestSchema, status: 204, handler: async ({ actor }) => void (await s.deleteAccount(actor.userId)) })],
  ]
}
