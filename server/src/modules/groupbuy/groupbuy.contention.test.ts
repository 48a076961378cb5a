import { startTestApp, type TestApp } from '../../../test/harness'
import { groupbuyFixtures } from '../../../test/groupbuy-fixtures'
import { expectGroupsConsistent } from '../../../test/group-invariants'
import { OrderModel } from '../orders/order.model'
import { ActivityModel } from './activity.model'
import { GroupModel, seatsOf } from './group.model'

const MINUTE = 60_000
let now = new Date('2026-11-23T04:00:00Z')
let t: TestApp
const f = groupbuyFixtures(() => t, () => now)
/** A checkout that reaches this step stops there, as if its process had died, until `resume`. */
let stopAt: string | null = null
let resume: (() => void) | null = null

beforeAll(async () => {
  t = await startTestApp(__filename, {
    clock: () => now,
    fakePay: true,
    crashAt: (step) => {
      if (step !== stopAt) return
      stopAt = null
      return new Promise<void>((_, reject) => (resume = () => reject(new Error('simulated crash'))))
    },
  })
  await f.setUp()
})
afterEach(expectGroupsConsistent)
afterAll(() => t.close())

describe('activities', () => {
  it('are created with default tiers from the rules, listed, edited and paused by an admin only', async () => {
    const id = await f.activity()
    const detail = (await t.http.get(`/api/groupbuys/${id}`).expect(200)).body.activity
    expect(detail.tiers).toEqual([
      { size: 2, priceFen: 2793 },
      { size: 5, priceFen: 2394 },
    ])
    expect(detail).toMatchObject({ state: 'active', stockLeft: 100, listPriceFen: 3990, openGroups: [] })
    const shopper = await f.shopper()
    await t.http.patch(`/api/admin/groupbuys/${id}`).set(shopper.auth).send({ paused: true }).expect(401)
    const bad = await t.http.patch(`/api/admin/groupbuys/${id}`).set(f.admin.auth).send({ paused: true, price: 1 }).expect(400)
    expect(bad.body.error.code).toBe('VALIDATION_FAILED')
    await t.http.patch(`/api/admin/groupbuys/${id}`).set(f.admin.auth).send({ stockDelta: -101 }).expect(400)
    const paused = await t.http.patch(`/api/admin/groupbuys/${id}`).set(f.admin.auth).send({ paused: true, stockDelta: -40 }).expect(200)
    expect(paused.body.activity).toMatchObject({ state: 'paused', stockLeft: 60 })
    expect((await t.http.get('/api/groupbuys').expect(200)).body.activities.map((a: { id: string }) => a.id)).not.toContain(id)
    const refused = await f.checkout(shopper, { activityId: id, tierSize: 2 }).expect(409)
    expect(refused.body.error.code).toBe('ACTIVITY_UNAVAILABLE')
  })
})

describe('seats and stock under contention', () => {
  it('lets exactly 2 of 20 users racing for the last 2 seats of a 5-person group hold one', async () => {
    const id = await f.activity({ tiers: [{ size: 5, priceFen: 2000 }] })
    const [initiator, ...early] = await f.shoppers(3)
    const { groupId } = await f.buy(initiator!, { activityId: id, tierSize: 5 })
    for (const u of early) await f.checkout(u, { activityId: id, groupId }).expect(201)
    const racers = await f.shoppers(20)
    const results = await Promise.all(racers.map((u) => f.checkout(u, { activityId: id, groupId })))
    expect(results.filter((r) => r.status === 201)).toHaveLength(2)
    const losers = results.filter((r) => r.status !== 201)
    expect(losers).toHaveLength(18)
    for (const r of losers) expect(r.body.error).toMatchObject({ code: 'GROUP_FULL', message: '该团已满员，去开个新团吧' })
    const group = (await GroupModel.findById(groupId).lean())!
    expect(seatsOf(group)).toHaveLength(5)
    expect(group.free).toBe(0)
    // Every loser's stock and per-user slot came back: 5 taken of 100.
    expect((await ActivityModel.findById(id).lean())!.stockLeft).toBe(95)
    const again = await f.checkout(early[0]!, { activityId: id, groupId }).expect(409)
    expect(['ALREADY_IN_GROUP', 'PER_USER_LIMIT']).toContain(again.body.error.code)
  })

  it('sells exactly the stock of 50 to 200 concurrent openings, never below zero', async () => {
    const id = await f.activity({ stock: 50 })
    const users = await f.shoppers(200)
    const results = await Promise.all(users.map((u) => f.checkout(u, { activityId: id, tierSize: 2 })))
    expect(results.filter((r) => r.status === 201)).toHaveLength(50)
    const refused = results.filter((r) => r.status !== 201)
    expect(new Set(refused.map((r) => r.body.error.code))).toEqual(new Set(['SOLD_OUT']))
    expect((await ActivityModel.findById(id).lean())!.stockLeft).toBe(0)
    expect(await GroupModel.countDocuments({ activityId: id })).toBe(50)
  }, 240_000)

  it('holds the per-user limit when one user opens 10 groups at once', async () => {
    const id = await f.activity({ perUserLimit: 2 })
    const me = await f.shopper()
    const results = await Promise.all(Array.from({ length: 10 }, () => f.checkout(me, { activityId: id, tierSize: 2 })))
    expect(results.filter((r) => r.status === 201)).toHaveLength(2)
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body.error.code).toBe('PER_USER_LIMIT')
    expect((await ActivityModel.findById(id).lean())!.stockLeft).toBe(98)
  })

  it('places one order for one idempotency key, however many times it is sent at once', async () => {
    const id = await f.activity()
    const me = await f.shopper()
    const body = { activityId: id, tierSize: 2, storeId: f.storeId, idempotencyKey: 'same-tap-twice' }
    const results = await Promise.all(Array.from({ length: 5 }, () => t.http.post('/api/orders').set(me.auth).send(body)))
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201])
    expect(new Set(results.map((r) => r.body.order.id)).size).toBe(1)
    expect((await ActivityModel.findById(id).lean())!.stockLeft).toBe(99)
  })

  it('stops at the daily cap', async () => {
    const id = await f.activity({ dailyCap: 3 })
    const users = await f.shoppers(6)
    const results = await Promise.all(users.map((u) => f.checkout(u, { activityId: id, tierSize: 2 })))
    expect(results.filter((r) => r.status === 201)).toHaveLength(3)
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body.error.code).toBe('DAILY_CAP_REACHED')
    expect((await ActivityModel.findById(id).lean())!.stockLeft).toBe(97)
  })
})

describe('one shopper, one seat', () => {
  it('gives one seat when one shopper joins one group 10 times at once, each with its own key', async () => {
    const id = await f.activity({ tiers: [{ size: 5, priceFen: 2000 }], perUserLimit: 20 })
    const initiator = await f.shopper()
    const { groupId } = await f.buy(initiator, { activityId: id, tierSize: 5 })
    const me = await f.shopper()
    const results = await Promise.all(Array.from({ length: 10 }, () => f.checkout(me, { activityId: id, groupId })))
    expect(results.filter((r) => r.status === 201)).toHaveLength(1)
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body.error.code).toBe('ALREADY_IN_GROUP')
    const group = (await GroupModel.findById(groupId).lean())!
    expect(seatsOf(group).map((s) => s.userId).sort()).toEqual([initiator.user.id, me.user.id].sort())
    expect(group.free).toBe(3)
    expect((await ActivityModel.findById(id).lean())!.stockLeft).toBe(98)
  })

  it('gives the seat back on a refused checkout, so the shopper can join again', async () => {
    const id = await f.activity({ tiers: [{ size: 2, priceFen: 2000 }] })
    const { groupId } = await f.buy(await f.shopper(), { activityId: id, tierSize: 2 })
    const [me, other] = await f.shoppers(2)
    const tpl = await t.http.post('/api/admin/coupon-templates').set(f.admin.auth).send({ name: '别人的券', kind: 'amount', amountFen: 100, minSpendFen: 0, validity: { kind: 'relative', days: 30 } }).expect(201)
    const foreign = await t.http.post('/api/admin/coupons/grant').set(f.admin.auth).send({ templateId: tpl.body.template.id, userId: other!.user.id, idempotencyKey: `foreign-${other!.user.id}` }).expect(200)
    const refused = await f.checkout(me!, { activityId: id, groupId, couponId: foreign.body.coupon.id }).expect(409)
    expect(refused.body.error.code).toBe('COUPON_NOT_USABLE')
    expect(seatsOf((await GroupModel.findById(groupId).lean())!)).toHaveLength(1)
    await expectGroupsConsistent()
    await f.checkout(me!, { activityId: id, groupId }).expect(201)
    expect((await GroupModel.findById(groupId).lean())!.free).toBe(0)
  })

  it('gives an unpaid seat back when its hold runs out', async () => {
    const id = await f.activity({ tiers: [{ size: 3, priceFen: 2000 }] })
    const { groupId } = await f.buy(await f.shopper(), { activityId: id, tierSize: 3 })
    const late = await f.shopper()
    await f.checkout(late, { activityId: id, groupId }).expect(201)
    expect((await GroupModel.findById(groupId).lean())!.free).toBe(1)
    now = new Date(now.getTime() + 16 * MINUTE)
    await t.services.orders.releaseDueHolds(now)
    const group = (await GroupModel.findById(groupId).lean())!
    expect(group.free).toBe(2)
    expect(group.seats[late.user.id]).toBeUndefined()
  })

  it('gives the seat back once when a checkout stopped after taking it is recovered, and again nothing when it resumes', async () => {
    const id = await f.activity({ tiers: [{ size: 3, priceFen: 2000 }] })
    const { groupId } = await f.buy(await f.shopper(), { activityId: id, tierSize: 3 })
    const me = await f.shopper()
    stopAt = 'checkout-after-seat'
    const stuck = f.checkout(me, { activityId: id, groupId }).then((r) => r)
    for (let i = 0; i < 200 && !resume; i++) await new Promise((r) => setTimeout(r, 10))
    expect(resume).not.toBeNull()
    const held = (await OrderModel.findOne({ userId: me.user.id }).lean())!
    expect(held).toMatchObject({ state: 'creating', held: { seat: true } })
    expect((await GroupModel.findById(groupId).lean())!.free).toBe(1)

    now = new Date(now.getTime() + 16 * MINUTE)
    await t.services.orders.releaseDueHolds(now)
    // It never reached WeChat Pay, so its shopper never saw it: closed, given back, and gone.
    expect(await OrderModel.findById(held._id).lean()).toBeNull()
    expect((await GroupModel.findById(groupId).lean())!.free).toBe(2)
    await expectGroupsConsistent()

    resume!()
    resume = null
    expect((await stuck).status).toBe(500)
    const group = (await GroupModel.findById(groupId).lean())!
    expect(group.free).toBe(2)
    expect((await ActivityModel.findById(id).lean())!.stockLeft).toBe(99)
  })
})

describe('a refused checkout leaves nothing behind', () => {
  const ordersOf = async (who: { auth: Record<string, string> }) => (await t.http.get('/api/orders').set(who.auth).expect(200)).body.orders as unknown[]

  it('opening with another shopper\'s coupon: no group, no order, and the same key then goes through', async () => {
    const id = await f.activity({ tiers: [{ size: 2, priceFen: 2000 }] })
    const [me, other] = await f.shoppers(2)
    const tpl = await t.http.post('/api/admin/coupon-templates').set(f.admin.auth).send({ name: '别人的券', kind: 'amount', amountFen: 100, minSpendFen: 0, validity: { kind: 'relative', days: 30 } }).expect(201)
    const foreign = await t.http.post('/api/admin/coupons/grant').set(f.admin.auth).send({ templateId: tpl.body.template.id, userId: other!.user.id, idempotencyKey: `foreign-open-${other!.user.id}` }).expect(200)
    const body = { activityId: id, tierSize: 2, storeId: f.storeId, idempotencyKey: 'corrected-retry' }
    const refused = await t.http.post('/api/orders').set(me!.auth).send({ ...body, couponId: foreign.body.coupon.id }).expect(409)
    expect(refused.body.error.code).toBe('COUPON_NOT_USABLE')
    expect(await GroupModel.countDocuments({ activityId: id })).toBe(0)
    expect(await OrderModel.countDocuments({ userId: me!.user.id })).toBe(0)
    expect(await ordersOf(me!)).toEqual([])
    expect((await ActivityModel.findById(id).lean())!.stockLeft).toBe(100)
    const ok = await t.http.post('/api/orders').set(me!.auth).send(body).expect(201)
    expect(ok.body.order.state).toBe('pending_payment')
  })

  it('over the per-user limit or the daily cap: no order in the shopper\'s list and nothing taken', async () => {
    const limited = await f.activity({ tiers: [{ size: 2, priceFen: 2000 }], perUserLimit: 1 })
    const me = await f.shopper()
    await f.checkout(me, { activityId: limited, tierSize: 2 }).expect(201)
    expect((await f.checkout(me, { activityId: limited, tierSize: 2 }).expect(409)).body.error.code).toBe('PER_USER_LIMIT')
    expect(await ordersOf(me)).toHaveLength(1)
    expect(await GroupModel.countDocuments({ activityId: limited })).toBe(1)

    const capped = await f.activity({ tiers: [{ size: 2, priceFen: 2000 }], dailyCap: 1 })
    const [first, second] = await f.shoppers(2)
    await f.checkout(first!, { activityId: capped, tierSize: 2 }).expect(201)
    expect((await f.checkout(second!, { activityId: capped, tierSize: 2 }).expect(409)).body.error.code).toBe('DAILY_CAP_REACHED')
    expect(await ordersOf(second!)).toEqual([])
    expect(await OrderModel.countDocuments({ userId: second!.user.id })).toBe(0)
    expect((await ActivityModel.findById(capped).lean())!.stockLeft).toBe(99)
  })
})

