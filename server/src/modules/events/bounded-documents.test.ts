import mongoose, { Types } from 'mongoose'
import { addDays, type Channel } from '@xianlin/shared'
import { startTestApp, type TestApp } from '../../../test/harness'
import { MEMBERS_PER_RANGE, membersByDay, registeredOn, saveDaySets } from './member-sets'
import { MemberSet } from './member-set'
import { paymentsBetween, saveDayPayments, type PaidTotals } from './member-payments'
import { PART_ENTRIES } from './day-lists'

/**
 * The rollups that hold members (day sets, day payers) written at 4 million members: no document
 * they make outgrows a fixed bound (MongoDB refuses documents over 16 MB), and what they hold reads back whole.
 */
const MEMBERS = 4_000_000
const MB = 1024 * 1024

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

async function largestDocument(collection: string): Promise<{ bytes: number; documents: number }> {
  let bytes = 0
  let documents = 0
  for await (const doc of mongoose.connection.db!.collection(collection).find({})) {
    bytes = Math.max(bytes, mongoose.mongo.BSON.calculateObjectSize(doc))
    documents++
  }
  return { bytes, documents }
}

describe('documents stay bounded at 4 million members', () => {
  // The embedded database rewrites a month's document on each day's write: about 30 s here.
  it('a month of day sets of everyone, and all of them registering over four of its days with their channels', async () => {
    const month = Array.from({ length: 31 }, (_, i) => addDays('2027-01-01', i))
    const everyone = MemberSet.fromBytes(new Uint8Array(MEMBERS / 8).fill(255))
    for (const day of month) await saveDaySets(day, new Map([['any', everyone]]), ['any'])
    // A quarter of the members on each of the month's first four days (sign-ups are bounded by the members: each registers once).
    const perDay = MEMBERS / 4
    const channelOf = (n: number): Channel => (['invite', 'share_card', 'poster', 'leader', 'organic'] as const)[n % 5]!
    for (let i = 0; i < 4; i++) {
      const registering = MemberSet.of(Array.from({ length: perDay }, (_, j) => i * perDay + j))
      const channels = new Map<number, Channel>()
      registering.forEach((n) => channels.set(n, channelOf(n)))
      await saveDaySets(month[i]!, new Map([['register', registering]]), ['register'], channels)
    }
    const { bytes, documents } = await largestDocument('monthly_member_sets')
    expect(documents).toBe(2 * (MEMBERS / MEMBERS_PER_RANGE)) // a document per kind and range
    expect(bytes).toBeLessThanOrEqual(3 * MB)

    const active = await membersByDay('any', month[0]!, month[30]!)
    expect(active.size).toBe(31)
    for (const set of active.values()) expect(set.size).toBe(MEMBERS)
    // Members on either side of a range's edge, and the last one, registered on their day through their channel.
    const sample = [0, MEMBERS_PER_RANGE - 1, MEMBERS_PER_RANGE, 2 * MEMBERS_PER_RANGE + 7, MEMBERS - 1]
    const registered = await registeredOn(month)
    expect(registered.size).toBe(MEMBERS)
    for (const n of sample) expect(registered.get(n)).toEqual({ day: month[Math.floor(n / perDay)], channel: channelOf(n) })
  }, 120_000)

  it('a day on which a tenth of them pay, and the day written again with fewer payers', async () => {
    const payers = new Map<string, PaidTotals>()
    for (let i = 0; i < MEMBERS / 10; i++) payers.set(new Types.ObjectId().toHexString(), { orders: 1 + (i % 3), paidFen: 100 + i })
    await saveDayPayments('2027-02-01', payers)
    const { bytes, documents } = await largestDocument('day_lists')
    expect(documents).toBe(Math.ceil(payers.size / PART_ENTRIES))
    expect(bytes).toBeLessThanOrEqual(1 * MB)
    const read = await paymentsBetween('2027-02-01', '2027-02-01')
    expect(read.size).toBe(payers.size)
    const [id, paid] = [...payers][payers.size - 1]!
    expect(read.get(id)).toEqual({ ...paid, lastPaidDay: '2027-02-01' })

    // A recount of the day with fewer payers leaves no part of the longer list behind.
    const fewer = new Map([...payers].slice(0, PART_ENTRIES + 1))
    await saveDayPayments('2027-02-01', fewer)
    expect((await largestDocument('day_lists')).documents).toBe(2)
    expect((await paymentsBetween('2027-02-01', '2027-02-01')).size).toBe(fewer.size)
  })
})
