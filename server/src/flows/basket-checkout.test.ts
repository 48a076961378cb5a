import { startTestApp, variantApp, countCommands, type TestApp } from '../../test/harness'
import { shopFixtures, type Person } from '../../test/shop-fixtures'
import { sessionProblems } from '../../test/reservation-invariants'
import { CouponModel } from '../modules/coupons/coupon.model'
import { OrderKeyModel, OrderModel } from '../modules/orders/order.model'
import { ProductSessionModel } from '../modules/sessions/product-session.model'

/** 10:00 in Shanghai on Monday 7 December 2026: today's session takes orders until 23:00 (15:00 UTC). */
const MORNING = new Date('2026-12-07T02:00:00Z')
let now = MORNING
let t: TestApp
const f = shopFixtures(() => t)
const MINUTE = 60_000

beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now, fakePay: true })
  await f.setUp()
})
afterEach(() => void (now = MORNING))
afterAll(() => t.close())

const left = async (productId: string, day = '2026-12-07') => (await ProductSessionModel.findById(`${productId}:${day}`).lean<{ left: number }>())?.left
const order = async (who: Person, id: string) => (await t.http.get(`/api/orders/${id}`).set(who.auth).expect(200)).body.order

describe('a basket checkout', () => {
  it('places one order for a three-line basket: each line with its session, pickup day and share of the coupon, paid once, ready for pickup; the bought lines leave the basket', async () => {
    const strawberry = await f.product('红颜草莓', 4590)
    const broccoli = await f.product('西兰花', 990)
    const eggs = await f.product('土鸡蛋', 3280)
    const me = await f.shopper('结算的郑姐')
    const [tenOff] = await f.coupons([me], { amountFen: 1000, name: '10元无门槛券' })
    for (const [productId, quantity] of [[strawberry, 1], [broccoli, 2], [eggs, 1]] as const) await f.add(me, { productId, quantity }).expect(200)
    const lines = (await f.cart(me)).lines.map((l: { productId: string; day: string; quantity: number; memberUnitFen: number }) => ({ productId: l.productId, day: l.day, quantity: l.quantity, unitPriceFen: l.memberUnitFen }))

    // Without a coupon named, the quote takes the one that saves most (the owned ¥10 one).
    const quote = (await t.http.post('/api/orders/quote').set(me.auth).send({ lines }).expect(200)).body
    expect(quote.couponId).toBe(tenOff)
    expect(quote.price).toEqual({ listPriceFen: 9850, groupPriceFen: 9850, levelDiscountFen: 198, levelName: '普通会员', couponFen: 1000, pointsUsed: 0, pointsFen: 0, payFen: 8652 })
    expect((await t.http.post('/api/orders/quote').set(me.auth).send({ lines, couponId: null }).expect(200)).body).toMatchObject({ couponId: null, price: { couponFen: 0, payFen: 9652 } })

    const placed = (await f.checkout(me, { lines, couponId: tenOff }).expect(201)).body
    expect(placed.order).toMatchObject({ kind: 'basket', state: 'pending_payment', itemCount: 4, pickupDays: ['2026-12-08'], price: quote.price, title: '红颜草莓 等 3 件商品' })
    expect(placed.order.lines.map((l: Record<string, unknown>) => [l.name, l.day, l.pickupDay, l.quantity, l.lineFen, l.couponFen, l.payFen])).toEqual([
      ['红颜草莓', '2026-12-07', '2026-12-08', 1, 4498, 466, 4032],
      ['西兰花', '2026-12-07', '2026-12-08', 2, 1940, 201, 1739],
      ['土鸡蛋', '2026-12-07', '2026-12-08', 1, 3214, 333, 2881],
    ])
    expect(placed.order.lines.reduce((n: number, l: { payFen: number }) => n + l.payFen, 0)).toBe(placed.order.price.payFen)
    // An unpaid basket is held for the pay window, and never past its session's cut-off.
    expect(placed.order.holdUntil).toBe(new Date(MORNING.getTime() + 15 * MINUTE).toISOString())
    expect((await f.cart(me)).lines).toEqual([])
    expect(await left(broccoli)).toBe(98)

    await f.pay(placed)
    const paid = await order(me, placed.order.id)
    expect(paid).toMatchObject({ state: 'confirmed', pickupCode: expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/) })
    expect((await CouponModel.findById(tenOff).lean())!.state).toBe('used')
    const notices = (await t.http.get('/api/notices').set(me.auth).expect(200)).body.notices
    expect(notices[0]).toMatchObject({ title: '付款成功，等待自提', body: '「红颜草莓 等 3 件商品」共 4 件，明天 16:00 后凭提货码到所选自提点提货' })
    const listed = (await t.http.get('/api/orders?state=pickup').set(me.auth).expect(200)).body.orders
    expect(listed.map((o: { id: string }) => o.id)).toEqual([placed.order.id])
  })

  it('sells exactly 50 units to 200 shoppers racing with three-line baskets; a refused basket leaves no order, held unit or used coupon, and its other lines untouched', async () => {
    const scarce = await f.product('限量车厘子', 9900, { sessionQuota: 50, sessionLimit: 5 })
    const bread = await f.product('全麦面包', 1290, { sessionQuota: 1000 })
    const yogurt = await f.product('原味酸奶', 890, { sessionQuota: 1000 })
    const people = await f.shoppers(200)
    const coupons = await f.coupons(people, { amountFen: 500 })
    const results = await Promise.all(
      people.map((p, i) =>
        f.checkout(p, { couponId: coupons[i], lines: [{ productId: scarce, quantity: 1 }, { productId: bread, quantity: 1 }, { productId: yogurt, quantity: 2 }] }),
      ),
    )
    const won = results.flatMap((r, i) => (r.status === 201 ? [i] : []))
    const lost = results.flatMap((r, i) => (r.status === 201 ? [] : [i]))
    expect(won).toHaveLength(50)
    for (const i of lost) {
      expect(results[i]!.status).toBe(409)
      // Refused before taking anything or while taking, the answer reads the same.
      expect(results[i]!.body.error).toMatchObject({ code: 'BASKET_REFUSED', message: '「限量车厘子」售罄 — 明日场可买', details: { lines: [{ index: 0, productId: scarce, day: '2026-12-07', problem: 'sold_out', text: '售罄 — 明日场可买' }] } })
    }
    expect(await left(scarce)).toBe(0)
    // The other lines of a refused basket were given back: only the 50 orders hold bread and yogurt.
    expect(await left(bread)).toBe(950)
    expect(await left(yogurt)).toBe(900)
    const losers = lost.map((i) => people[i]!.user.id)
    expect(await OrderModel.countDocuments({ userId: { $in: losers } })).toBe(0)
    expect(await OrderKeyModel.countDocuments({ _id: { $in: lost.map((i) => `${people[i]!.user.id}:${results[i]!.request}`) } })).toBe(0)
    expect(await OrderModel.countDocuments({ userId: { $in: won.map((i) => people[i]!.user.id) }, kind: 'basket', state: 'pending_payment' })).toBe(50)
    const states = await CouponModel.find({ _id: { $in: coupons } }).lean()
    expect(states.filter((c) => c.state === 'locked')).toHaveLength(50)
    expect(states.filter((c) => c.state === 'usable').map((c) => String(c.userId)).sort()).toEqual([...losers].sort())
    for (const id of [scarce, bread, yogurt]) expect(await sessionProblems(id, '2026-12-07')).toEqual([])
  })

  it('answers one order to ten sends of one checkout', async () => {
    const peas = await f.product('甜豌豆', 1290)
    const me = await f.shopper('手快的冯叔')
    const sends = await Promise.all(Array.from({ length: 10 }, () => f.checkout(me, { idempotencyKey: 'basket-once-01', lines: [{ productId: peas, quantity: 2 }] })))
    const placed = new Set(sends.filter((r) => r.status === 201).map((r) => r.body.order.id))
    expect(placed.size).toBe(1)
    for (const r of sends.filter((x) => x.status !== 201)) expect(r.body.error.code).toBe('REQUEST_IN_PROGRESS')
    expect(await OrderModel.countDocuments({ userId: me.user.id })).toBe(1)
    expect(await left(peas)).toBe(98)
    // The same key after the first request finished answers the same order.
    const again = await f.checkout(me, { idempotencyKey: 'basket-once-01', lines: [{ productId: peas, quantity: 2 }] }).expect(201)
    expect(again.body.order.id).toEqual([...placed][0])
  })

  it('names every line it refuses and why, a stale price included, and takes nothing', async () => {
    const apples = await f.product('富士苹果', 2590, { sessionLimit: 3 })
    const kiwis = await f.product('猕猴桃', 3590)
    const me = await f.shopper('挑剔的褚先生')
    const refused = await f.checkout(me, {
      lines: [
        { productId: apples, quantity: 4 },
        { productId: kiwis, day: '2026-12-06', quantity: 1 },
        { productId: kiwis, quantity: 1, unitPriceFen: 3000 },
      ],
    }).expect(409)
    expect(refused.body.error).toMatchObject({ code: 'BASKET_REFUSED', message: '「富士苹果」等 3 件商品暂时买不了，请调整后再结算' })
    expect(refused.body.error.details.lines).toEqual([
      { index: 0, productId: apples, day: '2026-12-07', problem: 'over_limit', text: '超出限购（每人限 3 件）' },
      { index: 1, productId: kiwis, day: '2026-12-06', problem: 'cut_off', text: '已截单 — 今日场可买' },
      { index: 2, productId: kiwis, day: '2026-12-07', problem: 'price_changed', text: '价格已变为 ¥35.18' },
    ])
    expect(await OrderModel.countDocuments({ userId: me.user.id })).toBe(0)
    expect(await left(apples)).toBeUndefined()
    // Bad bodies: an empty basket, the same line twice, too many lines.
    await f.checkout(me, { lines: [] }).expect(400)
    await f.checkout(me, { lines: [{ productId: apples, quantity: 1 }, { productId: apples, quantity: 2 }] }).expect(400)
    await f.checkout(me, { lines: Array.from({ length: 51 }, () => ({ productId: apples, quantity: 1 })) }).expect(400)
  })

  it('lands an order at 22:59:59 in today’s session and one at 23:00:00 in tomorrow’s, in Shanghai and in Los Angeles, where the dates differ from UTC’s', async () => {
    const cabbage = await f.product('大白菜', 390)
    const me = await f.shopper('夜猫子褚姐')
    const dayOf = (res: { body: { order: { lines: Array<{ day: string; pickupDay: string }> } } }) => [res.body.order.lines[0]!.day, res.body.order.lines[0]!.pickupDay]
    now = new Date('2026-12-07T14:59:59Z') // 22:59:59 in Shanghai
    const late = await f.checkout(me, { productId: cabbage, quantity: 1 }).expect(201)
    expect(dayOf(late)).toEqual(['2026-12-07', '2026-12-08'])
    // One second before the cut-off, the pay window ends with the session.
    expect(late.body.order.holdUntil).toBe('2026-12-07T15:00:00.000Z')
    now = new Date('2026-12-07T15:00:00Z') // 23:00:00
    expect(dayOf(await f.checkout(me, { productId: cabbage, quantity: 1 }).expect(201))).toEqual(['2026-12-08', '2026-12-09'])

    const west = variantApp({}, { pay: t.config.pay, rules: { ...t.config.rules, business: { ...t.config.rules.business, timeZone: 'America/Los_Angeles' } } }, { clock: () => now })
    const send = () => west.post('/api/orders').set(me.auth).send({ storeId: f.storeId, idempotencyKey: `west-${now.getTime()}`, productId: cabbage, quantity: 1 }).expect(201)
    now = new Date('2026-12-08T06:59:59Z') // 22:59:59 on the 7th in Los Angeles; UTC is already on the 8th
    expect(dayOf(await send())).toEqual(['2026-12-07', '2026-12-08'])
    now = new Date('2026-12-08T07:00:00Z')
    expect(dayOf(await send())).toEqual(['2026-12-08', '2026-12-09'])
  })

  it('closes a basket not paid by its session’s cut-off and gives its units back', async () => {
    const leeks = await f.product('韭菜', 290, { sessionQuota: 5 })
    const me = await f.shopper('忘了付款的蒋姐')
    now = new Date('2026-12-07T14:55:00Z')
    const placed = (await f.checkout(me, { productId: leeks, quantity: 3 }).expect(201)).body
    expect(placed.order.holdUntil).toBe('2026-12-07T15:00:00.000Z')
    expect(await left(leeks)).toBe(2)
    now = new Date('2026-12-07T15:00:30Z')
    await t.services.orders.releaseDueHolds(now)
    expect((await OrderModel.findById(placed.order.id).lean())!.state).toBe('closed')
    expect(await left(leeks)).toBe(5)
    expect(await sessionProblems(leeks, '2026-12-07')).toEqual([])
  })

  it('checks out five lines in at most 15 database commands before payment preparation', async () => {
    const ids = await Promise.all([1, 2, 3, 4, 5].map((n) => f.product(`五行商品${n}`, 1000 * n)))
    const me = await f.shopper('数命令的韩叔')
    const lines = ids.map((productId) => ({ productId, quantity: 1 }))
    // Warm: the sessions exist, as they do after the day's first order.
    await f.checkout(await f.shopper(), { lines }).expect(201)
    const { value, commands } = await countCommands(() => f.checkout(me, { lines }))
    expect(value.status).toBe(201)
    // Payment preparation is the prepay and the one write that records it.
    expect(commands - 1).toBeLessThanOrEqual(15)
  })
})
