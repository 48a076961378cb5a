import { PageQuerySchema, IdParamsSchema, LedgerQuerySchema, MemberSearchQuerySchema, Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'
import { toLedgerView } from '../points/ledger-view'
import { getUser, pageMembers, searchUsers, toUserView } from '../users/users.service'

/** 运营后台 → 会员: find a member, read their level and points, their orders, page through their ledger. */
export function membersRoutes(s: Services): RouteTable {
  return [
    ['get', '/api/admin/members', endpoint({ reply: Replies.members, access: { console: 'members' }, query: MemberSearchQuerySchema, handler: async ({ query }) => {
      if (query.q) return { members: (await searchUsers(query.q)).map(toUserView), nextCursor: null }
      return pageMembers({ before: query.cursor, limit: query.limit })
    } })],
    [
      'get',
      '/api/admin/members/:id',
      endpoint({
        reply: Replies.memberProfile,
        access: { console: 'members' },
        params: IdParamsSchema,
        handler: async ({ params }) => {
          const user = await getUser(params.id)
          const [membership, points] = await Promise.all([s.membership.view(params.id), s.points.summary(params.id)])
          return { user: toUserView(user), membership, points }
        },
      }),
    ],
    [
      'get',
      '/api/admin/members/:id/orders',
      endpoint({
        reply: Replies.adminOrders,
        access: { console: 'members' },
        params: IdParamsSchema,
        query: PageQuerySchema,
        handler: async ({ params, query }) => {
          await getUser(params.id)
          return s.orders.search({ q: params.id, ...query })
        },
      }),
    ],
    [
      'get',
      '/api/admin/members/:id/ledger',
      endpoint({
        reply: Replies.ledger,
        access: { console: 'members' },
        params: IdParamsSchema,
        query: LedgerQuerySchema,
        handler: async ({ params, query }) => {
          await getUser(params.id) // 404 for an unknown member, not an empty ledger
          const page = await s.points.ledger(params.id, { before: query.cursor, limit: query.limit })
          return { entries: page.entries.map(toLedgerView), nextCursor: page.nextCursor }
        },
      }),
    ],
  ]
}
