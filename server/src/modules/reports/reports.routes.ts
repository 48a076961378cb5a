import { GrowthTrendQuerySchema, OverviewQuerySchema, Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'

export function reportsRoutes(s: Services): RouteTable {
  return [
    ['get', '/api/admin/overview', endpoint({ reply: Replies.overview, access: { console: 'reports' }, query: OverviewQuerySchema, handler: ({ query }) => s.reports.overview(query.days) })],
    ['get', '/api/admin/analytics/trend', endpoint({ reply: Replies.growthTrend, access: { console: 'reports' }, query: GrowthTrendQuerySchema, handler: ({ query }) => s.reports.trend(query.from, query.to) })],
  ]
}
