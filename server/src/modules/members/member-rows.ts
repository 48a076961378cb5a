import type { MemberRow, UserView } from '@xianlin/shared'
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
          const [membership, points] = await Promise.all([s.membership.view(u.id), s.points.summary(u.id)])
          return { ...u, level: { key: membership.level.key, name: membership.level.name }, points: points.available, growth: growth.get(u.id)! }
        }),
      )
    },
  }
}
