import { startTestApp, type TestApp } from '../../test/harness'
import { expectGroupsConsistent } from '../../test/group-invariants'
import { groupbuyFixtures, type Person } from '../../test/groupbuy-fixtures'
import { reservationProblems, sessionProblems } from '../../test/reservation-invariants'
import { upsertProduct } from '../modules/catalog/catalog.service'
import { countEvents } from '../modules/events/event.model'
import { GroupModel } from '../modules/groupbuy/group.model'
import { OrderModel } from '../modules/orders/order.model'

/**
 * A crash at every step of checkout and payment: the step is reached and the process "dies"
 * there (the request stops for good), the recovery job runs, and then every invariant must hold:
 * no leaked stock, slot, seat, coupon or points, and the shopper (per-user limit 1) can buy again.
 * The stopped request is finally let go, failing as a dead process's retry would, and the
 * invariants must still hold.
 */
const MINUTE = 60_000
let now = new Date('2026-11-23T04:00:00Z')
let t: TestApp
const f = groupbuyFixtures(() => t, () => now)
let stopAt: string | null = null
let stoppedAt: string | null = null
let release: (() => void) | null = null
let proceed: (() => void) | null = null
let failAt: string | null = null

beforeAll(async () => {
  t = await startTestApp(__filename, {
    clock: () => now,
    fakePay: true,
    crashAt: (step) => {
      if (step === failAt) {
        failAt = null
        throw new Error(`simulated crash after ${step}`)
      }
      if (step !== stopAt) return
      stopAt = null
      stoppedAt = step
      return new Promise<void>((resolve, reject) => {
        release = () => reject(new Error(`process died after ${step}`))
        proceed = resolve
      })
    },
  })
  await f.setUp()
})
afterEach(expectGroupsConsistent)
afterAll(async () => {
  release?.() // a failed test may leave its stopped request waiting
  await t.close()
})

async function couponFor(who: Person) {
  const tpl = await t.http.post('/api/admin/coupon-templates').set(f.admin.auth).send({ name: '崩溃测试券', kind: 'amount', amountFen: 300, minSpendFen: 0, validity: { kind: 'relative', days: 30 } }).expect(201)
  return (await t.http.post('/api/admin/coupons/grant').set(f.admin.auth).send({ templateId: tpl.body.template.id, userId: who.user.id, idempotencyKey: `crash-${who.user.id}` }).expect(200)).body.coupon.id as string
}
const balance = async (who: Person) => (await t.http.get('/api/points').set(who.auth).expect(200)).body.available as number

const CHECKOUT_STEPS = ['order', 'key', 'user-slot', 'day-slot', 'stock', 'seat', 'coupon', 'price', 'points', 'prepay', 'prepared']

describe('a checkout that dies after each of its writes is recovered with nothing leaked', () => {
  it.each(CHECKOUT_STEPS)('after %s', async (step) => {
    // Joining an open group, with a coupon and points, under a per-user limit of 1 and a daily cap.
    const id = await f.activity({ tiers: [{ size: 3, priceFen: 2000 }], perUserLimit: 1, dailyCap: 10, stock: 10 })
    const { groupId } = await f.buy(await f.shopper(), { activityId: id, tierSize: 3 })
    const me = await f.shopper()
    const coupon = await couponFor(me)
    await t.http.post('/api/admin/points/adjust').set(f.admin.auth).send({ userId: me.user.id, amount: 200, reason: '测试', idempotencyKey: `crash-pts-${me.user.id}` }).expect(200)

    stopAt = `checkout-after-${step}`
    stoppedAt = null
    const stuck = f.checkout(me, { activityId: id, groupId, couponId: coupon, usePoints: true }).then((r) => r)
    for (let i = 0; i < 300 && !stoppedAt; i++) await new Promise((r) => setTimeout(r, 10))
    // The crash really happened at this step.
    expect(stoppedAt).toBe(`checkout-after-${step}`)
    expect(await OrderModel.countDocuments({ userId: me.user.id })).toBe(1)

    now = new Date(now.getTime() + 16 * MINUTE)
    await t.services.orders.releaseDueHolds(now)
    await t.services.orders.settleGroups(now)
    expect(await reservationProblems(id)).toEqual([])
    expect(await balance(me)).toBe(200)
    const crashed = await OrderModel.findOne({ userId: me.user.id }).lean()
    // Until the shopper could have had the payment parameters the order is gone; after, it stays closed for the record.
    if (step !== 'prepared') expect(crashed).toBeNull()
    else expect(crashed?.state).toBe('closed')
    expect((await GroupModel.findById(groupId).lean())!.free).toBe(2)

    // The shopper can buy again: the per-user slot, stock and coupon came back.
    const again = await f.checkout(me, { activityId: id, groupId, couponId: coupon, usePoints: true }).expect(201)
    expect(again.body.order.price).toMatchObject({ couponFen: 300, pointsUsed: 200 })

    release!()
    release = null
    expect((await stuck).status).toBe(500)
    expect(await reservationProblems(id)).toEqual([])
    expect(await balance(me)).toBe(0)
    expect((await GroupModel.findById(groupId).lean())!.free).toBe(1)
  })
})

const BASKET_STEPS = ['order', 'key', 'stock', 'coupon', 'price', 'points', 'prepay', 'prepared']

describe('a basket checkout that dies after each of its writes is recovered with nothing leaked', () => {
  it.each(BASKET_STEPS)('after %s', async (step) => {
    const other = (await upsertProduct({ sku: `CR-${step}`, name: '崩溃测试西兰花', subtitle: '', category: '蔬菜', priceFen: 990, unit: '份', cover: { emoji: '🥦', tint: '#e6f7e6' }, tags: [], sort: 2 })).id
    const lines = [{ productId: f.productId, quantity: 2 }, { productId: other, quantity: 1 }]
    const me = await f.shopper()
    const coupon = await couponFor(me)
    await t.http.post('/api/admin/points/adjust').set(f.admin.auth).send({ userId: me.user.id, amount: 200, reason: '测试', idempotencyKey: `crash-basket-${me.user.id}` }).expect(200)
    const day = (await t.http.post('/api/orders/quote').set(me.auth).send({ lines }).expect(200)).body.lines[0].day as string

    stopAt = `checkout-after-${step}`
    stoppedAt = null
    const stuck = f.checkout(me, { lines, couponId: coupon, usePoints: true }).then((r) => r)
    for (let i = 0; i < 300 && !stoppedAt; i++) await new Promise((r) => setTimeout(r, 10))
    expect(stoppedAt).toBe(`checkout-after-${step}`)

    now = new Date(now.getTime() + 16 * MINUTE)
    await t.services.orders.releaseDueHolds(now)
    for (const id of [f.productId, other]) expect(await sessionProblems(id, day)).toEqual([])
    expect(await balance(me)).toBe(200)
    const crashed = await OrderModel.findOne({ userId: me.user.id }).lean()
    if (step !== 'prepared') expect(crashed).toBeNull()
    else expect(crashed?.state).toBe('closed')

    // Nothing stays held: the shopper buys the same basket with the same coupon and points again.
    const again = await f.checkout(me, { lines, couponId: coupon, usePoints: true }).expect(201)
    expect(again.body.order.price).toMatchObject({ couponFen: 300, pointsUsed: 200 })
    release!()
    release = null
    expect((await stuck).status).toBe(500)
    for (const id of [f.productId, other]) expect(await sessionProblems(id, again.body.order.lines[0].day)).toEqual([])
  })
})

describe('a checkout that stalls past its hold, is recovered, and then wakes up', () => {
  it('gives back what it takes after waking, although recovery already forgot its order', async () => {
    const id = await f.activity({ tiers: [{ size: 3, priceFen: 2000 }], perUserLimit: 1, stock: 10 })
    const { groupId } = await f.buy(await f.shopper(), { activityId: id, tierSize: 3 })
    const me = await f.shopper()
    const coupon = await couponFor(me)
    await t.http.post('/api/admin/points/adjust').set(f.admin.auth).send({ userId: me.user.id, amount: 200, reason: '测试', idempotencyKey: `stall-pts-${me.user.id}` }).expect(200)
    stopAt = 'checkout-after-stock'
    stoppedAt = null
    const stalled = f.checkout(me, { activityId: id, groupId, couponId: coupon, usePoints: true }).then((r) => r)
    for (let i = 0; i < 300 && !stoppedAt; i++) await new Promise((r) => setTimeout(r, 10))
    expect(stoppedAt).toBe('checkout-after-stock')
    now = new Date(now.getTime() + 16 * MINUTE)
    await t.services.orders.releaseDueHolds(now)
    expect(await OrderModel.countDocuments({ userId: me.user.id })).toBe(0)

    // It wakes: takes the seat, locks the coupon, spends the points, then finds its order gone.
    proceed!()
    release = proceed = null
    expect((await stalled).status).toBe(500)
    expect(await reservationProblems(id)).toEqual([])
    expect(await balance(me)).toBe(200)
    expect((await GroupModel.findById(groupId).lean())!.free).toBe(2)
    await f.checkout(me, { activityId: id, groupId, couponId: coupon, usePoints: true }).expect(201)
  })
})

describe('a payment whose handling dies after each write is finished by the next delivery', () => {
  it.each(['payment-after-paid', 'payment-after-seat-paid'])('after %s', async (step) => {
    const id = await f.activity({ tiers: [{ size: 2, priceFen: 2000 }], perUserLimit: 1 })
    const me = await f.shopper()
    const res = await f.checkout(me, { activityId: id, tierSize: 2 }).expect(201)
    const orderId = res.body.order.id
    await t.fakePay!.pay(res.body.payment.package.slice('prepay_id='.length), { deliver: false })
    failAt = step
    expect(await t.fakePay!.notifyPaid(orderId)).toBe(500)
    expect(failAt).toBeNull() // the crash happened at this step
    // WeChat Pay delivers again; the order is paid once and its seat counts once.
    expect(await t.fakePay!.notifyPaid(orderId)).toBe(204)
    expect(await t.fakePay!.notifyPaid(orderId)).toBe(204)
    const order = (await OrderModel.findById(orderId).lean())!
    expect(order.state).toBe('paid')
    expect((await GroupModel.findById(order.groupId).lean())!).toMatchObject({ state: 'open', paidCount: 1 })
    expect(await countEvents({ name: 'payment', 'props.orderId': orderId })).toBe(1)
    expect(await reservationProblems(id)).toEqual([])
  })
})
