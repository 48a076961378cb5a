import { randomBytes } from 'node:crypto'
import { startTestApp, devLogin, staffOf, type TestApp } from '../../test/harness'
import { shopFixtures, type Person } from '../../test/shop-fixtures'
import { CouponModel } from '../modules/coupons/coupon.model'
import { GrowthEntryModel } from '../modules/membership/growth-entry.model'
import { CommissionEntryModel } from '../modules/leaders/leader.model'
import { OrderModel } from '../modules/orders/order.model'
import { PointEntryModel } from '../modules/points/point-entry.model'
import { RefundModel } from '../modules/refunds/refund.model'

/** 10:00 in Shanghai on Monday 7 December 2026: today's session takes orders until 23:00. */
const MORNING = new Date('2026-12-07T02:00:00Z')
const DAY = 86_400_000
let now = MORNING
let t: TestApp
const f = shopFixtures(() => t)
let crash: string | null = null

beforeAll(async () => {
  t = await startTestApp(__filename, {
    clock: () => now,
    fakePay: true,
    crashAt: (step: string) => {
      if (step === crash) {
        crash = null
        throw new Error(`crash at ${step}`)
      }
    },
  })
  await f.setUp()
})
afterEach(() => void (now = MORNING))
afterAll(() => t.close())

let seq = 0
/** A shopper who applies as a leader and is approved; signs in again so the token carries the role. */
async function leader(): Promise<{ person: Person; code: string; id: string }> {
  const nickname = `团长${++seq}`
  const me = await devLogin(t, { nickname })
  const application = { name: '王秀兰', phone: `1380013${String(1000 + seq).slice(-4)}`, community: '漕溪新村', address: '漕溪北路 100 弄 3 号便利店', location: { latitude: 31.18, longitude: 121.43 }, hours: '每天 08:00-20:00' }
  await t.http.post('/api/leaders/applications').set(me.auth).send(application).expect(201)
  await t.http.post(`/api/admin/leaders/applications/${me.user.id}/approve`).set(f.admin.auth).expect(200)
  const again = await devLogin(t, { nickname })
  const centre = (await t.http.get('/api/leader/centre').set(again.auth).expect(200)).body.centre
  return { person: again, code: centre.code, id: me.user.id }
}

/** A paid basket picked up at `at`'s point: `lines` of [product, quantity]. */
async function paidBasket(who: Person, at: { id: string }, lines: Array<[string, number]>, couponId: string | null = null) {
  const placed = (await t.http.post('/api/orders').set(who.auth).send({ leaderId: at.id, idempotencyKey: randomBytes(8).toString('hex'), couponId, lines: lines.map(([productId, quantity]) => ({ productId, quantity })) }).expect(201)).body
  await f.pay(placed)
  return (await t.http.get(`/api/orders/${placed.order.id}`).set(who.auth).expect(200)).body.order
}

const pointsOf = async (who: Person) => (await t.http.get('/api/points').set(who.auth).expect(200)).body
const growthOf = async (userId: string) => (await GrowthEntryModel.find({ ownerId: userId }).lean()).reduce((n, e) => n + e.amount, 0)
const commissionOf = async (leaderId: string, orderId: string) => (await CommissionEntryModel.find({ ownerId: leaderId, orderId }).lean()).filter((e) => e.type !== 'release').reduce((n, e) => n + e.amountFen, 0)
const orderPoints = async (userId: string, orderId: string) =>
  (await PointEntryModel.find({ ownerId: userId, sourceId: orderId, source: 'order' }).lean()).filter((e) => ['earn', 'cancel', 'clawback'].includes(e.type)).reduce((n, e) => n + (e.type === 'clawback' ? -Math.abs(e.amount) : e.amount), 0)

describe('refunds by the line', () => {
  it.each([
    ['before the points and commission are released', 1],
    ['after the points and commission were released', 10],
  ])('refunds 1 of 2 units of one line of a 3-line order to the fen; points, growth and commission drop in proportion (%s); the coupon stays used', async (_when, daysLater) => {
    const l = await leader()
    const [melon, milk, bread] = [await f.product('哈密瓜', 3990), await f.product('鲜牛奶', 1290), await f.product('吐司', 1590)]
    const me = await f.shopper()
    const [coupon] = await f.coupons([me], { amountFen: 500 })
    const o = await paidBasket(me, l, [[melon, 2], [milk, 1], [bread, 1]], coupon)
    const payFen = o.price.payFen as number
    await t.http.post('/api/leader/pickups').set(l.person.auth).send({ code: o.pickupCode }).expect(200)
    const full = { points: Math.floor(payFen / 100), growth: Math.floor(payFen / 100), commission: Math.floor((payFen * 5) / 100) }
    expect(await orderPoints(me.user.id, o.id)).toBe(full.points)
    expect(await commissionOf(l.id, o.id)).toBe(full.commission)

    const melonLine = o.lines[0]
    const unitShare = Math.floor(melonLine.payFen / 2)
    // Asked inside the window; when WeChat takes long, it succeeds only after the points and commission were released.
    if (daysLater > 7) t.fakePay!.answerRefundsWith('PROCESSING')
    const refunded = (await t.http.post(`/api/admin/orders/${o.id}/refund`).set(f.admin.auth).send({ lines: [{ line: 0, quantity: 1 }], reason: '一个哈密瓜坏了', idempotencyKey: 'dialog-1' }).expect(200)).body.order
    expect(refunded.state).toBe('completed')
    t.fakePay!.answerRefundsWith('SUCCESS')
    now = new Date(MORNING.getTime() + daysLater * DAY)
    await t.services.points.releaseDuePending(now)
    await t.services.leaders.releaseDueCommissions(now)
    if (daysLater > 7) {
      expect((await pointsOf(me)).pending).toBe(0)
      await t.fakePay!.finishRefund(t.fakePay!.refunds(o.id)[0]!.out_refund_no, 'SUCCESS')
      await new Promise((r) => setTimeout(r, 300))
    }
    const refunds = t.fakePay!.refunds(o.id)
    expect(refunds.map((r) => r.amount.refund)).toEqual([unitShare])
    const kept = payFen - unitShare
    expect(await orderPoints(me.user.id, o.id)).toBe(Math.floor((full.points * kept) / payFen))
    expect(await growthOf(me.user.id)).toBe(Math.floor((full.growth * kept) / payFen) + 10) // + 首单成长值
    expect(await commissionOf(l.id, o.id)).toBe(Math.floor((full.commission * kept) / payFen))
    const summary = await pointsOf(me)
    expect(summary.available + summary.pending).toBe(Math.floor((full.points * kept) / payFen))
    expect((await CouponModel.findById(coupon).lean())!.state).toBe('used')
    const notices = (await t.http.get('/api/notices').set(me.auth).expect(200)).body.notices
    expect(notices.map((n: { title: string }) => n.title)).toContain(`商家退款 ¥${(unitShare / 100).toFixed(2)} 已退回`)
  })

  it('ten concurrent approvals of one after-sale request, and a crash between asking WeChat Pay and recording the answer: one refund, once', async () => {
    const l = await leader()
    const fish = await f.product('鲈鱼', 4590)
    const me = await f.shopper()
    const o = await paidBasket(me, l, [[fish, 2]])
    await t.http.post('/api/leader/pickups').set(l.person.auth).send({ code: o.pickupCode }).expect(200)
    const quote = (await t.http.get(`/api/orders/${o.id}/after-sales/quote?line=0&quantity=1`).set(me.auth).expect(200)).body.quote
    expect(quote.fen).toBe(Math.floor(o.lines[0].payFen / 2))
    const asked = (await t.http.post(`/api/orders/${o.id}/after-sales`).set(me.auth).send({ line: 0, quantity: 1, reason: 'quality', note: '鱼不新鲜', idempotencyKey: 'after-sale-1' }).expect(201)).body.afterSale
    expect(asked).toMatchObject({ state: 'submitted', fen: quote.fen })

    crash = 'refund-before-call' // the first approval dies before WeChat Pay hears of it
    const approvals = await Promise.all(Array.from({ length: 10 }, () => t.http.post(`/api/admin/after-sales/${asked.id}/approve`).set(f.admin.auth).send({ fen: quote.fen })))
    expect(approvals.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(9)
    crash = 'refund-after-succeeded' // WeChat answered SUCCESS; the process dies before the rest
    await t.services.orders.resumeRefunds(new Date(now.getTime() + 2 * 60_000)).catch(() => undefined)
    await t.services.orders.resumeRefunds(new Date(now.getTime() + 3 * 60_000))
    await new Promise((r) => setTimeout(r, 200)) // the refund notification arrives as well

    expect(t.fakePay!.refunds(o.id)).toHaveLength(1)
    expect(await RefundModel.countDocuments({ orderId: o.id })).toBe(1)
    expect((await RefundModel.findOne({ orderId: o.id }).lean())!.state).toBe('settled')
    const mine = (await t.http.get('/api/after-sales').set(me.auth).expect(200)).body.afterSales
    expect(mine).toMatchObject([{ id: asked.id, state: 'refunded', fen: quote.fen }])
    const line = (await OrderModel.findById(o.id).lean())!.lines![0]!
    expect(line).toMatchObject({ refundedQty: 1, refundedFen: quote.fen })
  })

  it('a shortage of 3 units across 5 orders refunds exactly the 3 latest-ordered units', async () => {
    const l = await leader()
    const peach = await f.product('水蜜桃', 2990)
    const people = await f.shoppers(5)
    const orders = []
    for (const [i, p] of people.entries()) {
      now = new Date(MORNING.getTime() + i * 60_000)
      orders.push(await paidBasket(p, l, [[peach, i === 4 ? 2 : 1]]))
    }
    const shortage = (await t.http.post('/api/admin/shortages').set(f.admin.auth).send({ day: '2026-12-07', productId: peach, units: 3, idempotencyKey: 'short-peach-1' }).expect(201)).body.shortage
    // The latest order (2 units) gives both, the one before it one.
    expect(shortage.refunded.map((r: { orderId: string; quantity: number }) => [r.orderId, r.quantity]).sort()).toEqual([[orders[4].id, 2], [orders[3].id, 1]].sort())
    const again = (await t.http.post('/api/admin/shortages').set(f.admin.auth).send({ day: '2026-12-07', productId: peach, units: 3, idempotencyKey: 'short-peach-1' }).expect(201)).body.shortage
    expect(again.id).toBe(shortage.id)
    const refunded = orders.flatMap((o) => t.fakePay!.refunds(o.id).map((r) => [o.id, r.amount.refund]))
    expect(refunded.sort()).toEqual([[orders[4].id, orders[4].lines[0].payFen], [orders[3].id, orders[3].lines[0].payFen]].sort())
    for (const o of orders.slice(0, 3)) expect((await OrderModel.findById(o.id).lean())!.refundedFen ?? 0).toBe(0)
    expect((await OrderModel.findById(orders[4].id).lean())!.state).toBe('refunded')
  })

  it('hands over some lines, then the rest: points and commission follow what was handed over', async () => {
    const l = await leader()
    const [rice, oil] = [await f.product('东北大米', 5990), await f.product('花生油', 7990)]
    const me = await f.shopper()
    const o = await paidBasket(me, l, [[rice, 1], [oil, 1]])
    const payFen = o.price.payFen as number
    const first = (await t.http.post('/api/leader/pickups').set(l.person.auth).send({ code: o.pickupCode, lines: [{ line: 0, quantity: 1 }] }).expect(200)).body.order
    expect(first.state).toBe('confirmed')
    const full = { points: Math.floor(payFen / 100), commission: Math.floor((payFen * 5) / 100) }
    const riceFen = o.lines[0].payFen
    expect(await orderPoints(me.user.id, o.id)).toBe(Math.floor((full.points * riceFen) / payFen))
    expect(await commissionOf(l.id, o.id)).toBe(Math.floor((full.commission * riceFen) / payFen))
    // The same line again is refused and changes nothing.
    expect((await t.http.post('/api/leader/pickups').set(l.person.auth).send({ code: o.pickupCode, lines: [{ line: 0, quantity: 1 }] }).expect(409)).body.error.code).toBe('PICKUP_LINES_INVALID')
    const rest = (await t.http.post('/api/leader/pickups').set(l.person.auth).send({ code: o.pickupCode }).expect(200)).body.order
    expect(rest.state).toBe('completed')
    expect(await orderPoints(me.user.id, o.id)).toBe(full.points)
    expect(await commissionOf(l.id, o.id)).toBe(full.commission)
  })
})

describe('接龙', () => {
  it('shows the session\'s orders at this leader\'s point in order, names masked, nothing else about a member', async () => {
    const [mine, other] = [await leader(), await leader()]
    const mango = await f.product('芒果', 2590)
    const a = await f.shopper('王小明')
    const b = await f.shopper('李四海')
    now = new Date(MORNING.getTime() + 32 * 60_000)
    await paidBasket(a, mine, [[mango, 2]])
    now = new Date(MORNING.getTime() + 40 * 60_000)
    await paidBasket(b, other, [[mango, 1]])
    const chain = (await t.http.get(`/api/chains/${mine.code}/2026-12-07`).expect(200)).body.chain
    expect(chain.entries).toEqual([{ n: 1, member: '王*明', items: [{ name: '芒果', quantity: 2 }], at: '10:32' }])
    expect(JSON.stringify(chain)).not.toMatch(/王小明|李四海|userId|phone/)
    // Shared without a choice, the chain offers the shelf, what neighbours ordered first; or only the products chosen.
    expect(chain.products[0]).toMatchObject({ id: mango, name: '芒果', units: 2 })
    const chosen = (await t.http.get(`/api/chains/${mine.code}/2026-12-07?products=${mango}`).expect(200)).body.chain
    expect(chosen.products.map((p: { id: string }) => p.id)).toEqual([mango])
    await t.http.get(`/api/chains/${mine.code}/2026-12-07?$where=1`).expect(400)
  })
})

describe('the session at the point', () => {
  it('lists the session for the warehouse (分拣单) and the leader (备货单); the leader confirms arrival once and members with goods waiting are told', async () => {
    const l = await leader()
    const [grapes, corn] = [await f.product('阳光玫瑰', 3990), await f.product('甜玉米', 590)]
    const [a, b] = [await f.shopper('赵一鸣'), await f.shopper('钱二丫')]
    const oa = await paidBasket(a, l, [[grapes, 1], [corn, 3]])
    const ob = await paidBasket(b, l, [[corn, 2]])
    const pick = (await t.http.get('/api/admin/pick-list?day=2026-12-07').set(f.admin.auth).expect(200)).body.pickList
    const mine = pick.points.find((p: { id: string }) => p.id === l.id)
    expect(mine.items.map((i: { name: string; units: number }) => [i.name, i.units])).toEqual([['阳光玫瑰', 1], ['甜玉米', 5]])
    await t.http.get('/api/admin/pick-list?day=2026-12-07').set(l.person.auth).expect(401)

    const stock = (await t.http.get('/api/leader/stock-list?day=2026-12-07').set(l.person.auth).expect(200)).body.stockList
    expect(stock.point).toBe('漕溪新村自提点')
    expect(stock.products.map((p: { name: string; units: number; arrived: null }) => [p.name, p.units, p.arrived])).toEqual([['阳光玫瑰', 1, null], ['甜玉米', 5, null]])
    expect(stock.members).toEqual([
      { member: '赵*鸣', order: oa.id.slice(-6), items: [{ name: '阳光玫瑰', quantity: 1 }, { name: '甜玉米', quantity: 3 }] },
      { member: '钱*丫', order: ob.id.slice(-6), items: [{ name: '甜玉米', quantity: 2 }] },
    ])

    now = new Date(MORNING.getTime() + DAY + 6 * 3_600_000)
    const body = { day: '2026-12-07', products: [{ productId: grapes, units: 1 }, { productId: corn, units: 4 }] }
    const arrival = (await t.http.post('/api/leader/arrivals').set(l.person.auth).send(body).expect(200)).body.arrival
    expect(arrival).toMatchObject({ state: 'told', told: 2, products: [{ productId: grapes, expected: 1, units: 1 }, { productId: corn, expected: 5, units: 4 }] })
    // A second confirmation answers the first and tells nobody again.
    expect((await t.http.post('/api/leader/arrivals').set(l.person.auth).send({ ...body, products: [{ productId: corn, units: 5 }] }).expect(200)).body.arrival).toEqual(arrival)
    for (const who of [a, b]) {
      const notices = (await t.http.get('/api/notices').set(who.auth).expect(200)).body.notices.filter((n: { title: string }) => n.title === '商品已到货，可以提货了')
      expect(notices).toHaveLength(1)
    }
    expect((await t.http.get('/api/leader/stock-list?day=2026-12-07').set(l.person.auth).expect(200)).body.stockList.products.map((p: { arrived: number }) => p.arrived)).toEqual([1, 4])
    await t.http.post('/api/leader/arrivals').set(a.auth).send(body).expect(403)
  })

  it('a leader refunds what never arrived (未收到) by the line, only at their own point; the rest is handed over', async () => {
    const [l, other] = [await leader(), await leader()]
    const [beef, tofu] = [await f.product('牛腩', 6800), await f.product('嫩豆腐', 350)]
    const me = await f.shopper()
    const o = await paidBasket(me, l, [[beef, 1], [tofu, 2]])
    const refundBody = { lines: [{ line: 1, quantity: 1 }], idempotencyKey: 'not-received-1' }
    await t.http.post(`/api/leader/orders/${o.id}/not-received`).set(other.person.auth).send(refundBody).expect(403)
    const after = (await t.http.post(`/api/leader/orders/${o.id}/not-received`).set(l.person.auth).send(refundBody).expect(200)).body.order
    expect(after.state).toBe('confirmed')
    expect(t.fakePay!.refunds(o.id).map((r) => r.amount.refund)).toEqual([Math.floor(o.lines[1].payFen / 2)])
    const preview = (await t.http.get(`/api/leader/codes/${o.pickupCode}`).set(l.person.auth).expect(200)).body.preview
    expect(preview.lines.map((x: { toHandOver: number; refunded: number }) => [x.toHandOver, x.refunded])).toEqual([[1, 0], [1, 1]])
    const done = (await t.http.post('/api/leader/pickups').set(l.person.auth).send({ code: o.pickupCode }).expect(200)).body.order
    expect(done.state).toBe('completed')
    // What the member kept earns; the refunded tofu does not.
    const kept = o.price.payFen - Math.floor(o.lines[1].payFen / 2)
    expect(await orderPoints(me.user.id, o.id)).toBe(Math.floor((Math.floor(o.price.payFen / 100) * kept) / o.price.payFen))
  })

  it('refuses bad after-sale and refund requests with a clear error and changes nothing', async () => {
    const l = await leader()
    const pear = await f.product('雪梨', 1990)
    const me = await f.shopper()
    const o = await paidBasket(me, l, [[pear, 2]])
    // Not picked up yet: nothing to claim.
    expect((await t.http.post(`/api/orders/${o.id}/after-sales`).set(me.auth).send({ line: 0, quantity: 1, reason: 'quality', idempotencyKey: 'too-early-1' }).expect(409)).body.error.code).toBe('AFTER_SALE_CLOSED')
    await t.http.post('/api/leader/pickups').set(l.person.auth).send({ code: o.pickupCode }).expect(200)
    await t.http.post(`/api/orders/${o.id}/after-sales`).set(me.auth).send({ line: 0, quantity: 3, reason: 'quality', idempotencyKey: 'too-many-1' }).expect(409)
    // Two requests never claim the same unit: the second may ask only for what the first left.
    await t.http.post(`/api/orders/${o.id}/after-sales`).set(me.auth).send({ line: 0, quantity: 2, reason: 'quality', idempotencyKey: 'both-pears-1' }).expect(201)
    expect((await t.http.post(`/api/orders/${o.id}/after-sales`).set(me.auth).send({ line: 0, quantity: 1, reason: 'missing', idempotencyKey: 'both-pears-2' }).expect(409)).body.error.code).toBe('REFUND_LINES_INVALID')
    await t.http.post(`/api/orders/${o.id}/after-sales`).set(me.auth).send({ line: 0, quantity: 1, reason: 'bad', idempotencyKey: 'bad-reason' }).expect(400)
    await t.http.post(`/api/orders/${o.id}/after-sales`).set(me.auth).send({ line: 0, quantity: 1, reason: 'quality', idempotencyKey: 'x-keys-1', $where: '1' }).expect(400)
    const stranger = await f.shopper()
    await t.http.post(`/api/orders/${o.id}/after-sales`).set(stranger.auth).send({ line: 0, quantity: 1, reason: 'quality', idempotencyKey: 'not-mine-1' }).expect(404)
    expect((await t.http.post(`/api/admin/orders/${o.id}/refund`).set(f.admin.auth).send({ lines: [{ line: 0, quantity: 1, fen: o.lines[0].payFen }], reason: '多退一点', idempotencyKey: 'too-much-1' }).expect(400)).body.error.code).toBe('REFUND_AMOUNT_INVALID')
    expect(t.fakePay!.refunds(o.id)).toEqual([])
    // Past the window (48 h after pickup), after-sale is closed.
    now = new Date(MORNING.getTime() + 49 * 3_600_000)
    expect((await t.http.post(`/api/orders/${o.id}/after-sales`).set(me.auth).send({ line: 0, quantity: 1, reason: 'quality', idempotencyKey: 'too-late-1' }).expect(409)).body.error.code).toBe('AFTER_SALE_CLOSED')
    expect((await t.http.get('/api/after-sales').set(me.auth).expect(200)).body.afterSales.map((a: { quantity: number }) => a.quantity)).toEqual([2])
  })

  it('an operator rejects with a reason the shopper reads; a small first claim is approved by the rules; the overview counts paid, refunded and net', async () => {
    const l = await leader()
    const [kiwi, egg] = [await f.product('奇异果', 2990), await f.product('鸡蛋', 590)]
    const me = await f.shopper()
    const o = await paidBasket(me, l, [[kiwi, 1], [egg, 1]])
    await t.http.post('/api/leader/pickups').set(l.person.auth).send({ code: o.pickupCode }).expect(200)
    const big = (await t.http.post(`/api/orders/${o.id}/after-sales`).set(me.auth).send({ line: 0, quantity: 1, reason: 'quality', note: '有点软', idempotencyKey: 'kiwi-claim-1' }).expect(201)).body.afterSale
    expect(big.state).toBe('submitted') // above the rules' automatic amount
    const rejected = (await t.http.post(`/api/admin/after-sales/${big.id}/reject`).set(f.admin.auth).send({ reason: '照片看不出问题' }).expect(200)).body.afterSale
    expect(rejected).toMatchObject({ state: 'rejected', decision: '照片看不出问题' })
    await t.http.post(`/api/admin/after-sales/${big.id}/approve`).set(f.admin.auth).send({ fen: 100 }).expect(409)
    const notices = (await t.http.get('/api/notices').set(me.auth).expect(200)).body.notices
    expect(notices.map((n: { body: string }) => n.body)).toContain('「奇异果」的售后申请未通过：照片看不出问题')
    // Another member's small first claim (below ¥10) is approved at once.
    const you = await f.shopper()
    const small = await paidBasket(you, l, [[egg, 1]])
    await t.http.post('/api/leader/pickups').set(l.person.auth).send({ code: small.pickupCode }).expect(200)
    const quick = (await t.http.post(`/api/orders/${small.id}/after-sales`).set(you.auth).send({ line: 0, quantity: 1, reason: 'missing', idempotencyKey: 'egg-claim-1' }).expect(201)).body.afterSale
    expect(small.lines[0].payFen).toBeLessThan(1000)
    expect(quick.state).toBe('refunded')
    expect(t.fakePay!.refunds(small.id).map((r) => r.amount.refund)).toEqual([small.lines[0].payFen])
    const overview = (await t.http.get('/api/admin/overview?days=2').set(f.admin.auth).expect(200)).body
    const today = overview.days[overview.days.length - 1]
    const refunds = await RefundModel.find({ succeededAt: { $ne: null } }).lean()
    const refundedToday = refunds.filter((r) => r.succeededAt! >= new Date('2026-12-06T16:00:00Z') && r.succeededAt! < new Date('2026-12-07T16:00:00Z')).reduce((n, r) => n + r.fen, 0)
    expect(today).toMatchObject({ refundedFen: refundedToday, netFen: today.paidFen - refundedToday })
  })

  it("a leader sees their point's claims and approves one only below the rules' amount, and only at their point", async () => {
    const [l, other] = [await leader(), await leader()]
    const melon = await f.product('西瓜', 3500)
    const me = await f.shopper()
    const o = await paidBasket(me, l, [[melon, 1]])
    await t.http.post('/api/leader/pickups').set(l.person.auth).send({ code: o.pickupCode }).expect(200)
    const asked = (await t.http.post(`/api/orders/${o.id}/after-sales`).set(me.auth).send({ line: 0, quantity: 1, reason: 'quality', idempotencyKey: 'melon-claim-1' }).expect(201)).body.afterSale
    // The shipped rules let only operators approve.
    const listed = (await t.http.get('/api/leader/after-sales').set(l.person.auth).expect(200)).body.afterSales
    expect(listed).toMatchObject([{ id: asked.id, state: 'submitted', approvable: false }])
    expect((await t.http.get('/api/leader/after-sales').set(other.person.auth).expect(200)).body.afterSales).toEqual([])
    await t.http.post(`/api/leader/after-sales/${asked.id}/approve`).set(l.person.auth).send({}).expect(403)

    const current = (await t.http.get('/api/admin/rules').set(f.admin.auth).expect(200)).body
    const lenient = { ...current.rules, afterSale: { ...current.rules.afterSale, leaderApproveBelowFen: 5000 } }
    const v = (await t.http.put('/api/admin/rules').set(f.admin.auth).send({ baseVersion: current.version, reason: '团长可审小额售后', rules: lenient }).expect(200)).body.version
    try {
      expect((await t.http.get('/api/leader/after-sales').set(l.person.auth).expect(200)).body.afterSales[0].approvable).toBe(true)
      await t.http.post(`/api/leader/after-sales/${asked.id}/approve`).set(other.person.auth).send({}).expect(403)
      const approved = (await t.http.post(`/api/leader/after-sales/${asked.id}/approve`).set(l.person.auth).send({}).expect(200)).body.afterSale
      expect(approved).toMatchObject({ state: 'refunded', fen: asked.fen })
      expect(t.fakePay!.refunds(o.id).map((r) => r.amount.refund)).toEqual([asked.fen])
    } finally {
      await t.http.put('/api/admin/rules').set(f.admin.auth).send({ baseVersion: v, reason: '恢复', rules: current.rules }).expect(200)
    }
  })

  it('a leader\'s arrival count short by one shows on the 分拣单, and the shortage at that point refunds only its latest unit', async () => {
    const [a, b] = [await leader(), await leader()]
    const plum = await f.product('李子', 1990)
    const [p1, p2, p3] = await f.shoppers(3)
    now = new Date(MORNING.getTime() + 60_000)
    const atA1 = await paidBasket(p1!, a, [[plum, 1]])
    now = new Date(MORNING.getTime() + 2 * 60_000)
    const atA2 = await paidBasket(p2!, a, [[plum, 1]])
    now = new Date(MORNING.getTime() + 3 * 60_000)
    const atB = await paidBasket(p3!, b, [[plum, 1]]) // the latest in the session, at the other point
    await t.http.post('/api/leader/arrivals').set(a.person.auth).send({ day: '2026-12-07', products: [{ productId: plum, units: 1 }] }).expect(200)
    const pick = (await t.http.get('/api/admin/pick-list?day=2026-12-07').set(f.admin.auth).expect(200)).body.pickList
    expect(pick.points.find((p: { id: string }) => p.id === a.id).items).toMatchObject([{ productId: plum, units: 2, arrived: 1 }])
    expect(pick.points.find((p: { id: string }) => p.id === b.id).items).toMatchObject([{ productId: plum, units: 1, arrived: null }])
    const shortage = (await t.http.post('/api/admin/shortages').set(f.admin.auth).send({ day: '2026-12-07', productId: plum, units: 1, leaderId: a.id, idempotencyKey: 'short-at-a-1' }).expect(201)).body.shortage
    expect(shortage.refunded).toEqual([{ orderId: atA2.id, quantity: 1, fen: atA2.lines[0].payFen }])
    expect(t.fakePay!.refunds(atB.id)).toEqual([])
    expect(t.fakePay!.refunds(atA1.id)).toEqual([])
  })

  it('store staff read their store\'s 备货单 and confirm its arrival; a clerk of another store may not, and hands over by the line', async () => {
    const clerk = await staffOf(t, f.admin, f.storeId, '店员小陈')
    const otherStore = (await t.http.post('/api/admin/stores').set(f.admin.auth).send({ code: 'SH-OTHER', name: '别的门店', address: '上海', hours: '08:00-22:00' }).expect(201)).body.store.id
    const stranger = await staffOf(t, f.admin, otherStore, '别店店员')
    const [bread, jam] = [await f.product('法棍', 1290), await f.product('草莓酱', 2590)]
    const me = await f.shopper('孙小美')
    const placed = (await f.checkout(me, { lines: [{ productId: bread, quantity: 1 }, { productId: jam, quantity: 1 }] }).expect(201)).body
    await f.pay(placed)
    const order = (await t.http.get(`/api/orders/${placed.order.id}`).set(me.auth).expect(200)).body.order
    const list = (await t.http.get(`/api/staff/stock-list?day=2026-12-07&storeId=${f.storeId}`).set(clerk.auth).expect(200)).body.stockList
    expect(list.members).toEqual([{ member: '孙*美', order: order.id.slice(-6), items: [{ name: '法棍', quantity: 1 }, { name: '草莓酱', quantity: 1 }] }])
    await t.http.get(`/api/staff/stock-list?day=2026-12-07&storeId=${f.storeId}`).set(stranger.auth).expect(403)
    await t.http.post('/api/staff/arrivals').set(stranger.auth).send({ day: '2026-12-07', storeId: f.storeId, products: [{ productId: bread, units: 1 }] }).expect(403)
    const arrival = (await t.http.post('/api/staff/arrivals').set(clerk.auth).send({ day: '2026-12-07', storeId: f.storeId, products: [{ productId: bread, units: 1 }, { productId: jam, units: 1 }] }).expect(200)).body.arrival
    expect(arrival).toMatchObject({ state: 'told', told: 1, point: '鲜邻优选·团购店' })
    const preview = (await t.http.get(`/api/staff/codes/${order.pickupCode}?storeId=${f.storeId}`).set(clerk.auth).expect(200)).body.preview
    expect(preview).toMatchObject({ orderId: order.id, refusal: null, lines: [{ line: 0, toHandOver: 1 }, { line: 1, toHandOver: 1 }] })
    const first = (await t.http.post('/api/staff/pickups').set(clerk.auth).send({ code: order.pickupCode, storeId: f.storeId, lines: [{ line: 1, quantity: 1 }] }).expect(200)).body.order
    expect(first.lines.map((l: { handedQty: number }) => l.handedQty)).toEqual([0, 1])
    expect(first.state).toBe('confirmed')
  })
})
