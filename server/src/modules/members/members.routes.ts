import { PageQuerySchema, IdParamsSchema, LedgerQuerySchema, MemberSearchQuerySchema, Replies, type UserView } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'
import { toLedgerView } from '../points/ledger-view'
import { getUser, pageMembers, searchUsers, toUserView } from '../users/users.service'
import { groupPage, memberRows } from './member-rows'

/** 运营后台 → 会员: find a member, read their level and points, their orders, page through their ledger. */
export function membersRoutes(s: Services): RouteTable {
  const rows = memberRows(s)
  return [
    [
      'get',
      '/api/admin/members',
      endpoint({
        reply: Replies.members,
        access: { console: 'members' },
        query: MemberSearchQuerySchema,
        handler: async ({ query }) => {
          const day = query.day ?? s.reports.today()
          const list = async (users: UserView[], nextCursor: string | null, total: number | null) => ({ members: await rows.of(users, day), nextCursor, total, asOf: day, rfmWindowDays: s.reports.rfmWindowDays() })
          if (query.q) return list((await searchUsers(query.q)).map(toUserView), null, null)
          const group = await groupPage(s, query, day)
          if (group) {
            const offset = query.cursor ?? 0
            const users = await Promise.all(group.ids.map(async (id) => toUserView(await getUser(id))))
            return list(users, offset + query.limit < group.total ? String(offset + query.limit) : null, group.total)
          }
          const page = await pageMembers({ before: query.cursor || undefined, limit: query.limit })
          return list(page.members, page.nextCursor, null)
        },
      }),
    ],
    [
      'get',
      '/api/admin/members/:id',
      endpoint({
        reply: Replies.memberProfile,
        access: { console: 'members' },
        params: IdParamsSchema,
        handler: async ({ params }) => {
          const user = await getUser(params.id)
          const day = s.reports.today()
          const [membership, points, growth] = await Promise.all([s.membership.view(params.id), s.points.summary(params.id), s.reports.memberGrowth([params.id], day)])
          return { user: toUserView(user), membership, points, growth: growth.get(params.id)!, asOf: day, rfmWindowDays: s.reports.rfmWindowDays() }
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
