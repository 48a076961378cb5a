import { LIFECYCLE_TIERS, addDays, type LifecycleReport, type LifecycleTier, type Rules } from '@xianlin/shared'
import { membersByDay, registerSetsOn, registrationDays } from './member-sets'
import type { MemberSet } from './member-set'
import { memberIdsByNumber } from './member-profiles'
import { TimeSlice } from '../../lib/time-slice'

type Thresholds = Rules['lifecycle']

const daysBetween = (later: string, earlier: string) => Math.round((Date.parse(later) - Date.parse(earlier)) / 86_400_000)

/** 新客 on `day`: registered fewer than `newDays` days before it. */
export const isNewcomer = (day: string, registeredDay: string, t: Pick<Thresholds, 'newDays'>): boolean => daysBetween(day, registeredDay) < t.newDays

/**
 * A member's tier on a day, from days since they registered, since they were last active
 * (Infinity: never) and their active days in the window ending that day: 新客 first, then by days
 * since last active, then 活跃 or 低频 by active days in the window.
 */
function tierFrom(sinceRegistered: number, sinceActive: number, activeInWindow: number, t: Thresholds): LifecycleTier {
  if (sinceRegistered < t.newDays) return 'new'
  if (sinceActive >= t.lostAfterDays) return 'lost'
  if (sinceActive >= t.silentLateDays) return 'silent_late'
  if (sinceActive >= t.silentMidDays) return 'silent_mid'
  if (sinceActive >= t.silentAfterDays) return 'silent_early'
  return activeInWindow >= t.activeMinDays ? 'active' : 'occasional'
}

/**
 * Every member's tier (index into LIFECYCLE_TIERS, by member number; NONE before they registered)
 * at each of `points` (days, ascending), from the register sets and one pass over the daily
 * active-member sets far enough back to tell 流失 from 沉默: each day moves every active member's
 * last active day and their count of active days in the window, so no member's days are listed.
 */
async function tiersAt(points: readonly string[], t: Thresholds): Promise<Uint8Array[]> {
  const start = addDays(points[0]!, -t.lostAfterDays)
  const end = points[points.length - 1]!
  // The register sets themselves, not a map of every member: at 100,000 members that map was a
  // third of the report's time.
  const [registrations, active] = await Promise.all([registrationDays(end).then(registerSetsOn), membersByDay('any', start, end)])
  let span = 0
  for (const set of [...registrations.map((r) => r.members), ...active.values()]) span = Math.max(span, set.span)
  const lastActive = new Int32Array(span).fill(-1)
  const inWindow = new Uint16Array(span)
  const registeredAtIndex = new Int32Array(span).fill(UNREGISTERED)
  // Oldest first: a member in two days' sets registered on the first.
  for (const { day, members } of registrations) {
    const index = daysBetween(day, start)
    members.forEach((n) => {
      if (registeredAtIndex[n] === UNREGISTERED) registeredAtIndex[n] = index
    })
  }
  const sets: Array<MemberSet | undefined> = []
  const out: Uint8Array[] = []
  let i = 0
  const slice = new TimeSlice()
  for (let day = start; day <= end; day = addDays(day, 1), i++) {
    if (slice.due) await slice.pause()
    const set = active.get(day)
    sets.push(set)
    set?.forEach((n) => {
      lastActive[n] = i
      inWindow[n]!++
    })
    sets[i - t.activeWindowDays]?.forEach((n) => inWindow[n]!--)
    if (!points.includes(day)) continue
    const tiers = new Uint8Array(span).fill(NONE)
    for (let n = 0; n < span; n++) {
      const registeredIndex = registeredAtIndex[n]!
      if (registeredIndex > i) continue
      tiers[n] = TIER_INDEX[tierFrom(i - registeredIndex, lastActive[n]! >= 0 ? i - lastActive[n]! : Infinity, inWindow[n]!, t)]
    }
    out.push(tiers)
  }
  return out
}

const NONE = 255
const UNREGISTERED = 2 ** 31 - 1
const TIERS: readonly LifecycleTier[] = [...LIFECYCLE_TIERS]
// A plain object: looked up once per member per point (1.4 million times a report), faster than a Map.
const TIER_INDEX = Object.fromEntries(TIERS.map((tier, i) => [tier, i])) as Record<LifecycleTier, number>

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
 * tiers from each point to the next.
 */
export async function lifecycleReport(from: string, to: string, t: Thresholds): Promise<LifecycleReport> {
  const points: string[] = []
  for (let day = to; day >= from; day = addDays(day, -7)) points.unshift(day)
  const tiers = await tiersAt(points, t)
  const count = (of: Uint8Array) => {
    const counts = TIERS.map(() => 0)
    for (const tier of of) if (tier !== NONE) counts[tier]!++
    return Object.fromEntries(TIERS.map((k, i) => [k, counts[i]!])) as Record<LifecycleTier, number>
  }
  return {
    from,
    to,
    tiers: tierLabels(t),
    points: points.map((day, i) => ({ day, counts: count(tiers[i]!) })),
    flows: points.slice(1).map((day, i) => {
      // moves[a * tiers + b]: members in tier a at one point and tier b at the next.
      const moves = new Uint32Array(TIERS.length * TIERS.length)
      const [before, after] = [tiers[i]!, tiers[i + 1]!]
      for (let n = 0; n < before.length; n++) if (before[n] !== NONE) moves[before[n]! * TIERS.length + after[n]!]!++
      return {
        from: points[i]!,
        to: day,
        moves: TIERS.flatMap((a, ai) => TIERS.map((b, bi) => ({ from: a, to: b, members: moves[ai * TIERS.length + bi]! })).filter((m) => m.members > 0)),
      }
    }),
  }
}

/** Every member's tier on `day` as an index into `names` by member number (`none`: not registered yet); the job stamps them on profiles. */
export async function memberTierIndexesOn(day: string, t: Thresholds): Promise<{ tiers: Uint8Array; names: readonly LifecycleTier[]; none: number }> {
  const [tiers] = await tiersAt([day], t)
  return { tiers: tiers!, names: TIERS, none: NONE }
}

/** Every registered member's tier on `day`, by member number. */
export async function memberTiersOn(day: string, t: Thresholds): Promise<Map<number, LifecycleTier>> {
  const [tiers] = await tiersAt([day], t)
  const out = new Map<number, LifecycleTier>()
  tiers!.forEach((tier, n) => {
    if (tier !== NONE) out.set(n, TIERS[tier]!)
  })
  return out
}

/** The ids of the members of `tier` on `day` (campaign targets). */
export async function membersOfTierOn(day: string, tier: LifecycleTier, t: Thresholds): Promise<string[]> {
  const [tiers, ids] = await Promise.all([memberTiersOn(day, t), memberIdsByNumber()])
  return [...tiers].filter(([, of]) => of === tier).map(([n]) => ids.get(n)!)
}
