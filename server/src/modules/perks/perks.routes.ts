import { BirthdayRequestSchema, Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'

export function perksRoutes(s: Services): RouteTable {
  return [
    ['get', '/api/me/birthday', endpoint({ reply: Replies.birthday, access: 'signed-in', handler: ({ actor }) => s.perks.birthday(actor.userId) })],
    ['put', '/api/me/birthday', endpoint({ reply: Replies.birthday, access: 'signed-in', body: BirthdayRequestSchema, handler: ({ actor, body }) => s.perks.setBirthday(actor.userId, body) })],
  ]
}
