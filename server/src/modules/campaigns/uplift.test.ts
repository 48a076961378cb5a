import { measureUplift, newcombeInterval, wilsonInterval, type ArmTouch } from './uplift'
import { seededRandom } from '../../lib/seeded-random'

const DAY = 86_400_000
const SENT = new Date('2026-11-02T02:00:00Z')

/**
 * One simulated campaign: `members` targets split 90 / 10 into reached and holdout, each reached
 * (really or virtually) at some moment of the day; a member converts within the 7-day window with
 * probability `holdoutRate` (+ `effect` when reached). Every member may also have paid before their
 * reach or after their window, payments that must not count.
 */
function simulate(seed: number, q: { members: number; holdoutRate: number; effect: number }) {
  const next = seededRandom(seed)
  const touches: ArmTouch[] = []
  const paidAt = new Map<string, Date[]>()
  for (let i = 0; i < q.members; i++) {
    const userId = `m${i}`
    const group = next() < 0.1 ? 'holdout' : 'reached'
    const at = new Date(SENT.getTime() + next() * 8 * 3_600_000)
    touches.push({ userId, group, at })
    const times: Date[] = []
    if (next() < 0.3) times.push(new Date(at.getTime() - next() * 3 * DAY)) // before the reach
    if (next() < q.holdoutRate + (group === 'reached' ? q.effect : 0)) times.push(new Date(at.getTime() + 1 + next() * (7 * DAY - 1)))
    if (next() < 0.3) times.push(new Date(at.getTime() + 7 * DAY + 1 + next() * 5 * DAY)) // after the window
    paidAt.set(userId, times)
  }
  return measureUplift({ touches, paidAt, now: new Date(SENT.getTime() + 9 * DAY), windowDays: 7, minArmMembers: 200 })
}

describe('campaign uplift', () => {
  it("Wilson's and Newcombe's intervals match published values, and hold at 0", () => {
    // Newcombe (1998), Statistics in Medicine 17:873, table II: 56/70 − 48/80 → 0.0524 to 0.3339.
    const [lo, hi] = newcombeInterval(56, 70, 48, 80)
    expect(lo).toBeCloseTo(0.0524, 4)
    expect(hi).toBeCloseTo(0.3339, 4)
    // Example (h): 0/10 − 0/20 → −0.1611 to 0.2775.
    const [zl, zh] = newcombeInterval(0, 10, 0, 20)
    expect(zl).toBeCloseTo(-0.1611, 4)
    expect(zh).toBeCloseTo(0.2775, 4)
    const [wl, wh] = wilsonInterval(0, 10)
    expect(wl).toBe(0)
    expect(wh).toBeCloseTo(0.2775, 4)
  })

  it('covers the true difference in at least 93 of 100 runs, and calls a campaign without effect effective in at most 5', () => {
    for (const scenario of [
      { members: 4000, holdoutRate: 0.12, effect: 0.05 },
      { members: 2500, holdoutRate: 0.02, effect: 0.01 }, // rare conversions: a handful per arm
    ]) {
      let covered = 0
      let effectiveWithout = 0
      for (let seed = 1; seed <= 100; seed++) {
        const withEffect = simulate(seed, scenario)
        expect(withEffect.status).toBe('concluded')
        const [lo, hi] = withEffect.interval!
        if (lo <= scenario.effect && scenario.effect <= hi) covered++
        const without = simulate(1000 + seed, { ...scenario, effect: 0 })
        if (without.verdict === 'effective') effectiveWithout++
      }
      expect(covered).toBeGreaterThanOrEqual(93)
      expect(effectiveWithout).toBeLessThanOrEqual(5)
    }
  })

  it('counts only payments after each reach and within its window, and concludes nothing early', () => {
    const touches: ArmTouch[] = [
      { userId: 'a', group: 'reached', at: SENT },
      { userId: 'b', group: 'reached', at: SENT },
      { userId: 'c', group: 'holdout', at: SENT },
      { userId: 'd', group: 'holdout', at: new Date(SENT.getTime() + DAY) },
    ]
    const paidAt = new Map([
      ['a', [new Date(SENT.getTime() - 60_000)]], // a minute before: not the campaign's
      ['b', [new Date(SENT.getTime() + 2 * DAY)]],
      ['c', [new Date(SENT.getTime() + 7 * DAY + 60_000)]], // a minute after the window
      ['d', [new Date(SENT.getTime() + 3 * DAY)]],
    ])
    const at = (days: number) => measureUplift({ touches, paidAt, now: new Date(SENT.getTime() + days * DAY), windowDays: 7, minArmMembers: 2 })

    // A minute after sending: nothing has run its window; the last window ends a week after d's reach.
    const early = at(0.001)
    expect(early).toMatchObject({ status: 'observing', observingUntil: new Date(SENT.getTime() + 8 * DAY).toISOString(), pending: { reached: 2, holdout: 2 }, difference: null, interval: null, verdict: null })
    expect(early.reached).toEqual({ members: 0, converted: 0, rate: null })
    // A week on, a, b and c are counted, d is still inside its window: the holdout is short of 2.
    expect(at(7)).toMatchObject({ status: 'observing', reached: { members: 2, converted: 1 }, holdout: { members: 1, converted: 0 }, pending: { reached: 0, holdout: 1 } })
    const done = at(8)
    expect(done).toMatchObject({ status: 'concluded', reached: { members: 2, converted: 1, rate: 0.5 }, holdout: { members: 2, converted: 1, rate: 0.5 }, difference: 0, verdict: 'inconclusive', observingUntil: null })
    expect(done.method).toMatch(/Newcombe/)
    // With a larger minimum and every window passed: 样本不足, for good.
    expect(measureUplift({ touches, paidAt, now: new Date(SENT.getTime() + 8 * DAY), windowDays: 7, minArmMembers: 200 })).toMatchObject({ status: 'insufficient', difference: null, verdict: null })
  })
})
