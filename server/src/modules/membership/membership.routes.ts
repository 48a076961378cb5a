import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'

export function membershipRoutes(s: Services): RouteTable {
  return [['get', '/api/membership', endpoint({ access: 'signed-in', handler: ({ actor }) => s.membership.view(actor.userId) })]]
}
