import { devLogin, startTestApp, type TestApp, operatorLogin } from '../../../test/harness'
import { AuditLogModel } from '../audit/audit-log.model'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

describe('points routes', () => {
  it('shows the balance and pages through the ledger newest first', async () => {
    const shopper = await devLogin(t, { nickname: '积分达人' })
    for (let i = 1; i <= 5; i++) {
      await t.services.points.earn({ userId: shopper.user.id, amount: i, source: 'checkin', key: `c${i}:${shopper.user.id}` })
    }
    const summary = await t.http.get('/api/points').set(shopper.auth).expect(200)
    expect(summary.body).toMatchObject({ available: 15, pending: 0, negative: false, nextExpiry: { points: 15 } })

    const first = await t.http.get('/api/points/ledger').query({ limit: 2 }).set(shopper.auth).expect(200)
    expect(first.body.entries.map((e: { amount: number }) => e.amount)).toEqual([5, 4])
    expect(first.body.entries[0]).toMatchObject({ title: '每日签到', balance: 15, type: 'earn' })
    const second = await t.http.get('/api/points/ledger').query({ limit: 2, cursor: first.body.nextCursor }).set(shopper.auth).expect(200)
    expect(second.body.entries.map((e: { amount: number }) => e.amount)).toEqual([3, 2])
    const last = await t.http.get('/api/points/ledger').query({ limit: 2, cursor: second.body.nextCursor }).set(shopper.auth).expect(200)
    expect(last.body).toMatchObject({ nextCursor: null, entries: [{ amount: 1 }] })
  })

  it('lets an admin adjust a balance with a reason, once per key, audit-logged', async () => {
    const admin = await operatorLogin(t)
    const shopper = await devLogin(t, { nickname: '补偿用户' })
    const body = { userId: shopper.user.id, amount: 88, reason: '配送延误补偿', idempotencyKey: 'ticket-20261123-01' }
    const first = await t.http.post('/api/admin/points/adjust').set(admin.auth).send(body).expect(200)
    const again = await t.http.post('/api/admin/points/adjust').set(admin.auth).send(body).expect(200)
    expect(first.body.replayed).toBe(false)
    expect(again.body).toMatchObject({ replayed: true, entry: { id: first.body.entry.id } })
    expect((await t.http.get('/api/points').set(shopper.auth)).body.available).toBe(88)
    const audits = await AuditLogModel.find({ action: 'points.adjust', targetId: shopper.user.id }).lean()
    expect(audits).toHaveLength(1)
    expect(audits[0]).toMatchObject({ outcome: 'applied', details: { amount: 88, reason: '配送延误补偿' } })

    const overdraw = await t.http
      .post('/api/admin/points/adjust')
      .set(admin.auth)
      .send({ ...body, amount: -500, idempotencyKey: 'ticket-20261123-02' })
      .expect(409)
    expect(overdraw.body.error.code).toBe('INSUFFICIENT_POINTS')
    expect(await AuditLogModel.countDocuments({ targetId: shopper.user.id, outcome: 'refused' })).toBe(1)
  })

  it('lists balances a clawback left negative to admins only', async () => {
    const shopper = await devLogin(t, { nickname: '退款' })
    await t.services.points.earn({ userId: shopper.user.id, amount: 10, source: 'order', key: `o:${shopper.user.id}` })
    await t.services.points.clawback({ userId: shopper.user.id, amount: 30, source: 'order', key: `r:${shopper.user.id}` })
    const admin = await operatorLogin(t)
    const res = await t.http.get('/api/admin/points/negative-balances').set(admin.auth).expect(200)
    expect(res.body.users).toContainEqual(expect.objectContaining({ userId: shopper.user.id, balanceThen: -20, balanceNow: -20 }))
    await t.http.get('/api/admin/points/negative-balances').set(shopper.auth).expect(401)
    expect((await t.http.get('/api/points').set(shopper.auth)).body).toMatchObject({ available: -20, negative: true })
  })

  it('refuses adjustments from non-admins and without a reason', async () => {
    const shopper = await devLogin(t, { nickname: '想加分' })
    const body = { userId: shopper.user.id, amount: 1000, reason: '自己加', idempotencyKey: 'self-grant-0001' }
    await t.http.post('/api/admin/points/adjust').set(shopper.auth).send(body).expect(401)
    const admin = await operatorLogin(t)
    await t.http.post('/api/admin/points/adjust').set(admin.auth).send({ ...body, reason: '' }).expect(400)
    expect((await t.http.get('/api/points').set(shopper.auth)).body.available).toBe(0)
  })
})
