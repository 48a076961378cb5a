import { startTestApp, type TestApp } from '../../test/harness'
import { groupbuyFixtures, type Person } from '../../test/groupbuy-fixtures'
import { CouponModel } from '../modules/coupons/coupon.model'
import { ProductModel } from '../modules/catalog/product.model'
import { OrderKeyModel, OrderModel } from '../modules/orders/order.model'

const MINUTE = 60_000
let now = new Date('2026-11-23T04:00:00Z')
let t: TestApp
const f = groupbuyFixtures(() => t, () => now)

beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now, fakePay: true })
  await f.setUp()
})
afterAll(() => t.close())

async function coupon(who: Person, scope: 'all' | 'groupbuy', amountFen = 500) {
  const tpl = await t.http.post('/api/admin/coupon-templates').set(f.admin.auth).send({ name: `${scope}立减券`, kind: 'amount', amountFen, minSpendFen: 0, scope, validity: { kind: 'relative', days: 30 } }).expect(201)
  return (await t.http.post('/api/admin/coupons/grant').set(f.admin.auth).send({ templateId: tpl.body.template.id, userId: who.user.id, idempotencyKey: `grant-${who.user.id}-${scope}` }).expect(200)).body.coupon.id as string
}
const points = async (who: Person) => (await t.http.get('/api/points').set(who.auth).expect(200)).body as { available: number; pending: number }
const sold = async () => (await ProductModel.findById(f.productId).lean())!.soldCount

describe('立即购买: a product bought alone is a one-line basket through the same order flows', () => {
  it('prices two units at the list price less the member rate, then coupon and points; paid, it is ready for pickup and a clerk hands over both', async () => {
    const me = await f.shopper('单买的李姐')
    const couponId = await coupon(me, 'all')
    await t.http.post('/api/admin/points/adjust').set(f.admin.auth).send({ userId: me.user.id, amount: 300, reason: '测试积分', idempotencyKey: `pts-${me.user.id}` }).expect(200)
    const before = await sold()
    const quote = (await t.http.post('/api/orders/quote').set(me.auth).send({ productId: f.productId, quantity: 2, couponId, usePoints: true }).expect(200)).body
    // 3990 × 2 = 7980; 普通会员 98% → 7820; coupon −500 → 7320; 300 points → −300 → 7020.
    expect(quote.price).toEqual({ listPriceFen: 7980, groupPriceFen: 7980, levelDiscountFen: 160, levelName: '普通会员', couponFen: 500, pointsUsed: 300, pointsFen: 300, payFen: 7020 })

    const placed = (await f.checkout(me, { productId: f.productId, quantity: 2, couponId, usePoints: true }).expect(201)).body
    expect(placed.order).toMatchObject({ kind: 'basket', quantity: 2, itemCount: 2, activityId: null, groupId: '', state: 'pending_payment', price: quote.price })
    expect(placed.order.lines).toEqual([expect.objectContaining({ productId: f.productId, quantity: 2, memberUnitFen: 3910, lineFen: 7820, couponFen: 500, pointsFen: 300, payFen: 7020 })])
    expect((await points(me)).available).toBe(0)
    expect((await CouponModel.findById(couponId).lean())!.state).toBe('locked')

    await t.fakePay!.pay(placed.payment.package.replace('prepay_id=', ''))
    const ready = (await t.http.get(`/api/orders/${placed.order.id}`).set(me.auth).expect(200)).body.order
    expect(ready).toMatchObject({ state: 'confirmed', pickupCode: expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/) })
    expect((await CouponModel.findById(couponId).lean())!.state).toBe('used')
    expect(await sold()).toBe(before + 2)

    const clerk = await f.staffAt(f.storeId, '单买店员')
    const preview = (await t.http.get(`/api/staff/codes/${ready.pickupCode}`).set(clerk.auth).expect(200)).body.preview
    expect(preview).toMatchObject({ kind: 'pickup', title: '拼团芒果 × 2', detail: '社区团购 · 共 2 件 · 实付 ¥70.20', refusal: null })
    const tries = await Promise.all([1, 2, 3].map(() => t.http.post('/api/staff/pickups').set(clerk.auth).send({ code: ready.pickupCode })))
    expect(tries.map((r) => r.status).sort()).toEqual([200, 409, 409])
    // 7020 fen → 70 yuan → 70 points, pending for the refund window.
    expect(await points(me)).toMatchObject({ available: 0, pending: 70 })
  })

  it('answers one order to five simultaneous sends of one key, and a refused checkout leaves nothing behind', async () => {
    const me = await f.shopper('手快的王叔')
    const key = 'solo-once-0001'
    const sends = await Promise.all(Array.from({ length: 5 }, () => f.checkout(me, { productId: f.productId, quantity: 1, idempotencyKey: key })))
    const ids = new Set(sends.filter((r) => r.status === 201).map((r) => r.body.order.id))
    expect(ids.size).toBe(1)
    for (const r of sends.filter((x) => x.status !== 201)) expect(r.body.error.code).toBe('REQUEST_IN_PROGRESS')
    expect(await OrderModel.countDocuments({ userId: me.user.id, kind: 'basket' })).toBe(1)

    // A coupon only for group-buys does not fit an order bought alone: refused, nothing written.
    const groupOnly = await coupon(me, 'groupbuy')
    const ordersBefore = await OrderModel.countDocuments({})
    const keysBefore = await OrderKeyModel.countDocuments({})
    const refused = await f.checkout(me, { productId: f.productId, quantity: 1, couponId: groupOnly }).expect(409)
    expect(refused.body.error.code).toBe('COUPON_NOT_USABLE')
    expect(await OrderModel.countDocuments({})).toBe(ordersBefore)
    expect(await OrderKeyModel.countDocuments({})).toBe(keysBefore)
    expect((await CouponModel.findById(groupOnly).lean())!.state).toBe('usable')
  })

  it('closes an unpaid order after the hold and gives back its coupon and points', async () => {
    const me = await f.shopper('没付款的赵哥')
    const couponId = await coupon(me, 'all', 300)
    await t.http.post('/api/admin/points/adjust').set(f.admin.auth).send({ userId: me.user.id, amount: 200, reason: '测试积分', idempotencyKey: `pts-${me.user.id}` }).expect(200)
    const placed = (await f.checkout(me, { productId: f.productId, quantity: 3, couponId, usePoints: true }).expect(201)).body
    expect((await points(me)).available).toBe(0)
    now = new Date(now.getTime() + 16 * MINUTE)
    await t.services.orders.releaseDueHolds(now)
    expect((await OrderModel.findById(placed.order.id).lean())!.state).toBe('closed')
    expect((await CouponModel.findById(couponId).lean())!.state).toBe('usable')
    expect((await points(me)).available).toBe(200)
  })

  it('refuses what is not one way to buy', async () => {
    const me = await f.shopper()
    const activityId = await f.activity({ tiers: [{ size: 2, priceFen: 3000 }] })
    const codes = async (body: Record<string, unknown>) => (await t.http.post('/api/orders/quote').set(me.auth).send(body).expect(400)).body.error.code
    expect(await codes({ productId: f.productId, activityId })).toBe('VALIDATION_FAILED')
    expect(await codes({ productId: f.productId, tierSize: 2 })).toBe('VALIDATION_FAILED')
    expect(await codes({ activityId, quantity: 2 })).toBe('VALIDATION_FAILED')
    expect(await codes({ productId: f.productId, quantity: 100 })).toBe('VALIDATION_FAILED')
    expect(await codes({ productId: f.productId, lines: [{ productId: f.productId, quantity: 1 }] })).toBe('VALIDATION_FAILED')
    expect(await codes({})).toBe('VALIDATION_FAILED')
  })
})
