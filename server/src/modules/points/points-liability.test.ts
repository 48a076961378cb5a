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
    now = at('2026-11-30 12:00')
    expect(await t.services.points.expireDueLots(now)).toBe(1)

    const admin = await operatorLogin(t)
    const report = (await t.http.get('/api/admin/analytics/points-liability').query({ months: 3 }).set(admin.auth).expect(200)).body
    expect(report).toEqual({
      asOf: '2026-11-30',
      pointsPerYuan: 100,
      // X: 20 left of the October lot, all 100 of November's; Y: 200. 320 points are ¥3.20.
      outstanding: { points: 320, fen: 320 },
      byExpiryMonth: [
        { month: '2027-10', points: 20, fen: 20 },
        { month: '2027-11', points: 300, fen: 300 },
      ],
      flows: [
        { month: '2026-09', earned: 0, spent: 0, expired: 0 },
        { month: '2026-10', earned: 50, spent: 0, expired: 0 },
        { month: '2026-11', earned: 300, spent: 30, expired: 40 },
      ],
    })
    await t.http.get('/api/admin/analytics/points-liability').query({ months: 25 }).set(admin.auth).expect(400)
  })
})
