import { OverviewQuerySchema, Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'

export function reportsRoutes(s: Services): RouteTable {
  return [['get', '/api/admin/overview', endpoint({ reply: Replies.overview, access: { console: 'reports' }, query: OverviewQuerySchema, handler: ({ query }) => s.reports.overview(query.days) })]]
}
