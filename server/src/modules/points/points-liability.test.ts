import { Types } from 'mongoose'
import { operatorLogin, startTestApp, type TestApp } from '../../../test/harness'

/** 积分负债 against a hand count: lots spent oldest first, one expired, months in Shanghai. */
let now = new Date('2026-11-30T12:00:00+08:00')
let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now })
})
afterAll(() => t.close())

const at = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`)

describe('points liability', () => {
  it('counts what is left of unexpired lots by expiry month, valued at the rules rate, and the monthly flows', async () => {
    const [x, y, z] = [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()].map(String)
    const earn = async (userId: string, amount: number, when: string) => {
      now = at(when)
      await t.services.points.earn({ userId, amount, source: 'admin', key: `earn:${userId}:${when}` })
    }
    await earn(z!, 40, '2025-11-01 10:00') // expires 1 November 2026: expired by the job below
    await earn(x!, 50, '2026-10-05 10:00') // expires October 2027
    await earn(y!, 200, '2026-11-01 00:01') // a minute into November in Shanghai (still 31 October in UTC)
    await earn(x!, 100, '2026-11-10 10:00')
    now = at('2026-11-20 10:00')
    await t.services.points.spend({ userId: x!, amount: 30, source: 'mall', key: `spend:${x}` }) // from the October lot first
    // An operator's corrections: 15 given to Y (a lot of its own), 5 taken from X (from the October lot).
    const operator = String(new Types.ObjectId())
    now = at('2026-11-25 10:00')
    await t.services.points.adjust({ userId: y!, amount: 15, source: 'admin', key: `adjust:${y}`, direction: 'credit', reason: '补偿', actorId: operator })
    now = at('2026-11-26 10:00')
    await t.services.points.adjust({ userId: x!, amount: 5, source: 'admin', key: `adjust:${x}`, direction: 'debit', reason: '更正', actorId: operator })
    now = at('2026-11-30 12:00')
    expect(await t.services.points.expireDueLots(now)).toBe(1)

    const admin = await operatorLogin(t)
    const read = async () => (await t.http.get('/api/admin/analytics/points-liability').query({ months: 3 }).set(admin.auth).expect(200)).body
    // Before the job's first run: nothing counted yet, and the reply says so.
    expect(await read()).toMatchObject({ computedAt: null, outstanding: { points: 0, fen: 0 }, byExpiryMonth: [] })

    await t.services.reports.refreshPointsLiability(now)
    const report = await read()
    expect(report).toEqual({
      asOf: '2026-11-30',
      computedAt: now.toISOString(),
      pointsPerYuan: 100,
      // X: 15 left of the October lot (30 spent, 5 taken), all 100 of November's; Y: 200 and 15. 330 points are ¥3.30.
      outstanding: { points: 330, fen: 330 },
      byExpiryMonth: [
        { month: '2027-10', points: 15, fen: 15 },
        { month: '2027-11', points: 315, fen: 315 },
      ],
      // Each month's flows add up to the change in what members hold: November 300 − 30 − 40 + 10.
      flows: [
        { month: '2026-09', earned: 0, spent: 0, expired: 0, adjusted: 0 },
        { month: '2026-10', earned: 50, spent: 0, expired: 0, adjusted: 0 },
        { month: '2026-11', earned: 300, spent: 30, expired: 40, adjusted: 10 },
      ],
    })
    await t.http.get('/api/admin/analytics/points-liability').query({ months: 25 }).set(admin.auth).expect(400)

    // The report reads what the job kept: an earning since shows at the next run, not before.
    await earn(y!, 5, '2026-11-30 13:00')
    expect(await read()).toEqual(report)
    // A run that began before the kept one (a slow instance) does not overwrite it.
    await t.services.reports.refreshPointsLiability(at('2026-11-30 11:30'))
    expect(await read()).toEqual(report)
    await t.services.reports.refreshPointsLiability(now)
    expect(await read()).toMatchObject({ computedAt: now.toISOString(), outstanding: { points: 335, fen: 335 } })
  })

  it('runs again when an operator asks (重新统计), and refuses a body, a shopper and no session', async () => {
    const admin = await operatorLogin(t)
    const before = (await t.http.get('/api/admin/analytics/points-liability').set(admin.auth).expect(200)).body
    const userId = String(new Types.ObjectId())
    now = at('2026-12-01 09:00')
    await t.services.points.earn({ userId, amount: 70, source: 'admin', key: `earn:${userId}:refresh` })

    await t.http.post('/api/admin/analytics/points-liability/refresh').set(admin.auth).send({ now: 1 }).expect(400)
    await t.http.post('/api/admin/analytics/points-liability/refresh').expect(401)
    const shopper = await t.http.post('/api/auth/dev').send({ nickname: '顾客' }).expect(200)
    await t.http.post('/api/admin/analytics/points-liability/refresh').set('authorization', `Bearer ${shopper.body.accessToken}`).expect(401)
    // Refused: no run started, so the figures are those of before.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect((await t.http.get('/api/admin/analytics/points-liability').set(admin.auth).expect(200)).body).toMatchObject({ computedAt: before.computedAt, outstanding: before.outstanding })

    expect((await t.http.post('/api/admin/analytics/points-liability/refresh').set(admin.auth).expect(202)).body).toEqual({ refreshing: true })
    let after = before
    for (let tries = 0; tries < 50 && after.computedAt === before.computedAt; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      after = (await t.http.get('/api/admin/analytics/points-liability').set(admin.auth).expect(200)).body
    }
    expect(after.computedAt).toBe(now.toISOString())
    expect(after.outstanding.points).toBe(before.outstanding.points + 70)
  })

  it('keeps by increments the figures a recount of the whole ledger finds, through spends, corrections, expiries and racing runs', async () => {
    const admin = await operatorLogin(t)
    const read = async () => (await t.http.get('/api/admin/analytics/points-liability').query({ months: 24 }).set(admin.auth).expect(200)).body
    const holders = Array.from({ length: 6 }, () => String(new Types.ObjectId()))
    const operator = String(new Types.ObjectId())
    const tally = () => t.services.reports.tallyPointsLiability(new Date(now.getTime() + 60_000)) // entries settle a minute after they are written
    let step = 0
    // A year of activity, a few days apart: every holder earns; some spend, are corrected, let lots expire.
    for (let day = 0; day < 420; day += 5) {
      now = new Date(Date.parse('2026-12-02T02:00:00Z') + day * 86_400_000)
      for (const [i, userId] of holders.entries()) {
        const key = `${userId}:${day}`
        if ((day / 5 + i) % 3 === 0) await t.services.points.earn({ userId, amount: 10 + i * 7 + (day % 11), source: 'checkin', key: `earn:${key}` })
        if ((day / 5 + i) % 4 === 1) await t.services.points.spend({ userId, amount: 5 + i, source: 'mall', key: `spend:${key}` }).catch((err: { code?: string }) => expect(err.code).toBe('INSUFFICIENT_POINTS'))
        if ((day / 5 + i) % 9 === 2) await t.services.points.adjust({ userId, amount: 3, source: 'admin', key: `adjust:${key}`, direction: i % 2 ? 'debit' : 'credit', reason: '更正', actorId: operator }).catch((err: { code?: string }) => expect(err.code).toBe('INSUFFICIENT_POINTS'))
      }
      await t.services.points.expireDueLots(now)
      // Now and then the tally runs, twice at once (as two instances would).
      if (++step % 7 === 0) await Promise.all([tally(), tally()])
    }
    now = new Date(now.getTime() + 3_600_000)
    await tally()
    const tallied = await read()
    expect(tallied.byExpiryMonth.length).toBeGreaterThan(3)
    expect(tallied.flows.filter((f: { expired: number }) => f.expired > 0).length).toBeGreaterThan(0)
    // The recount of the whole ledger, at the moment the tally reached, finds the same figures.
    await t.services.reports.refreshPointsLiability(new Date(now.getTime() + 60_000))
    const counted = await read()
    expect({ ...tallied, computedAt: null }).toEqual({ ...counted, computedAt: null })
  }, 60_000)
})

