import { devLogin, startTestApp, type TestApp, operatorLogin } from '../../../test/harness'
import { AuditLogModel } from '../audit/audit-log.model'
import { CouponModel } from './coupon.model'

let now = new Date('2026-11-23T02:00:00Z')
let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now })
})
afterAll(() => t.close())

async function template(admin: { auth: Record<string, string> }, body: Record<string, unknown> = {}) {
  const res = await t.http
    .post('/api/admin/coupon-templates')
    .set(admin.auth)
    .send({ name: '10元无门槛券', kind: 'amount', amountFen: 1000, validity: { kind: 'relative', days: 7 }, ...body })
    .expect(201)
  return res.body.template.id as string
}

describe('coupons', () => {
  it('grants once per key, even when the grant is retried concurrently, and audits it once', async () => {
    const admin = await operatorLogin(t)
    const shopper = await devLogin(t, { nickname: '领券' })
    const templateId = await template(admin)
    const body = { templateId, userId: shopper.user.id, idempotencyKey: 'welcome-pack-001' }
    const results = await Promise.all(Array.from({ length: 5 }, () => t.http.post('/api/admin/coupons/grant').set(admin.auth).send(body)))
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    expect(new Set(results.map((r) => r.body.coupon.id)).size).toBe(1)
    expect(await CouponModel.countDocuments({ userId: shopper.user.id })).toBe(1)
    expect(await AuditLogModel.countDocuments({ action: 'coupon.grant', targetId: shopper.user.id })).toBe(1)
    const mine = await t.http.get('/api/coupons').set(shopper.auth).expect(200)
    expect(mine.body.coupons).toMatchObject([{ name: '10元无门槛券', amountFen: 1000, state: 'usable' }])
  })

  it('lists an expired coupon under expired, and refuses to use it', async () => {
    const admin = await operatorLogin(t)
    const shopper = await devLogin(t, { nickname: '过期' })
    const templateId = await template(admin, { validity: { kind: 'relative', days: 1 } })
    const { coupon } = await t.services.coupons.grant({ templateId, userId: shopper.user.id, key: `exp:${shopper.user.id}`, source: 'test' })
    now = new Date(now.getTime() + 2 * 24 * 3600 * 1000)
    expect((await t.http.get('/api/coupons').query({ state: 'usable' }).set(shopper.auth)).body.coupons).toEqual([])
    expect((await t.http.get('/api/coupons').query({ state: 'expired' }).set(shopper.auth)).body.coupons).toMatchObject([{ state: 'expired' }])
    await expect(
      t.services.coupons.lock({ couponId: coupon._id.toHexString(), userId: shopper.user.id, orderId: 'o1', orderFen: 5000, scope: 'groupbuy' }),
    ).rejects.toMatchObject({ code: 'COUPON_NOT_USABLE' })
  })

  it('locks a coupon onto one of two racing orders, then uses, restores once, and honours the minimum spend', async () => {
    const admin = await operatorLogin(t)
    const shopper = await devLogin(t, { nickname: '用券' })
    const templateId = await template(admin, { name: '满50减10', minSpendFen: 5000 })
    const { coupon } = await t.services.coupons.grant({ templateId, userId: shopper.user.id, key: `use:${shopper.user.id}`, source: 'test' })
    const couponId = coupon._id.toHexString()
    const lock = (orderId: string, orderFen: number) =>
      t.services.coupons.lock({ couponId, userId: shopper.user.id, orderId, orderFen, scope: 'groupbuy' })
    await expect(lock('small', 4999)).rejects.toMatchObject({ code: 'COUPON_NOT_USABLE' })
    const raced = await Promise.allSettled([lock('a', 6000), lock('b', 6000)])
    const winner = raced.findIndex((r) => r.status === 'fulfilled')
    expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect((raced[winner] as PromiseFulfilledResult<{ discountFen: number }>).value.discountFen).toBe(1000)
    const orderId = winner === 0 ? 'a' : 'b'
    expect(await t.services.coupons.use(couponId, orderId)).toBe(true)
    expect((await t.http.get('/api/coupons').query({ state: 'used' }).set(shopper.auth)).body.coupons).toHaveLength(1)
    expect(await Promise.all([t.services.coupons.restore(couponId, orderId), t.services.coupons.restore(couponId, orderId)])).toEqual(
      expect.arrayContaining([true, false]),
    )
    expect((await t.http.get('/api/coupons').set(shopper.auth)).body.coupons).toMatchObject([{ state: 'usable' }])
  })

  it('validates templates and keeps coupon admin to admins', async () => {
    const admin = await operatorLogin(t)
    const bad = await t.http.post('/api/admin/coupon-templates').set(admin.auth).send({ name: '坏券', kind: 'amount', validity: { kind: 'relative', days: 3 } }).expect(400)
    expect(bad.body.error.details[0].path).toBe('body.kind')
    const shopper = await devLogin(t, { nickname: '自助' })
    await t.http.post('/api/admin/coupon-templates').set(shopper.auth).send({}).expect(401)
    await t.http.get('/api/coupons').query({ state: 'all' }).set(shopper.auth).expect(400)
  })
})
