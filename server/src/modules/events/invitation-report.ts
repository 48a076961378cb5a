import { REFERRAL_CHANNELS, addDays, isoWeek, weekStart, type InvitationReport } from '@xianlin/shared'
import { metricsBetween, shareOpensBySharer } from './daily-metrics'
import { membersByDay } from './member-sets'
import { MemberSet } from './member-set'

const TOP_SHARERS = 10

/**
 * 邀请裂变 (#16), per week: cards shared and opened, members brought in by friends and their first
 * orders, and the K-factor (friends brought in per active member). Nicknames are the caller's
 * to add (`nickname` is null here).
 */
export async function invitationReport(from: string, to: string): Promise<InvitationReport> {
  const days: string[] = []
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day)
  const [values, active, opensBy] = await Promise.all([metricsBetween(from, to, ['shares', 'share_opens', 'new_members', 'referred_first_paying_members']), membersByDay('any', from, to), shareOpensBySharer(days)])
  const weeks = new Map<string, InvitationReport['weeks'][number] & { members: MemberSet[] }>()
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const week = isoWeek(day)
    const w = weeks.get(week) ?? { week, start: weekStart(day) < from ? from : weekStart(day), shares: 0, shareOpens: 0, referredMembers: 0, referredFirstOrders: 0, activeMembers: 0, kFactor: null, members: [] as MemberSet[] }
    const get = (metric: string, dim = 'all') => values.get(`${day}|${metric}|${dim}`) ?? 0
    w.shares += get('shares')
    w.shareOpens += get('share_opens')
    w.referredMembers += REFERRAL_CHANNELS.reduce((n, c) => n + get('new_members', c), 0)
    w.referredFirstOrders += get('referred_first_paying_members')
    const members = active.get(day)
    if (members) w.members.push(members)
    weeks.set(week, w)
  }
  return {
    from,
    to,
    weeks: [...weeks.values()].map(({ members, ...w }) => {
      const activeMembers = MemberSet.union(members).size
      return { ...w, activeMembers, kFactor: activeMembers ? w.referredMembers / activeMembers : null }
    }),
    topSharers: [...opensBy.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, TOP_SHARERS)
      .map(([userId, opens]) => ({ userId, nickname: null, opens })),
  }
}
