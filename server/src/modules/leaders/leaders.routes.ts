import {
  ApplicationListQuerySchema,
  BindLeaderRequestSchema,
  IdParamsSchema,
  LeaderApplicationRequestSchema,
  LeaderCodeParamsSchema,
  LeaderPickupRequestSchema,
  OperatorRefundRequestSchema,
  RejectApplicationRequestSchema,
  MarkWithdrawalPaidRequestSchema,
  WithdrawalListQuerySchema,
  WithdrawalRequestSchema, Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import { CODE_LOOKUPS } from '../../http/rate-limit'
import type { Services } from '../../services'

export function leadersRoutes(s: Services): RouteTable {
  return [
    // Shoppers: apply, see the application, bind to / switch leader, see their leader.
    ['post', '/api/leaders/applications', endpoint({ reply: Replies.leaderApplication, access: 'signed-in', body: LeaderApplicationRequestSchema, status: 201, handler: async ({ actor, body }) => ({ application: await s.leaders.apply(actor.userId, body) }) })],
    ['get', '/api/leaders/application', endpoint({ reply: Replies.myLeaderApplication, access: 'signed-in', handler: ({ actor }) => s.leaders.myApplication(actor.userId) })],
    // Public: a leader's link shows the point a visitor will pick up at, before signing in.
    ['get', '/api/leader-links/:code', endpoint({ reply: Replies.leaderLink, access: 'public', rateLimit: CODE_LOOKUPS, params: LeaderCodeParamsSchema, handler: async ({ params }) => ({ point: await s.leaders.linkOf(params.code) }) })],
    ['post', '/api/leaders/bind', endpoint({ reply: Replies.myLeader, access: 'signed-in', rateLimit: CODE_LOOKUPS, body: BindLeaderRequestSchema, handler: async ({ actor, body }) => ({ leader: await s.leaders.bind(actor.userId, body.code, { switch: body.switch }) }) })],
    [
      'get',
      '/api/leaders/mine',
      endpoint({ reply: Replies.myLeaderWithHistory, access: 'signed-in', handler: async ({ actor }) => ({ leader: await s.leaders.myLeader(actor.userId), history: await s.leaders.history(actor.userId) }) }),
    ],
    // Leaders: the centre, pickups at their point, withdrawals.
    ['get', '/api/leader/centre', endpoint({ reply: Replies.leaderCentre, access: ['leader'], handler: async ({ actor }) => ({ centre: await s.leaders.centre(actor.userId) }) })],
    [
      'get',
      '/api/leader/poster',
      endpoint({
        reply: 'binary',
        access: ['leader'],
        handler: async ({ actor, ctx }) => {
          const image = await s.leaders.posterCode(actor.userId)
          ctx.type = image.contentType
          ctx.set('Cache-Control', 'private, max-age=86400')
          return image.bytes
        },
      }),
    ],
    ['post', '/api/leader/pickups', endpoint({ reply: Replies.order, access: ['leader'], body: LeaderPickupRequestSchema, handler: async ({ actor, body }) => ({ order: await s.orders.pickupAtLeader(actor, body.code, body.lines) }) })],
    [
      'post',
      '/api/leader/withdrawals',
      endpoint({ reply: Replies.withdrawal, access: ['leader'], body: WithdrawalRequestSchema, status: 201, handler: async ({ actor, body }) => ({ withdrawal: await s.leaders.withdraw(actor.userId, body.amountFen, body.idempotencyKey) }) }),
    ],
    // Operators: review applications, suspend, approve payouts, after-sales refunds.
    ['get', '/api/admin/withdrawals', endpoint({ reply: Replies.adminWithdrawals, access: { console: 'withdrawals' }, query: WithdrawalListQuerySchema, handler: async ({ query }) => ({ withdrawals: await s.leaders.listWithdrawals(query.state) }) })],
    ['get', '/api/admin/leaders/applications', endpoint({ reply: Replies.adminLeaderApplications, access: { console: 'leaders' }, query: ApplicationListQuerySchema, handler: async ({ query }) => ({ applications: await s.leaders.listApplications(query.state) }) })],
    [
      'post',
      '/api/admin/leaders/applications/:id/approve',
      endpoint({ reply: Replies.pickupPoint, access: { console: 'leaders' }, params: IdParamsSchema, handler: async ({ actor, params }) => ({ point: await s.leaders.approve(actor.operatorId, params.id).finally(() => s.authority.forget(params.id)) }) }),
    ],
    [
      'post',
      '/api/admin/leaders/applications/:id/reject',
      endpoint({ reply: Replies.leaderApplication, access: { console: 'leaders' }, params: IdParamsSchema, body: RejectApplicationRequestSchema, handler: async ({ actor, params, body }) => ({ application: await s.leaders.reject(actor.operatorId, params.id, body.reason) }) }),
    ],
    ['post', '/api/admin/leaders/:id/suspend', endpoint({ reply: Replies.pickupPoint, access: { console: 'leaders' }, params: IdParamsSchema, handler: async ({ actor, params }) => ({ point: await s.leaders.setSuspended(actor.operatorId, params.id, true).finally(() => s.authority.forget(params.id)) }) })],
    ['post', '/api/admin/leaders/:id/reinstate', endpoint({ reply: Replies.pickupPoint, access: { console: 'leaders' }, params: IdParamsSchema, handler: async ({ actor, params }) => ({ point: await s.leaders.setSuspended(actor.operatorId, params.id, false).finally(() => s.authority.forget(params.id)) }) })],
    [
      'post',
      '/api/admin/withdrawals/:id/paid',
      endpoint({ reply: Replies.withdrawalApproved, access: { console: 'withdrawals' }, params: IdParamsSchema, body: MarkWithdrawalPaidRequestSchema, handler: async ({ params, body }) => ({ withdrawal: await s.leaders.markWithdrawalPaid(params.id, body.transferRef) }) }),
    ],
    ['post', '/api/admin/withdrawals/:id/approve', endpoint({ reply: Replies.withdrawalApproved, access: { console: 'withdrawals' }, params: IdParamsSchema, handler: async ({ actor, params }) => ({ withdrawal: await s.leaders.approveWithdrawal(actor.operatorId, params.id) }) })],
    ['post', '/api/admin/orders/:id/refund', endpoint({ reply: Replies.order, access: { console: 'refunds' }, params: IdParamsSchema, body: OperatorRefundRequestSchema, handler: async ({ actor, params, body }) => ({ order: await s.orders.refundByOperator(actor.operatorId, params.id, { lines: body.lines, reason: body.reason, key: body.idempotencyKey }) }) })],
  ]
}
