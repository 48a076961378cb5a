import { UPLIFT_METHOD, type CampaignUplift } from '@xianlin/shared'

const Z95 = 1.959963984540054
const DAY_MS = 86_400_000

/** Wilson's score interval for x successes in n (holds at small counts and at 0 or n). */
export function wilsonInterval(x: number, n: number, z = Z95): [number, number] {
  const p = x / n
  const z2 = z * z
  const denominator = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denominator
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator
  return [Math.max(0, centre - half), Math.min(1, centre + half)]
}

/**
 * Newcombe's hybrid score interval (his method 10) for the difference p1 − p2 of two independent
 * proportions, built from each one's Wilson interval: unlike the normal approximation it does not
 * collapse to a point at 0 conversions nor overshoot at small counts.
 */
export function newcombeInterval(x1: number, n1: number, x2: number, n2: number, z = Z95): [number, number] {
  const [p1, p2] = [x1 / n1, x2 / n2]
  const [l1, u1] = wilsonInterval(x1, n1, z)
  const [l2, u2] = wilsonInterval(x2, n2, z)
  const d = p1 - p2
  return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)]
}

export type ArmTouch = { userId: string; group: 'reached' | 'holdout'; at: Date }

/**
 * A campaign's uplift from its touches and the members' payment times: a member converted when
 * they paid after their (virtual) reach and within `windowDays` of it. Only members whose window
 * has passed by `now` count; no conclusion until each arm holds `minArmMembers` of them.
 */
export function measureUplift(input: { touches: readonly ArmTouch[]; paidAt: ReadonlyMap<string, readonly Date[]>; now: Date; windowDays: number; minArmMembers: number }): CampaignUplift {
  const { touches, paidAt, now, windowDays, minArmMembers } = input
  const windowMs = windowDays * DAY_MS
  const ended = (t: ArmTouch) => t.at.getTime() + windowMs <= now.getTime()
  const converted = (t: ArmTouch) => (paidAt.get(t.userId) ?? []).some((p) => p.getTime() > t.at.getTime() && p.getTime() <= t.at.getTime() + windowMs)
  const arm = (group: ArmTouch['group']) => {
    const of = touches.filter((t) => t.group === group && ended(t))
    const n = of.filter(converted).length
    return { members: of.length, converted: n, rate: of.length ? n / of.length : null }
  }
  const reached = arm('reached')
  const holdout = arm('holdout')
  const open = touches.filter((t) => !ended(t))
  const pending = { reached: open.filter((t) => t.group === 'reached').length, holdout: open.filter((t) => t.group === 'holdout').length }
  const lastEnd = open.length ? new Date(open.reduce((m, t) => Math.max(m, t.at.getTime()), 0) + windowMs).toISOString() : null
  const base = { windowDays, minArmMembers, method: UPLIFT_METHOD, reached, holdout, pending, observingUntil: lastEnd }
  if (Math.min(reached.members, holdout.members) < minArmMembers) {
    return { ...base, status: open.length ? 'observing' : 'insufficient', difference: null, interval: null, verdict: null }
  }
  const interval = newcombeInterval(reached.converted, reached.members, holdout.converted, holdout.members)
  const verdict = interval[0] > 0 ? 'effective' : interval[1] < 0 ? 'harmful' : 'inconclusive'
  return { ...base, status: 'concluded', difference: reached.rate! - holdout.rate!, interval, verdict }
}
