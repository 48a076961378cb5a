import type { MemberRow, MemberSearchQuery, UserView } from '@xianlin/shared'
import { countUsers, userIdsNewestFirst, usersWithPointsPage } from '../users/user-stats'
import type { Services } from '../../services'

/**
 * The 会员 list's rows: each member with the level and points their own page shows (the same
 * services) and the growth figures the reports count (the same fold and rule), as of `day`.
 */
export function memberRows(s: Pick<Services, 'membership' | 'points' | 'reports'>) {
  return {
    async of(users: readonly UserView[], day: string): Promise<MemberRow[]> {
      const growth = await s.reports.memberGrowth(users.map((u) => u.id), day)
      return Promise.all(
        users.map(async (u) => {
          const [membership, points] = await Promise.all([s.membership.view(u.id), s.points.balance(u.id)])
          return { ...u, level: { key: membership.level.key, name: membership.level.name }, points: points.available, growth: growth.get(u.id)! }
        }),
      )
    },
  }
}

/**
 * The page of member ids one group filter of the 会员 list selects, and how many it holds, each
 * from the place its figure comes from (the reports for cells, tiers, spend, activity and cohorts;
 * levels from memberships; points from the ledgers' heads); null when no group is asked for.
 */
export async function groupPage(s: Pick<Services, 'membership' | 'reports'>, q: MemberSearchQuery, day: string): Promise<{ ids: string[]; total: number } | null> {
  const offset = q.cursor ?? 0
  if (q.segment) return s.reports.segmentPage(q.segment, day, offset, q.limit)
  if (q.tier) return s.reports.tierPage(q.tier, day, offset, q.limit)
  if (q.level) return s.membership.levelPage(q.level, offset, q.limit, { count: countUsers, newestFirst: userIdsNewestFirst })
  if (q.minPoints !== undefined) return usersWithPointsPage(q.minPoints, offset, q.limit)
  if (q.minPaidFen !== undefined) return s.reports.spendPage(q.minPaidFen, day, offset, q.limit)
  if (q.inactiveDays !== undefined) return s.reports.inactivePage(q.inactiveDays, day, offset, q.limit)
  if (q.registeredFrom && q.registeredTo) return s.reports.registeredPage(q.registeredFrom, q.registeredTo, offset, q.limit)
  return null
}
