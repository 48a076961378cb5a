import { RefundModel } from '../refunds/refund.model'
import { startTestApp, type TestApp } from '../../../test/harness'
import { expectGroupsConsistent } from '../../../test/group-invariants'
import { startFakeWechat, type FakeWechat } from '../../../test/fake-wechat'
import { groupbuyFixtures, type Person } from '../../../test/groupbuy-fixtures'
import { AuditLogModel } from '../audit/audit-log.model'
import { CouponModel } from '../coupons/coupon.model'
import { countEvents } from '../events/event.model'
import { ActivityModel } from '../groupbuy/activity.model'
import { GroupModel } from '../groupbuy/group.model'
import { NotificationModel } from '../notifications/notification.model'
import { OrderModel, type Order } from './order.model'

const MINUTE = 60_000
let now = new Date('2026-11-23T04:00:00Z')
let crashes = 0
let t: TestApp
let wx: FakeWechat
const f = groupbuyFixtures(() => t, () => now)

beforeAll(async () => {
  wx = await startFakeWechat()
  t = await startTestApp(__filename, {
    env: { WECHAT_API_BASE: wx.baseUrl, WECHAT_APPID: wx.appId, WECHAT_SECRET: wx.secret, WECHAT_TEMPLATE_GROUP: 'tmpl-group-result' },
    clock: () => now,
    fakePay: true,
    crashAt: (step) => {
      if (step === 'refund-before-call' && crashes > 0) {
        crashes--
        throw new Error('simulated crash before the refund call')
      }
    },
  })
  await f.setUp()
})
afterEach(expectGroupsConsistent)
afterAll(async () => {
  await t.close()
  await wx.close()
})

const points = async (who: Person) => (await t.http.get('/api/points').set(who.auth).expect(200)).body
async function giveCoupon(who: Person, amountFen = 500) {
  const tpl = await t.http.post('/api/admin/coupon-templates').set(f.admin.auth).send({ name: '拼团立减券', kind: 'amount', amountFen, minSpendFen: 0, validity: { kind: 'relative', days: 30 } }).expect(201)
  const grant = await t.http.post('/api/admin/coupons/grant').set(f.admin.auth).send({ templateId: tpl.body.template.id, userId: who.user.id, idempotencyKey: `grant-${who.user.id}-${amountFen}` }).expect(200)
  return grant.body.coupon.id as string
}
async function givePoints(who: Person, amount: number) {
  await t.http.post('/api/admin/points/adjust').set(f.admin.auth).send({ userId: who.user.id, amount, reason: '测试积分', idempotencyKey: `pts-${who.user.id}-${amount}` }).expect(200)
}

describe('payment notifications', () => {
  it('change an order once when delivered 3 times, and are rejected when forged or tampered', async () => {
    const id = await f.activity({ tiers: [{ size: 2, priceFen: 2000 }] })
    const me = await f.shopper()
    const res = await f.checkout(me, { activityId: id, tierSize: 2 }).expect(201)
    const orderId = res.body.order.id
    expect(res.body.order).toMatchObject({ state: 'pending_payment', price: { groupPriceFen: 2000, levelDiscountFen: 40, payFen: 1960 } })
    expect(res.body.payment).toMatchObject({ signType: 'RSA', package: expect.stringMatching(/^prepay_id=wx/) })

    // Forged: signed with the wrong key. Tampered: ciphertext altered. Both refused, nothing changes.
    await t.fakePay!.pay(res.body.payment.package.slice('prepay_id='.length), { deliver: false })
    expect(await t.fakePay!.notifyPaid(orderId, 'signature')).toBe(401)
    expect(await t.fakePay!.notifyPaid(orderId, 'ciphertext')).toBe(400)
    expect((await OrderModel.findById(orderId).lean())!.state).toBe('pending_payment')

    const statuses = [await t.fakePay!.notifyPaid(orderId), await t.fakePay!.notifyPaid(orderId), await t.fakePay!.notifyPaid(orderId)]
    expect(statuses).toEqual([204, 204, 204])
    const order = (await OrderModel.findById(orderId).lean())!
    expect(order.state).toBe('paid')
    const group = (await GroupModel.findById(order.groupId).lean())!
    expect(group).toMatchObject({ state: 'open', paidCount: 1 })
    expect(await countEvents({ name: 'payment', 'props.orderId': orderId })).toBe(1)
  })

  it('refuses a notification without signature headers', async () => {
    const res = await t.http.post('/api/pay/notify').set('content-type', 'application/json').send({ id: 'x', event_type: 'TRANSACTION.SUCCESS' }).expect(401)
    expect(res.body).toEqual({ code: 'FAIL', message: '验签或解密失败' })
  })
})

describe('a seat waiting for payment', () => {
  it('reads as held until the hold ends, to the group and to the shopper whose order it is', async () => {
    const id = await f.activity({ tiers: [{ size: 2, priceFen: 3000 }] })
    const [a, b, c] = await f.shoppers(3)
    const first = await f.buy(a!, { activityId: id, tierSize: 2 })
    const placed = (await f.checkout(b!, { activityId: id, groupId: first.groupId }).expect(201)).body
    const held = placed.order
    const seen = (await t.http.get(`/api/groups/${first.groupId}`).set(c!.auth).expect(200)).body.group
    expect(seen).toMatchObject({ state: 'open', seatsLeft: 0, myOrderId: null, myOrderUnpaid: false })
    expect(seen.members).toEqual([
      expect.objectContaining({ initiator: true, paid: true, heldUntil: null }),
      expect.objectContaining({ initiator: false, paid: false, heldUntil: new Date(now.getTime() + 15 * MINUTE).toISOString() }),
    ])
    const own = (await t.http.get(`/api/groups/${first.groupId}`).set(b!.auth).expect(200)).body.group
    expect(own).toMatchObject({ myOrderId: held.id, myOrderUnpaid: true })
    // The shopper coming back finds the order by its activity among those waiting for payment.
    const waiting = (await t.http.get('/api/orders?state=pending_payment').set(b!.auth).expect(200)).body.orders
    expect(waiting).toEqual([expect.objectContaining({ id: held.id, activityId: id, groupId: first.groupId, holdUntil: expect.any(String) })])
    await t.fakePay!.pay(placed.payment.package.replace('prepay_id=', ''))
    const paid = (await t.http.get(`/api/groups/${first.groupId}`).set(b!.auth).expect(200)).body.group
    expect(paid).toMatchObject({ state: 'succeeded', myOrderUnpaid: false })
  })
})

describe('a group that fills', () => {
  it('confirms both orders with pickup codes, pays the initiator coupon once, and the pickup credits points and growth once', async () => {
    const id = await f.activity({ tiers: [{ size: 2, priceFen: 3000 }] })
    const [a, b] = await f.shoppers(2)
    const first = await f.buy(a!, { activityId: id, tierSize: 2 })
    const view = (await t.http.get(`/api/groups/${first.groupId}`).set(b!.auth).expect(200)).body.group
    expect(view).toMatchObject({ state: 'open', seatsLeft: 1, size: 2, myOrderId: null, members: [{ initiator: true, paid: true }] })
    const second = await f.buy(b!, { activityId: id, groupId: first.groupId })
    expect((await GroupModel.findById(first.groupId).lean())!.state).toBe('succeeded')
    // Late retries of the notification and of settlement change nothing.
    await t.fakePay!.notifyPaid(second.orderId)
    await t.services.orders.settleGroup((await GroupModel.findById(first.groupId).lean())!)
    const orders = await OrderModel.find({ groupId: first.groupId }).lean()
    expect(orders.map((o) => o.state)).toEqual(['confirmed', 'confirmed'])
    expect(orders.every((o) => /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(o.pickupCode!))).toBe(true)
    const initiatorCoupons = await CouponModel.find({ userId: a!.user.id, source: 'groupbuy' }).lean()
    expect(initiatorCoupons).toHaveLength(1)
    expect(initiatorCoupons[0]!.amountFen).toBe(1000)
    expect(await NotificationModel.countDocuments({ kind: 'group_success', userId: { $in: [a!.user.id, b!.user.id] } })).toBe(2)
    // Each member gets one subscribe message, however often settlement ran.
    const results = wx.sentMessages.filter((m) => m.template_id === 'tmpl-group-result' && m.page === `pages/group/index?id=${first.groupId}`)
    expect(results).toHaveLength(2)
    expect(results[0]!.data).toMatchObject({ thing1: { value: '拼团芒果' }, phrase2: { value: '拼团成功' } })

    const mine = (await t.http.get(`/api/orders/${second.orderId}`).set(b!.auth).expect(200)).body.order
    expect(mine.pickupCode).toMatch(/^[0-9A-Z-]{14}$/)
    const staff = await f.staffAt(f.storeId, '拼团店员')
    const other = await f.staffAt(await f.otherStore(), '别店店员')
    const wrong = await t.http.post('/api/staff/pickups').set(other.auth).send({ code: mine.pickupCode }).expect(403)
    expect(wrong.body.error.code).toBe('WRONG_STORE')
    expect(wrong.body.error.message).toBe('该订单不在本店自提，请到「鲜邻优选·拼团店」提货')
    // The desk's look-up: what the code is, and for the other store's clerk, where to go.
    const seen = (await t.http.get(`/api/staff/codes/${mine.pickupCode.replace(/-/g, ' ').toLowerCase()}`).set(staff.auth).expect(200)).body.preview
    expect(seen).toMatchObject({ kind: 'pickup', code: mine.pickupCode, title: '拼团芒果 × 1', refusal: null, stores: [{ id: f.storeId }] })
    expect((await t.http.get(`/api/staff/codes/${mine.pickupCode}`).set(other.auth).expect(200)).body.preview.refusal).toBe(wrong.body.error.message)
    const tries = await Promise.all(Array.from({ length: 10 }, () => t.http.post('/api/staff/pickups').set(staff.auth).send({ code: mine.pickupCode.toLowerCase() })))
    expect(tries.filter((r) => r.status === 200)).toHaveLength(1)
    for (const r of tries.filter((x) => x.status !== 200)) expect(r.body.error.code).toBe('ALREADY_PICKED_UP')
    expect(await AuditLogModel.countDocuments({ action: 'order.pickup', targetId: second.orderId, outcome: 'ok' })).toBe(1)
    const desk = (await t.http.get('/api/staff/redemptions').set(staff.auth).expect(200)).body.redemptions
    expect(desk).toEqual([expect.objectContaining({ kind: 'pickup', code: mine.pickupCode, itemName: '拼团芒果', staffName: '拼团店员' })])
    const done = (await t.http.get(`/api/staff/codes/${mine.pickupCode}`).set(staff.auth).expect(200)).body.preview
    expect(done.refusal).toMatch(/^该订单已于 11月23日 \d\d:\d\d 由 拼团店员 提货$/)
    const wallet = await points(b!)
    // 3000 × 98% (普通会员) = 2940 fen → 29 yuan → 29 points pending for the refund window.
    expect(wallet).toMatchObject({ pending: 29 })
    // Growth: 29 for the yuan paid, and 10 for the member's first completed order (rules file).
    const membership = (await t.http.get('/api/membership').set(b!.auth).expect(200)).body
    expect(membership.growth).toBe(39)
    await t.services.orders.credit((await OrderModel.findById(second.orderId).lean<Order>())!)
    expect((await points(b!)).pending).toBe(29)
    expect((await t.http.get('/api/membership').set(b!.auth).expect(200)).body.growth).toBe(39)
  })
})

describe('a member refunded after pickup', () => {
  it('leaves the group\'s member list; the seat stays counted, as the group already succeeded', async () => {
    const id = await f.activity({ tiers: [{ size: 2, priceFen: 3000 }] })
    const [a, b] = await f.shoppers(2)
    const first = await f.buy(a!, { activityId: id, tierSize: 2 })
    const second = await f.buy(b!, { activityId: id, groupId: first.groupId })
    const staff = await f.staffAt(f.storeId, '售后店员')
    const code = (await t.http.get(`/api/orders/${second.orderId}`).set(b!.auth).expect(200)).body.order.pickupCode
    await t.http.post('/api/staff/pickups').set(staff.auth).send({ code }).expect(200)
    await t.http.post(`/api/admin/orders/${second.orderId}/refund`).set(f.admin.auth).send({ reason: '顾客要求退款', idempotencyKey: 'refund-after-pickup' }).expect(200)
    await t.services.orders.refundSucceeded(second.orderId)
    expect((await OrderModel.findById(second.orderId).lean())!.state).toBe('refunded')
    const group = (await t.http.get(`/api/groups/${first.groupId}`).set(a!.auth).expect(200)).body.group
    expect(group).toMatchObject({ state: 'succeeded', seatsLeft: 0, size: 2 })
    expect(group.members).toEqual([expect.objectContaining({ initiator: true, paid: true })])
  })
})

describe('seats and groups that run out of time', () => {
  it('releases an unpaid seat after 15 minutes, closing the payment and giving back stock, coupon and points', async () => {
    const id = await f.activity({ tiers: [{ size: 2, priceFen: 3000 }] })
    const [a, b] = await f.shoppers(2)
    const { groupId } = await f.buy(a!, { activityId: id, tierSize: 2 })
    const coupon = await giveCoupon(b!)
    await givePoints(b!, 500)
    const res = await f.checkout(b!, { activityId: id, groupId, couponId: coupon, usePoints: true }).expect(201)
    expect(res.body.order.price).toMatchObject({ couponFen: 500, pointsUsed: 500, pointsFen: 500, payFen: 2940 - 1000 })
    expect((await points(b!)).available).toBe(0)
    now = new Date(now.getTime() + 14 * MINUTE)
    await t.services.orders.releaseDueHolds(now)
    expect((await OrderModel.findById(res.body.order.id).lean())!.state).toBe('pending_payment')
    now = new Date(now.getTime() + 2 * MINUTE)
    await Promise.all([t.services.orders.releaseDueHolds(now), t.services.orders.releaseDueHolds(now)])
    expect((await OrderModel.findById(res.body.order.id).lean())!.state).toBe('closed')
    expect(t.fakePay!.transaction(res.body.order.id)!.trade_state).toBe('CLOSED')
    expect((await GroupModel.findById(groupId).lean())!).toMatchObject({ free: 1, state: 'open' })
    expect((await ActivityModel.findById(id).lean())!.stockLeft).toBe(99)
    expect((await CouponModel.findById(coupon).lean())!.state).toBe('usable')
    expect((await points(b!)).available).toBe(500)
    // The ledger says what happened: points spent on the order, then given back (not 购物奖励).
    const ledger = (await t.http.get('/api/points/ledger').set(b!.auth).expect(200)).body.entries
    expect(ledger.slice(0, 2).map((e: { title: string; amount: number }) => [e.title, e.amount])).toEqual([
      ['订单未成交，抵扣积分退回', 500],
      ['下单抵扣', -500],
    ])
    const late = await t.http.post(`/api/orders/${res.body.order.id}/payment`).set(b!.auth).expect(409)
    expect(late.body.error.code).toBe('ORDER_NOT_PAYABLE')
  })

  it('refunds every paid order of an expired group exactly once, across a restart mid-way, and gives everything back', async () => {
    const id = await f.activity({ tiers: [{ size: 5, priceFen: 2000 }], stock: 10 })
    const members = await f.shoppers(3)
    const coupon = await giveCoupon(members[1]!, 300)
    await givePoints(members[2]!, 200)
    const first = await f.buy(members[0]!, { activityId: id, tierSize: 5 })
    const paid = [first.orderId, (await f.buy(members[1]!, { activityId: id, groupId: first.groupId, couponId: coupon })).orderId, (await f.buy(members[2]!, { activityId: id, groupId: first.groupId, usePoints: true })).orderId]
    expect((await ActivityModel.findById(id).lean())!.stockLeft).toBe(7)

    now = new Date(now.getTime() + 25 * 60 * MINUTE)
    crashes = 2 // the first attempt dies before calling WeChat for two of the refunds
    await t.services.orders.settleGroups(now).catch(() => undefined)
    // "Restart": the job runs again (twice at once, as on two instances) and finishes the work.
    now = new Date(now.getTime() + 2 * MINUTE)
    await Promise.all([t.services.orders.settleGroups(now), t.services.orders.releaseDueHolds(now)])
    await t.services.orders.settleGroups(now)
    await new Promise((r) => setTimeout(r, 200)) // refund notifications arrive too; they change nothing more
    for (const orderId of paid) {
      expect(t.fakePay!.refunds(orderId)).toHaveLength(1)
      expect((await OrderModel.findById(orderId).lean())!.state).toBe('refunded')
    }
    expect((await GroupModel.findById(first.groupId).lean())!).toMatchObject({ state: 'failed', settled: true })
    expect((await ActivityModel.findById(id).lean())!.stockLeft).toBe(10)
    expect((await CouponModel.findById(coupon).lean())!.state).toBe('usable')
    expect((await points(members[2]!)).available).toBe(200)
    expect(await NotificationModel.countDocuments({ kind: 'group_fail', userId: { $in: members.map((m) => m.user.id) } })).toBe(3)
    const view = (await t.http.get(`/api/orders/${paid[1]}`).set(members[1]!.auth).expect(200)).body.order
    expect(view).toMatchObject({ state: 'refunded', pickupCode: null })
  })

  it('completes a group one seat short at expiry when the activity auto-fills, closing an unpaid holder', async () => {
    const id = await f.activity({ tiers: [{ size: 3, priceFen: 2000 }], autoFill: true })
    const [a, b, c] = await f.shoppers(3)
    const first = await f.buy(a!, { activityId: id, tierSize: 3 })
    await f.buy(b!, { activityId: id, groupId: first.groupId })
    const holder = await f.checkout(c!, { activityId: id, groupId: first.groupId }).expect(201)
    now = new Date(now.getTime() + 25 * 60 * MINUTE)
    await t.services.orders.settleGroups(now)
    expect((await GroupModel.findById(first.groupId).lean())!).toMatchObject({ state: 'succeeded', autoFilled: true, settled: true })
    const orders = await OrderModel.find({ groupId: first.groupId }).lean()
    expect(orders.filter((o) => o.state === 'confirmed')).toHaveLength(2)
    expect((await OrderModel.findById(holder.body.order.id).lean())!.state).toBe('closed')
  })
})

describe('payments that do not match their order', () => {
  it('never pay the order, are recorded for operators once, and money our merchant took is refunded', async () => {
    const id = await f.activity({ tiers: [{ size: 2, priceFen: 2000 }] })
    const cases: Array<[Record<string, unknown>, string, 'refund_requested' | 'held']> = [
      [{ mchid: '1999999999' }, 'mchid', 'held'],
      [{ appid: 'wx9999999999999999' }, 'appid', 'held'],
      [{ payer: { openid: 'o-someone-else' } }, 'payer.openid', 'refund_requested'],
      [{ amount: { total: 1, payer_total: 1, currency: 'CNY' } }, 'amount.total', 'refund_requested'],
    ]
    for (const [override, field, action] of cases) {
      const me = await f.shopper()
      const res = await f.checkout(me, { activityId: id, tierSize: 2 }).expect(201)
      const orderId = res.body.order.id
      await t.fakePay!.pay(res.body.payment.package.slice('prepay_id='.length), { deliver: false })
      // Delivered twice: one anomaly, acknowledged so WeChat stops retrying.
      expect([await t.fakePay!.notifyPaid(orderId, null, override), await t.fakePay!.notifyPaid(orderId, null, override)]).toEqual([204, 204])
      const order = (await OrderModel.findById(orderId).lean())!
      expect([field, order.state, order.paidAt]).toEqual([field, action === 'held' ? 'pending_payment' : 'closed', null])
      const anomalies = (await t.http.get('/api/admin/payment-anomalies').set(f.admin.auth).expect(200)).body.anomalies.filter((a: { orderId: string }) => a.orderId === orderId)
      expect(anomalies).toEqual([expect.objectContaining({ action, mismatches: [expect.objectContaining({ field })] })])
      if (action === 'refund_requested') {
        // The seat came back with the closed order.
        expect((await GroupModel.findById(order.groupId).lean())!.free).toBe(2)
      }
    }
    // The wrong payer's payment is refunded in full (the fake keeps the real amount, so that one refunds).
    const refunded = t.fakePay!.refunds().filter((r) => r.out_refund_no.startsWith('RA'))
    expect(refunded.length).toBeGreaterThanOrEqual(1)
    await t.http.get('/api/admin/payment-anomalies').set((await f.shopper()).auth).expect(401)
  })
})

describe('a mismatched report for an order already paid', () => {
  it('is held for review: the order stays paid and nothing is refunded', async () => {
    const id = await f.activity({ tiers: [{ size: 2, priceFen: 2000 }] })
    const { orderId } = await f.buy(await f.shopper(), { activityId: id, tierSize: 2 })
    expect((await OrderModel.findById(orderId).lean())!.state).toBe('paid')
    expect(await t.fakePay!.notifyPaid(orderId, null, { payer: { openid: 'o-someone-else' } })).toBe(204)
    expect((await OrderModel.findById(orderId).lean())!.state).toBe('paid')
    expect(t.fakePay!.refunds(orderId)).toEqual([])
    const anomalies = (await t.http.get('/api/admin/payment-anomalies').set(f.admin.auth).expect(200)).body.anomalies
    expect(anomalies).toContainEqual(expect.objectContaining({ orderId, action: 'held' }))
  })
})

/** An order's state with its refund's last answer from WeChat Pay (the refund document keeps them). */
async function refundOf(id: string) {
  const r = await RefundModel.findOne({ orderId: id }).lean()
  const o = (await OrderModel.findById(id).lean())!
  return { state: o.state, refundStatus: r?.status ?? null, refundAttempts: r?.attempts ?? 0, refundNextAt: r?.nextAt ?? null }
}

describe('refunds WeChat Pay does not finish at once', () => {
  /** A paid order of a 3-person group that expires unfilled: its refund is asked for by the settle job. */
  async function failedGroupOrder(): Promise<string> {
    const id = await f.activity({ tiers: [{ size: 3, priceFen: 2000 }] })
    const { orderId } = await f.buy(await f.shopper(), { activityId: id, tierSize: 3 })
    now = new Date(now.getTime() + 25 * 60 * MINUTE)
    await t.services.orders.settleGroups(now)
    return orderId
  }
  const issues = async () => (await t.http.get('/api/admin/refund-issues').set(f.admin.auth).expect(200)).body.refunds as Array<{ orderId: string; refundStatus: string }>
  afterEach(() => t.fakePay!.answerRefundsWith('SUCCESS'))

  it('asks again later about a PROCESSING refund, not before its time, and finishes when WeChat does', async () => {
    t.fakePay!.answerRefundsWith('PROCESSING')
    const id = await failedGroupOrder()
    expect(await refundOf(id)).toMatchObject({ state: 'refunding', refundStatus: 'PROCESSING', refundAttempts: 1 })
    // Jobs before the next time ask nothing.
    await t.services.orders.releaseDueHolds(now)
    await t.services.orders.settleGroups(now)
    expect((await refundOf(id)).refundAttempts).toBe(1)
    // After it: asked again (the same refund), still processing, next wait doubles.
    now = new Date(now.getTime() + 1 * MINUTE)
    await t.services.orders.releaseDueHolds(now)
    expect(await refundOf(id)).toMatchObject({ refundStatus: 'PROCESSING', refundAttempts: 2, refundNextAt: new Date(now.getTime() + 2 * MINUTE) })
    expect(t.fakePay!.refunds(id)).toHaveLength(1)
    // WeChat finishes it and notifies: the order is refunded and gives back what it held.
    expect(await t.fakePay!.finishRefund(`RF${id}`, 'SUCCESS')).toBe(204)
    expect((await refundOf(id)).state).toBe('refunded')
  })

  it.each(['ABNORMAL', 'CLOSED'] as const)('leaves a %s refund to operators and stops asking', async (status) => {
    t.fakePay!.answerRefundsWith(status)
    const id = await failedGroupOrder()
    await new Promise((r) => setTimeout(r, 100)) // its notification arrives too
    expect(await refundOf(id)).toMatchObject({ state: 'refunding', refundStatus: status, refundNextAt: null })
    const attempts = (await refundOf(id)).refundAttempts
    now = new Date(now.getTime() + 60 * MINUTE)
    await t.services.orders.releaseDueHolds(now)
    await t.services.orders.settleGroups(now)
    expect((await refundOf(id)).refundAttempts).toBe(attempts)
    expect(await issues()).toContainEqual(expect.objectContaining({ orderId: id, refundStatus: status }))
  })

  it('gives up after the last retry of a refund that never finishes, and tells operators', async () => {
    t.fakePay!.answerRefundsWith('PROCESSING')
    const id = await failedGroupOrder()
    for (let i = 0; i < 12; i++) {
      now = new Date(now.getTime() + 7 * 60 * MINUTE)
      await t.services.orders.releaseDueHolds(now)
    }
    expect(await refundOf(id)).toMatchObject({ state: 'refunding', refundStatus: 'GAVE_UP', refundAttempts: 8, refundNextAt: null })
    expect(await issues()).toContainEqual(expect.objectContaining({ orderId: id, refundStatus: 'GAVE_UP' }))
    await t.http.get('/api/admin/refund-issues').set((await f.shopper()).auth).expect(401)
  })
})
