import {
  AuditQuerySchema,
  ChangePasswordRequestSchema,
  CreateOperatorRequestSchema,
  IdParamsSchema,
  OperatorSignInRequestSchema,
  Replies,
  UpdateOperatorRequestSchema,
} from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import { setConsoleCookie } from '../../http/console-guard'
import type { Services } from '../../services'
import { auditTrail } from './audit-trail'
import { OPERATOR_POLICY } from './operators.service'

/** Console sign-in and sessions, operator accounts, and the audit trail. */
export function operatorsRoutes(s: Services): RouteTable {
  const secure = s.config.env === 'production'
  const by = (a: { operatorId: string; username: string }) => ({ id: a.operatorId, username: a.username })
  return [
    [
      'post',
      '/api/console/session',
      endpoint({
        reply: Replies.operatorSession,
        access: 'public',
        rateLimit: { bucket: 'console-sign-in', perUser: 60, perIp: 60 },
        body: OperatorSignInRequestSchema,
        status: 201,
        handler: async ({ body, ctx }) => {
          const { token, session } = await s.operators.signIn(body.username, body.password, ctx.ip || 'unknown')
          setConsoleCookie(ctx, token, secure, OPERATOR_POLICY.sessionMs)
          return session
        },
      }),
    ],
    ['get', '/api/console/session', endpoint({ reply: Replies.operatorSession, access: { console: 'any' }, handler: ({ actor }) => s.operators.view(actor, actor.csrfToken) })],
    [
      'delete',
      '/api/console/session',
      endpoint({
        reply: 'empty',
        access: { console: 'any' },
        handler: async ({ actor, ctx }) => {
          await s.operators.signOut(actor)
          setConsoleCookie(ctx, null, secure, 0)
        },
      }),
    ],
    [
      'post',
      '/api/console/session/everywhere',
      endpoint({
        reply: 'empty',
        access: { console: 'any' },
        handler: async ({ actor, ctx }) => {
          await s.operators.signOutEverywhere(actor)
          setConsoleCookie(ctx, null, secure, 0)
        },
      }),
    ],
    [
      'post',
      '/api/console/password',
      endpoint({
        reply: Replies.operatorSession,
        access: { console: 'any' },
        body: ChangePasswordRequestSchema,
        handler: async ({ actor, body }) => {
          await s.operators.changePassword(actor, body.currentPassword, body.newPassword)
          return s.operators.view(actor, actor.csrfToken)
        },
      }),
    ],
    ['get', '/api/admin/operators', endpoint({ reply: Replies.operators, access: { console: 'operators' }, handler: async () => ({ operators: await s.operators.list() }) })],
    [
      'post',
      '/api/admin/operators',
      endpoint({ reply: Replies.createdOperator, access: { console: 'operators' }, body: CreateOperatorRequestSchema, status: 201, handler: ({ actor, body }) => s.operators.create(body, by(actor)) }),
    ],
    [
      'patch',
      '/api/admin/operators/:id',
      endpoint({
        reply: Replies.operator,
        access: { console: 'operators' },
        params: IdParamsSchema,
        body: UpdateOperatorRequestSchema,
        handler: async ({ actor, params, body }) => ({ operator: await s.operators.update(params.id, body, actor) }),
      }),
    ],
    [
      'post',
      '/api/admin/operators/:id/reset-password',
      endpoint({ reply: Replies.createdOperator, access: { console: 'operators' }, params: IdParamsSchema, handler: ({ actor, params }) => s.operators.resetPassword(params.id, actor) }),
    ],
    ['get', '/api/admin/audit', endpoint({ reply: Replies.auditPage, access: { console: 'audit' }, query: AuditQuerySchema, handler: ({ query }) => auditTrail(query) })],
  ]
}
