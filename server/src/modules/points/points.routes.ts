import { AdjustPointsRequestSchema, LedgerQuerySchema, Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'
import { recordAudit } from '../audit/audit.service'
import { toLedgerView as toView } from './ledger-view'

export function pointsRoutes(s: Services): RouteTable {
  return [
    ['get', '/api/points', endpoint({ reply: Replies.pointsSummary, access: 'signed-in', handler: ({ actor }) => s.points.summary(actor.userId) })],
    [
      'get',
      '/api/points/ledger',
      endpoint({ reply: Replies.ledger,
        access: 'signed-in',
        query: LedgerQuerySchema,
        handler: async ({ actor, query }) => {
          const page = await s.points.ledger(actor.userId, { before: query.cursor, limit: query.limit })
          return { entries: page.entries.map(toView), nextCursor: page.nextCursor }
        },
      }),
    ],
    [
      'get',
      '/api/admin/points/negative-balances',
      endpoint({ reply: Replies.negativeBalances, access: { console: 'liability' }, handler: async () => ({ users: await s.points.negativeBalances() }) }),
    ],
    [
      'post',
      '/api/admin/points/adjust',
      endpoint({ reply: Replies.pointsAdjusted,
        access: { console: 'members' },
        body: AdjustPointsRequestSchema,
        handler: async ({ actor, body }) => {
          const movement = {
            userId: body.userId,
            amount: Math.abs(body.amount),
            source: 'admin',
            sourceId: actor.operatorId,
            key: `adjust:${body.idempotencyKey}`,
            direction: body.amount > 0 ? ('credit' as const) : ('debit' as const),
            reason: body.reason,
            actorId: actor.operatorId,
          }
          const audit = { actorId: actor.operatorId, action: 'points.adjust', targetType: 'user', targetId: body.userId, at: s.clock() }
          try {
            const { entry, replayed } = await s.points.adjust(movement)
            if (!replayed) await recordAudit({ ...audit, outcome: 'applied', details: { amount: body.amount, reason: body.reason, entryId: entry._id } })
            return { entry: toView(entry), replayed }
          } catch (err) {
            await recordAudit({ ...audit, outcome: 'refused', details: { amount: body.amount, reason: body.reason, error: (err as Error).message } })
            throw err
          }
        },
      }),
    ],
  ]
}
