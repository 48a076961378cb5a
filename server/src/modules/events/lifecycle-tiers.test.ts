import fc from 'fast-check'
import { addDays, LIFECYCLE_TIERS, type Rules } from '@xianlin/shared'
import { MemberSet } from './member-set'
import { tierFrom, tierSetsAt } from './lifecycle-report'

/**
 * 用户分层 works on sets a word at a time; a member's tier is defined member by member
 * (`tierFrom`: days since registered, since last active, active days in the window). On random
 * memberships, days and thresholds the two agree for every member at every point.
 */
const FIRST = '2026-01-01'
const daysBetween = (later: string, earlier: string) => Math.round((Date.parse(later) - Date.parse(earlier)) / 86_400_000)

it('tiers every member as tierFrom does, on random histories and thresholds', async () => {
  const thresholds = fc.record({
    newDays: fc.integer({ min: 1, max: 10 }),
    activeWindowDays: fc.integer({ min: 1, max: 15 }),
    activeMinDays: fc.integer({ min: 1, max: 4 }),
    silentAfterDays: fc.integer({ min: 1, max: 30 }),
    silentMidDays: fc.integer({ min: 1, max: 30 }),
    silentLateDays: fc.integer({ min: 1, max: 30 }),
    lostAfterDays: fc.integer({ min: 1, max: 30 }),
  })
  const history = fc.record({
    days: fc.integer({ min: 1, max: 60 }),
    members: fc.integer({ min: 0, max: 90 }),
    registerRate: fc.double({ min: 0, max: 0.3, noNaN: true }),
    activeRate: fc.double({ min: 0, max: 0.6, noNaN: true }),
    seed: fc.integer(),
    pointEvery: fc.integer({ min: 1, max: 9 }),
  })
  await fc.assert(
    fc.asyncProperty(thresholds, history, async (t, h) => {
      let seed = h.seed
      const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) | 0) >>> 0) / 2 ** 32
      const dayAt = (i: number) => addDays(FIRST, i)
      const registrations: Array<{ day: string; members: MemberSet }> = []
      const active = new Map<string, MemberSet>()
      for (let d = 0; d < h.days; d++) {
        const reg: number[] = []
        const on: number[] = []
        for (let n = 0; n < h.members; n++) {
          if (rnd() < h.registerRate) reg.push(n)
          if (rnd() < h.activeRate) on.push(n)
        }
        if (reg.length) registrations.push({ day: dayAt(d), members: MemberSet.of(reg) })
        if (on.length) active.set(dayAt(d), MemberSet.of(on))
      }
      const points: string[] = []
      for (let d = h.days - 1; d >= 0; d -= h.pointEvery) points.unshift(dayAt(d))
      const sets = await tierSetsAt(points, t as Rules['lifecycle'], registrations, active)
      points.forEach((point, i) => {
        for (let n = 0; n < h.members; n++) {
          const registeredOn = registrations.find((r) => r.members.has(n))?.day
          let expected: string | null = null
          if (registeredOn !== undefined && registeredOn <= point) {
            const activeDays = [...active].filter(([day, set]) => day <= point && set.has(n)).map(([day]) => day)
            const last = activeDays.length ? activeDays[activeDays.length - 1]! : null
            const inWindow = activeDays.filter((day) => daysBetween(point, day) < t.activeWindowDays).length
            expected = tierFrom(daysBetween(point, registeredOn), last === null ? Infinity : daysBetween(point, last), inWindow, t as Rules['lifecycle'])
          }
          const bit = (words: Int32Array) => ((words[n >>> 5] ?? 0) >>> (n & 31)) & 1
          const actual = LIFECYCLE_TIERS.filter((_, tier) => bit(sets[i]!.tiers[tier]!))
          expect({ point, n, tiers: actual }).toEqual({ point, n, tiers: expected === null ? [] : [expected] })
        }
      })
    }),
    { numRuns: 300 },
  )
})
