import { Types } from 'mongoose'
import { startTestApp, type TestApp } from '../../../test/harness'
import { PointEntryModel } from './point-entry.model'
import type { PointsService } from './points.service'

const DAY = 24 * 60 * 60 * 1000
let now = new Date('2026-01-01T02:00:00Z')
let t: TestApp
let points: PointsService

beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now })
  points = t.services.points
})
afterAll(() => t.close())

const newUser = () => new Types.ObjectId().toHexString()

/** The invariant of DESIGN.md: the balance is the sum of the user's entries. */
async function expectLedgerConsistent(userId: string) {
  const entries = await PointEntryModel.find({ ownerId: userId }).sort({ seq: 1 }).lean()
  const sum = entries.reduce((s, e) => s + e.availableDelta, 0)
  const pendingSum = entries.reduce((s, e) => s + e.pendingDelta, 0)
  const summary = await points.summary(userId)
  expect(summary.available).toBe(sum)
  expect(summary.pending).toBe(pendingSum)
  expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1))
  return summary
}

describe('spending under concurrency', () => {
  it('lets exactly 10 of 30 concurrent spends of 10 through a balance of 100, never below zero', async () => {
    const user = newUser()
    await points.earn({ userId: user, amount: 100, source: 'admin', key: `seed:${user}` })
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => points.spend({ userId: user, amount: 10, source: 'mall', key: `spend:${user}:${i}` })),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10)
    const refusals = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(refusals.map((r) => r.reason.code)).toEqual(Array(20).fill('INSUFFICIENT_POINTS'))
    const summary = await expectLedgerConsistent(user)
    expect(summary.available).toBe(0)
    const balances = (await PointEntryModel.find({ ownerId: user }).lean()).map((e) => e.available)
    expect(Math.min(...balances)).toBe(0)
  })

  it('returns the first result when a spend is replayed with its key, and moves nothing', async () => {
    const user = newUser()
    await points.earn({ userId: user, amount: 50, source: 'admin', key: `seed:${user}` })
    const first = await points.spend({ userId: user, amount: 20, source: 'mall', key: `order-1:${user}` })
    const replays = await Promise.all(
      Array.from({ length: 5 }, () => points.spend({ userId: user, amount: 20, source: 'mall', key: `order-1:${user}` })),
    )
    expect(replays.every((r) => r.replayed && r.entry._id === first.entry._id)).toBe(true)
    expect((await expectLedgerConsistent(user)).available).toBe(30)
  })

  it('refuses a key reused for a different movement', async () => {
    const user = newUser()
    await points.earn({ userId: user, amount: 50, source: 'admin', key: `k:${user}` })
    await expect(points.spend({ userId: user, amount: 5, source: 'mall', key: `k:${user}` })).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    })
  })
})

describe('expiry', () => {
  it('spends the oldest lot first and expires what is left of a lot 366 days later, once even when the job races itself', async () => {
    const user = newUser()
    now = new Date('2025-01-01T02:00:00Z')
    await points.earn({ userId: user, amount: 30, source: 'checkin', key: `old:${user}` })
    now = new Date('2025-06-01T02:00:00Z')
    await points.earn({ userId: user, amount: 50, source: 'checkin', key: `new:${user}` })
    await points.spend({ userId: user, amount: 20, source: 'mall', key: `spend:${user}` })

    // The oldest lot (30) gave the 20 spent: 10 of it is left to expire first.
    const before = await points.summary(user)
    expect(before.nextExpiry).toEqual({ points: 10, at: new Date(Date.parse('2025-01-01T02:00:00Z') + 365 * DAY).toISOString(), day: '2026-01-01' })

    now = new Date(Date.parse('2025-01-01T02:00:00Z') + 366 * DAY)
    const runs = await Promise.all([points.expireDueLots(now), points.expireDueLots(now), points.expireDueLots(now)])
    expect(runs.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1)
    const expiries = await PointEntryModel.find({ ownerId: user, type: 'expire' }).lean()
    expect(expiries.map((e) => e.amount)).toEqual([-10])
    const after = await expectLedgerConsistent(user)
    expect(after.available).toBe(50)
    expect(after.nextExpiry?.points).toBe(50)
    expect(await points.expireDueLots(now)).toBe(0)
  })

  it('expires nothing of a lot that was spent entirely', async () => {
    const user = newUser()
    now = new Date('2025-02-01T02:00:00Z')
    await points.earn({ userId: user, amount: 10, source: 'checkin', key: `lot:${user}` })
    await points.spend({ userId: user, amount: 10, source: 'mall', key: `all:${user}` })
    now = new Date(Date.parse('2025-02-01T02:00:00Z') + 366 * DAY)
    await points.expireDueLots(now)
    expect(await PointEntryModel.countDocuments({ ownerId: user, type: 'expire' })).toBe(0)
  })

  it('expires every due lot in one run, a batch at a time; a run cut short leaves the rest to the next', async () => {
    const users = Array.from({ length: 520 }, newUser)
    now = new Date('2024-03-01T02:00:00Z')
    for (let i = 0; i < users.length; i += 20) await Promise.all(users.slice(i, i + 20).map((u) => points.earn({ userId: u, amount: 5, source: 'checkin', key: `batch:${u}` })))
    now = new Date(Date.parse('2024-03-01T02:00:00Z') + 366 * DAY)
    const expiredOf = () => PointEntryModel.countDocuments({ ownerId: { $in: users }, type: 'expire' })
    expect(await points.expireDueLots(now, 0)).toBe(500) // no time left after the first batch
    expect(await expiredOf()).toBe(500)
    expect(await points.expireDueLots(now)).toBe(20)
    expect(await expiredOf()).toBe(520)
    for (const u of users.slice(0, 3)) expect((await expectLedgerConsistent(u)).available).toBe(0)
  })
})

describe('pending points and clawback', () => {
  it('keeps order points pending until the release date, then releases them once', async () => {
    const user = newUser()
    now = new Date('2026-03-01T02:00:00Z')
    await points.earn({ userId: user, amount: 40, source: 'order', key: `order:${user}`, pending: true })
    expect(await points.summary(user)).toMatchObject({ available: 0, pending: 40 })
    await expect(points.spend({ userId: user, amount: 1, source: 'mall', key: `early:${user}` })).rejects.toMatchObject({
      code: 'INSUFFICIENT_POINTS',
    })
    now = new Date('2026-03-05T02:00:00Z')
    expect(await points.releaseDuePending(now)).toBe(0)
    now = new Date('2026-03-08T02:00:01Z')
    await Promise.all([points.releaseDuePending(now), points.releaseDuePending(now)])
    expect(await expectLedgerConsistent(user)).toMatchObject({ available: 40, pending: 0 })
    expect(await PointEntryModel.countDocuments({ ownerId: user, type: 'release' })).toBe(1)
  })

  it('cancels pending points on a refund inside the window, exactly once, and then never releases them', async () => {
    const user = newUser()
    now = new Date('2026-04-01T02:00:00Z')
    await points.earn({ userId: user, amount: 25, source: 'order', key: `o2:${user}`, pending: true })
    const outcomes = await Promise.all([points.settlePending(`o2:${user}`, 'cancel'), points.settlePending(`o2:${user}`, 'cancel')])
    expect(outcomes).toEqual(['cancel', 'cancel'])
    now = new Date('2026-04-09T02:00:00Z')
    await points.releaseDuePending(now)
    expect(await points.settlePending(`o2:${user}`, 'release')).toBe('cancel')
    expect(await expectLedgerConsistent(user)).toMatchObject({ available: 0, pending: 0 })
  })

  it('lets a clawback larger than the balance go negative, blocks spending, and later earnings repay it', async () => {
    const user = newUser()
    await points.earn({ userId: user, amount: 30, source: 'order', key: `e:${user}` })
    await points.clawback({ userId: user, amount: 50, source: 'order', key: `claw:${user}` })
    expect(await points.summary(user)).toMatchObject({ available: -20, negative: true })
    await expect(points.spend({ userId: user, amount: 1, source: 'mall', key: `s:${user}` })).rejects.toMatchObject({ code: 'POINTS_FROZEN' })
    const flagged = await points.negativeBalances()
    expect(flagged.find((f) => f.userId === user)).toMatchObject({ balanceThen: -20, balanceNow: -20 })
    await points.earn({ userId: user, amount: 25, source: 'checkin', key: `repay:${user}` })
    expect(await expectLedgerConsistent(user)).toMatchObject({ available: 5, negative: false })
    await points.spend({ userId: user, amount: 5, source: 'mall', key: `s2:${user}` })
  })
})
