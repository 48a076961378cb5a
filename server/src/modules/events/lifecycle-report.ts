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
export function tierFrom(sinceRegistered: number, sinceActive: number, activeInWindow: number, t: Thresholds): LifecycleTier {
  if (sinceRegistered < t.newDays) return 'new'
  if (sinceActive >= t.lostAfterDays) return 'lost'
  if (sinceActive >= t.silentLateDays) return 'silent_late'
  if (sinceActive >= t.silentMidDays) return 'silent_mid'
  if (sinceActive >= t.silentAfterDays) return 'silent_early'
  return activeInWindow >= t.activeMinDays ? 'active' : 'occasional'
}

/**
 * Every member's tier (index into LIFECYCLE_TIERS, by member number; NONE before they registered)
 * at each of `points` (days, ascending), from the register sets and the daily active-member sets
 * far enough back to tell 流失 from 沉默.
 */
async function tiersAt(points: readonly string[], t: Thresholds): Promise<Uint8Array[]> {
  const start = addDays(points[0]!, -t.lostAfterDays)
  const end = points[points.length - 1]!
  // The register sets themselves, not a map of every member: at 100,000 members that map was a
  // third of the report's time.
  const [registrations, active] = await Promise.all([registrationDays(end).then(registerSetsOn), membersByDay('any', start, end)])
  return (await tierSetsAt(points, t, registrations, active)).map(toIndexes)
}

/** 32 members to a word: tier sets are worked on a word at a time (signed: bit operations give int32s, kept small integers). */
type Words = Int32Array

/** Each tier's members at one point, as bitmaps of `words` words, in LIFECYCLE_TIERS order. */
type TierSets = { words: number; tiers: Words[] }

/**
 * The tiers at each point as sets, from the register sets (oldest first) and the daily active
 * sets: a member's days since last active are below k exactly when they are in the union of the
 * last k days' sets, and they are 活跃 when at least `activeMinDays` of the window's sets hold
 * them, so each point is a pass over its window's sets a word at a time, never over members.
 * `tierFrom` says the same member by member (the tests compare them).
 */
export async function tierSetsAt(
  points: readonly string[],
  t: Thresholds,
  registrations: ReadonlyArray<{ day: string; members: MemberSet }>,
  active: ReadonlyMap<string, MemberSet>,
): Promise<TierSets[]> {
  let span = 0
  for (const set of [...registrations.map((r) => r.members), ...active.values()]) span = Math.max(span, set.span)
  const words = Math.ceil(span / 32)
  const wordsOf = new Map<MemberSet, Words>()
  const asWords = (set: MemberSet): Words => {
    let w = wordsOf.get(set)
    if (!w) {
      w = new Int32Array(words)
      new Uint8Array(w.buffer).set(set.bytes())
      wordsOf.set(set, w)
    }
    return w
  }
  // Registered on or before each day asked (the points, and newDays before each): one pass over
  // the register sets, oldest first, keeping their union as it stood at each of those days.
  const asked = [...new Set(points.flatMap((point) => [point, addDays(point, -t.newDays)]))].sort()
  const registeredByDay = new Map<string, Words>()
  const registeredSoFar = new Int32Array(words)
  let next = 0
  for (const day of asked) {
    for (; next < registrations.length && registrations[next]!.day <= day; next++) orInto(registeredSoFar, asWords(registrations[next]!.members))
    registeredByDay.set(day, registeredSoFar.slice())
  }
  const registeredBy = (day: string) => registeredByDay.get(day)!
  const window = Math.max(t.lostAfterDays, t.silentLateDays, t.silentMidDays, t.silentAfterDays, t.activeWindowDays)
  const out: TierSets[] = []
  // A point at a time, letting requests in between: at millions of members a point is a while.
  const slice = new TimeSlice()
  for (const point of points) {
    if (slice.due) await slice.pause()
    const registered = registeredBy(point)
    const before = registeredBy(addDays(point, -t.newDays))
    // Going back from the point a day at a time: the union of the last k days' sets as k grows,
    // kept at each threshold, and how many of the window's days held each member (up to the minimum).
    const union = new Int32Array(words)
    const seenAt = new Map<number, Words>()
    const atLeast = Array.from({ length: t.activeMinDays + 1 }, (_, j) => (j === 0 ? new Int32Array(words).fill(-1) : new Int32Array(words)))
    for (let k = 1; k <= window; k++) {
      const set = active.get(addDays(point, -(k - 1)))
      if (set) {
        const day = asWords(set)
        orInto(union, day)
        if (k <= t.activeWindowDays) for (let j = t.activeMinDays; j >= 1; j--) orAndInto(atLeast[j]!, atLeast[j - 1]!, day)
      }
      if (k === t.lostAfterDays || k === t.silentLateDays || k === t.silentMidDays || k === t.silentAfterDays) seenAt.set(k, union.slice())
    }
    const seen = (k: number) => seenAt.get(k) ?? new Int32Array(words)
    const tiers = TIERS.map(() => new Int32Array(words))
    const [lost, late, mid, early] = [seen(t.lostAfterDays), seen(t.silentLateDays), seen(t.silentMidDays), seen(t.silentAfterDays)]
    const often = atLeast[t.activeMinDays]!
    const of = (tier: LifecycleTier) => tiers[TIER_INDEX[tier]]!
    for (let w = 0; w < words; w++) {
      const reg = registered[w]!
      const isNew = reg & ~before[w]!
      let rest = reg & ~isNew
      of('new')[w] = isNew
      // As tierFrom decides, in its order: each test takes its members out of the rest.
      of('lost')[w] = rest & ~lost[w]!
      rest &= lost[w]!
      of('silent_late')[w] = rest & ~late[w]!
      rest &= late[w]!
      of('silent_mid')[w] = rest & ~mid[w]!
      rest &= mid[w]!
      of('silent_early')[w] = rest & ~early[w]!
      rest &= early[w]!
      of('active')[w] = rest & often[w]!
      of('occasional')[w] = rest & ~often[w]!
    }
    out.push({ words, tiers })
  }
  return out
}

function orInto(into: Words, from: Words): void {
  for (let w = 0; w < from.length; w++) into[w]! |= from[w]!
}

/** into |= a & b, a word at a time. */
function orAndInto(into: Words, a: Words, b: Words): void {
  for (let w = 0; w < b.length; w++) into[w]! |= a[w]! & b[w]!
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24
}

const countOf = (set: Words) => {
  let n = 0
  for (let w = 0; w < set.length; w++) if (set[w]) n += popcount(set[w]!)
  return n
}

const countBoth = (a: Words, b: Words) => {
  let n = 0
  for (let w = 0; w < a.length; w++) if (a[w]! & b[w]!) n += popcount(a[w]! & b[w]!)
  return n
}

/** The tier of each member number (NONE for numbers registered nowhere). */
function toIndexes(at: TierSets): Uint8Array {
  const out = new Uint8Array(at.words * 32).fill(NONE)
  at.tiers.forEach((set, tier) => {
    for (let w = 0; w < set.length; w++) {
      const word = set[w]!
      if (word) for (let b = 0; b < 32; b++) if (word & (1 << b)) out[w * 32 + b] = tier
    }
  })
  return out
}

const NONE = 255
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
  const start = addDays(points[0]!, -t.lostAfterDays)
  const [registrations, active] = await Promise.all([registrationDays(to).then(registerSetsOn), membersByDay('any', start, to)])
  const at = await tierSetsAt(points, t, registrations, active)
  return {
    from,
    to,
    tiers: tierLabels(t),
    points: points.map((day, i) => ({ day, counts: Object.fromEntries(TIERS.map((k, tier) => [k, countOf(at[i]!.tiers[tier]!)])) as Record<LifecycleTier, number> })),
    flows: points.slice(1).map((day, i) => ({
      from: points[i]!,
      to: day,
      // Members in tier a at one point and tier b at the next.
      moves: TIERS.flatMap((a, ai) => TIERS.map((b, bi) => ({ from: a, to: b, members: countBoth(at[i]!.tiers[ai]!, at[i + 1]!.tiers[bi]!) })).filter((m) => m.members > 0)),
    })),
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
