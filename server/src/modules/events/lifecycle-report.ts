import { LIFECYCLE_TIERS, addDays, type LifecycleReport, type LifecycleTier, type Rules } from '@xianlin/shared'
import { daysByMember } from './member-sets'
import { registeredBy } from './registrations'

type Thresholds = Rules['lifecycle']

const daysBetween = (later: string, earlier: string) => Math.round((Date.parse(later) - Date.parse(earlier)) / 86_400_000)

/** 新客 on `day`: registered fewer than `newDays` days before it. */
export const isNewcomer = (day: string, registeredDay: string, t: Pick<Thresholds, 'newDays'>): boolean => daysBetween(day, registeredDay) < t.newDays

/**
 * A member's tier on `day`, from their registration day and their active days (any event, in
 * order): 新客 first, then by days since they were last active, then 活跃 or 低频 by how many
 * days they were active in the window.
 */
export function tierOn(day: string, registeredDay: string, activeDays: readonly string[], t: Thresholds): LifecycleTier {
  if (isNewcomer(day, registeredDay, t)) return 'new'
  const upToDay = activeDays.filter((d) => d <= day)
  const last = upToDay[upToDay.length - 1]
  const since = last ? daysBetween(day, last) : Infinity
  if (since >= t.lostAfterDays) return 'lost'
  if (since >= t.silentLateDays) return 'silent_late'
  if (since >= t.silentMidDays) return 'silent_mid'
  if (since >= t.silentAfterDays) return 'silent_early'
  const windowStart = addDays(day, -(t.activeWindowDays - 1))
  return upToDay.filter((d) => d >= windowStart).length >= t.activeMinDays ? 'active' : 'occasional'
}

/** The tiers' names, with the rules' numbers in them. */
export function tierLabels(t: Thresholds): LifecycleReport['tiers'] {
  const names: Record<LifecycleTier, string> = {
    new: '新客',
    active: '活跃',
    occasional: '低频',
    silent_early: `沉默 ${t.silentAfterDays}–${t.silentMidDays - 1} 天`,
    silent_mid: `沉默 ${t.silentMidDays}–${t.silentLateDays - 1} 天`,
    silent_late: `沉默 ${t.silentLateDays}–${t.lostAfterDays - 1} 天`,
    lost: `流失（${t.lostAfterDays} 天以上）`,
  }
  return LIFECYCLE_TIERS.map((key) => ({ key, label: names[key] }))
}

/**
 * 用户分层 (#16) at weekly points ending on `to`: members per tier, and how members moved between
 * tiers from each point to the next. Read from the profiles (registration) and the daily
 * active-member sets, far enough back to tell 流失 from 沉默.
 */
export async function lifecycleReport(from: string, to: string, t: Thresholds): Promise<LifecycleReport> {
  const points: string[] = []
  for (let day = to; day >= from; day = addDays(day, -7)) points.unshift(day)
  const registered = await registeredBy(to)
  const active = await daysByMember('any', addDays(points[0]!, -t.lostAfterDays), to)

  const tiers = points.map((day) => {
    const of = new Map<string, LifecycleTier>()
    for (const [user, registeredDay] of registered) if (registeredDay <= day) of.set(user, tierOn(day, registeredDay, active.get(user) ?? [], t))
    return of
  })
  const count = (of: Map<string, LifecycleTier>) => Object.fromEntries(LIFECYCLE_TIERS.map((k) => [k, [...of.values()].filter((v) => v === k).length])) as Record<LifecycleTier, number>

  return {
    from,
    to,
    tiers: tierLabels(t),
    points: points.map((day, i) => ({ day, counts: count(tiers[i]!) })),
    flows: points.slice(1).map((day, i) => {
      const moves = new Map<string, number>()
      for (const [user, before] of tiers[i]!) {
        const after = tiers[i + 1]!.get(user)!
        moves.set(`${before}>${after}`, (moves.get(`${before}>${after}`) ?? 0) + 1)
      }
      return {
        from: points[i]!,
        to: day,
        moves: LIFECYCLE_TIERS.flatMap((a) => LIFECYCLE_TIERS.filter((b) => moves.has(`${a}>${b}`)).map((b) => ({ from: a, to: b, members: moves.get(`${a}>${b}`)! }))),
      }
    }),
  }
}

/** Every registered member's tier on `day` (campaign targets). */
export async function memberTiersOn(day: string, t: Thresholds): Promise<Map<string, LifecycleTier>> {
  const registered = await registeredBy(day)
  const active = await daysByMember('any', addDays(day, -t.lostAfterDays), day)
  const tiers = new Map<string, LifecycleTier>()
  for (const [user, registeredDay] of registered) tiers.set(user, tierOn(day, registeredDay, active.get(user) ?? [], t))
  return tiers
}
