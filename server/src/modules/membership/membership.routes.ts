import { Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'

export function membershipRoutes(s: Services): RouteTable {
  return [['get', '/api/membership', endpoint({ reply: Replies.membership, access: 'signed-in', handler: ({ actor }) => s.membership.view(actor.userId) })]]
}
