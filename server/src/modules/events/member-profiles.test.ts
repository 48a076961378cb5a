import { Types } from 'mongoose'
import { addDays } from '@xianlin/shared'
import { startTestApp, type TestApp } from '../../../test/harness'
import { rollupDay } from './daily-metrics'
import { numbersOf, paidWindowsOf, stampTiers, stampedTiersOf, withPaidDay, windowsOf } from './member-profiles'
import { memberTierIndexesOn } from './lifecycle-report'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

const sh = (day: string, time = '12:00') => new Date(`${day}T${time}:00+08:00`)

describe("members' orders and amount paid in the last 30, 90 and 180 days", () => {
  it('follow a hand count as days are folded, and drop out of each window on its day even when the member is not seen', async () => {
    const m = new Types.ObjectId()
    const pay = (day: string, fen: number, time?: string) => t.services.events.track({ userId: m, name: 'payment', props: { orderId: new Types.ObjectId().toHexString(), fen }, at: sh(day, time) })
    // 1 June: two orders (¥10 at 00:01 and ¥20 at 23:59 Shanghai: the same business day); 20 June: ¥30; 1 September: ¥40.
    await pay('2026-06-01', 1000, '00:01')
    await pay('2026-06-01', 2000, '23:59')
    await pay('2026-06-20', 3000)
    await pay('2026-09-01', 4000)
    const windows = new Map<string, Awaited<ReturnType<typeof paidWindowsOf>>>()
    for (let day = '2026-06-01'; day <= '2026-12-01'; day = addDays(day, 1)) {
      await rollupDay(day)
      windows.set(day, await paidWindowsOf(m))
    }
    const w = (day: string) => {
      const x = windows.get(day)!
      return [x.orders30, x.paidFen30, x.orders90, x.paidFen90, x.orders180, x.paidFen180]
    }
    expect(w('2026-06-01')).toEqual([2, 3000, 2, 3000, 2, 3000])
    expect(w('2026-06-20')).toEqual([3, 6000, 3, 6000, 3, 6000])
    expect(w('2026-06-30')).toEqual([3, 6000, 3, 6000, 3, 6000]) // 1 June is day 30 of the window ending 30 June
    expect(w('2026-07-01')).toEqual([1, 3000, 3, 6000, 3, 6000]) // …and out of it on 1 July, a day the member did nothing
    expect(w('2026-07-20')).toEqual([0, 0, 3, 6000, 3, 6000])
    expect(w('2026-08-30')).toEqual([0, 0, 1, 3000, 3, 6000]) // 1 June leaves the 90 days on 30 August
    expect(w('2026-09-01')).toEqual([1, 4000, 2, 7000, 4, 10000])
    expect(w('2026-11-27')).toEqual([0, 0, 1, 4000, 4, 10000])
    expect(w('2026-11-28')).toEqual([0, 0, 1, 4000, 2, 7000]) // 1 June (two orders) leaves the 180 days on 28 November
    expect(w('2026-11-29')).toEqual([0, 0, 1, 4000, 2, 7000])
    expect(w('2026-11-30')).toEqual([0, 0, 0, 0, 2, 7000]) // 1 September leaves the 90 days

    // Folding a day again, or an old day after later ones, changes nothing.
    const latest = await paidWindowsOf(m)
    await rollupDay('2026-12-01')
    await rollupDay('2026-06-20')
    expect(await paidWindowsOf(m)).toEqual(latest)
  })

  it('keep a paid day once however often it is folded, and only the last 180 days', () => {
    let days = withPaidDay('', '2026-01-01', { orders: 1, paidFen: 500 })
    days = withPaidDay(days, '2026-01-01', { orders: 2, paidFen: 900 }) // a recount of the same day replaces it
    days = withPaidDay(days, '2026-06-29', { orders: 1, paidFen: 100 })
    expect(days).toBe('2026-01-01:2:900 2026-06-29:1:100')
    expect(withPaidDay(days, '2026-06-30', { orders: 1, paidFen: 100 })).toBe('2026-06-29:1:100 2026-06-30:1:100') // 1 January is 181 days before
    expect(windowsOf(days, '2026-06-29')).toEqual({ windowsAsOf: '2026-06-29', orders30: 1, paidFen30: 100, orders90: 1, paidFen90: 100, orders180: 3, paidFen180: 1000 })
  })
})

describe('lifecycle tiers stamped on profiles', () => {
  it('stamps the members whose tier moved since the last stamp, and nobody when none did', async () => {
    const members = [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()]
    for (const userId of members) await t.services.events.track({ userId, name: 'register', props: { source: 'wechat', channel: 'organic' }, at: sh('2027-03-01') })
    await t.services.events.track({ userId: members[0]!, name: 'visit', props: { page: 'home' }, at: sh('2027-03-10') })
    for (let day = '2027-03-01'; day <= '2027-03-10'; day = addDays(day, 1)) await rollupDay(day)
    const lifecycle = t.config.rules.lifecycle
    const stampOn = async (day: string) => {
      const { tiers, names, none } = await memberTierIndexesOn(day, lifecycle)
      return stampTiers(tiers, names, none)
    }

    expect(await stampOn('2027-03-01')).toBeGreaterThanOrEqual(3)
    expect(await stampedTiersOf(members)).toEqual(new Map(members.map((id) => [String(id), 'new'])))
    expect(await stampOn('2027-03-01')).toBe(0) // nothing moved: no profile read or written

    // Past the newcomer days: the one who came back is active or occasional, the others silent; only they are written.
    const later = addDays('2027-03-01', lifecycle.newDays + lifecycle.silentAfterDays)
    expect(await stampOn(later)).toBeGreaterThanOrEqual(3)
    const tiers = await stampedTiersOf(members)
    const { tiers: expected, names } = await memberTierIndexesOn(later, lifecycle)
    const numbers = await numbersOf(members.map(String))
    for (const id of members) expect(tiers.get(String(id))).toBe(names[expected[numbers.get(String(id))!]!])
    expect(new Set(tiers.values()).has('new')).toBe(false)
    expect(await stampOn(later)).toBe(0)
  })
})
