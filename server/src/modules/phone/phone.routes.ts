import { BindPhoneRequestSchema, Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import { CODE_LOOKUPS } from '../../http/rate-limit'
import type { Services } from '../../services'

export function phoneRoutes(s: Services): RouteTable {
  return [
    // 绑定手机号: the getPhoneNumber button's code (or a typed number in development).
    ['post', '/api/me/phone', endpoint({ reply: Replies.phone, access: 'signed-in', rateLimit: CODE_LOOKUPS, body: BindPhoneRequestSchema, handler: ({ actor, body }) => s.phone.bind(actor.userId, body) })],
    ['delete', '/api/me/phone', endpoint({ reply: Replies.phone, access: 'signed-in', handler: ({ actor }) => s.phone.unbind(actor.userId) })],
  ]
}
