import { CheckinReportQuerySchema, FunnelQuerySchema, GroupbuyReportQuerySchema, InvitationReportQuerySchema, RfmMembersQuerySchema, RfmQuerySchema, PointsLiabilityQuerySchema, LeaderReportQuerySchema, GrowthTrendQuerySchema, LifecycleQuerySchema, OverviewQuerySchema, Replies, RetentionQuerySchema } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'

export function reportsRoutes(s: Services): RouteTable {
  return [
    ['get', '/api/admin/overview', endpoint({ reply: Replies.overview, access: { console: 'reports' }, query: OverviewQuerySchema, handler: ({ query }) => s.reports.overview(query.days) })],
    ['get', '/api/admin/analytics/trend', endpoint({ reply: Replies.growthTrend, access: { console: 'reports' }, query: GrowthTrendQuerySchema, handler: ({ query }) => s.reports.trend(query.from, query.to) })],
    ['get', '/api/admin/analytics/retention', endpoint({ reply: Replies.retention, access: { console: 'reports' }, query: RetentionQuerySchema, handler: ({ query }) => s.reports.retention(query.from, query.to, query.returning) })],
    ['get', '/api/admin/analytics/funnel', endpoint({ reply: Replies.funnel, access: { console: 'reports' }, query: FunnelQuerySchema, handler: ({ query }) => s.reports.funnel(query) })],
    ['get', '/api/admin/analytics/lifecycle', endpoint({ reply: Replies.lifecycle, access: { console: 'reports' }, query: LifecycleQuerySchema, handler: ({ query }) => s.reports.lifecycle(query.from, query.to) })],
    ['get', '/api/admin/analytics/checkins', endpoint({ reply: Replies.checkinReport, access: { console: 'reports' }, query: CheckinReportQuerySchema, handler: ({ query }) => s.reports.checkins(query.from, query.to) })],
    ['get', '/api/admin/analytics/groupbuys', endpoint({ reply: Replies.groupbuyReport, access: { console: 'reports' }, query: GroupbuyReportQuerySchema, handler: ({ query }) => s.reports.groupbuys(query.from, query.to) })],
    ['get', '/api/admin/analytics/invitations', endpoint({ reply: Replies.invitationReport, access: { console: 'reports' }, query: InvitationReportQuerySchema, handler: ({ query }) => s.reports.invitations(query.from, query.to) })],
    ['get', '/api/admin/analytics/points-liability', endpoint({ reply: Replies.pointsLiability, access: { console: 'reports' }, query: PointsLiabilityQuerySchema, handler: ({ query }) => s.reports.pointsLiability(query.months) })],
    ['post', '/api/admin/analytics/points-liability/refresh', endpoint({ reply: Replies.pointsLiabilityRefresh, access: { console: 'reports' }, status: 202, handler: () => s.reports.startPointsLiabilityRefresh() })],
    ['get', '/api/admin/analytics/leaders', endpoint({ reply: Replies.leaderReport, access: { console: 'reports' }, query: LeaderReportQuerySchema, handler: ({ query }) => s.reports.leaders(query.from, query.to) })],
    ['get', '/api/admin/analytics/rfm', endpoint({ reply: Replies.rfm, access: { console: 'reports' }, query: RfmQuerySchema, handler: ({ query }) => s.reports.rfm(query.to) })],
    ['get', '/api/admin/analytics/rfm/members', endpoint({ reply: Replies.rfmMembers, access: { console: 'reports' }, query: RfmMembersQuerySchema, handler: ({ query }) => s.reports.rfmMembers(query) })],
  ]
}
