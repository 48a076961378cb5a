import { startTestApp, type TestApp } from '../../../test/harness'
import { shopFixtures } from '../../../test/shop-fixtures'
import { Types } from 'mongoose'
import { countEvents } from '../events/event.model'
import { CartModel } from './cart.model'

/** 10:00 in Shanghai on Monday 7 December 2026: today's session takes orders until 23:00 (15:00 UTC). */
let now = new Date('2026-12-07T02:00:00Z')
let t: TestApp
const f = shopFixtures(() => t)

beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now, fakePay: true })
  await f.setUp()
})
afterAll(() => t.close())
afterEach(() => void (now = new Date('2026-12-07T02:00:00Z')))

type Line = { productId: string; day: string; quantity: number; problem: string | null; problemText: string | null; fix: unknown; maxQuantity: number; memberUnitFen: number; lineFen: number; selected: boolean; session: { day: string; pickupDay: string } | null }
const lineOf = (cart: { lines: Line[] }, productId: string, day = '2026-12-07') => cart.lines.find((l) => l.productId === productId && l.day === day)

describe('购物车', () => {
  it('adds to the open session at the member price, follows the member to another device, and counts the items for the tab badge', async () => {
    const strawberry = await f.product('丹东红颜草莓', 4590)
    const broccoli = await f.product('有机西兰花', 990)
    const me = await f.shopper('加购的周姐')
    await f.add(me, { productId: strawberry }).expect(200)
    await f.add(me, { productId: strawberry, quantity: 2 }).expect(200)
    const res = await f.add(me, { productId: broccoli, quantity: 1 }).expect(200)
    expect(res.body.cart).toMatchObject({ itemCount: 4, selectedCount: 4, selectedFen: 3 * 4498 + 970, maxLines: 50 })
    expect(lineOf(res.body.cart, strawberry)).toMatchObject({ quantity: 3, memberUnitFen: 4498, lineFen: 13_494, problem: null, maxQuantity: 10, session: { day: '2026-12-07', pickupDay: '2026-12-08', cutoffAt: '2026-12-07T15:00:00.000Z', pickupFrom: '2026-12-08T08:00:00.000Z' } })
    // Each add is an analytics event (加购, the funnel's third step).
    expect(await countEvents({ name: 'add_to_cart', userId: new Types.ObjectId(me.user.id) })).toBe(3)
    // The same member signed in elsewhere sees the same basket.
    const elsewhere = await f.shopper('加购的周姐')
    expect((await f.cart(elsewhere)).itemCount).toBe(4)
    // Deselecting a line leaves it in the basket but out of the total.
    const deselected = (await t.http.patch('/api/cart/items').set(me.auth).send({ productId: broccoli, day: '2026-12-07', selected: false }).expect(200)).body.cart
    expect(deselected).toMatchObject({ itemCount: 4, selectedCount: 3, selectedFen: 13_494 })
    const all = (await t.http.post('/api/cart/select').set(me.auth).send({ selected: true }).expect(200)).body.cart
    expect(all.selectedCount).toBe(4)
    const removed = (await t.http.patch('/api/cart/items').set(me.auth).send({ productId: broccoli, day: '2026-12-07', quantity: 0 }).expect(200)).body.cart
    expect(removed.lines.map((l: Line) => l.productId)).toEqual([strawberry])
  })

  it('refuses a quantity over the limit, a session past its cut-off, a product off the shelf and a full basket, changing nothing', async () => {
    const eggs = await f.product('散养土鸡蛋', 3280, { sessionLimit: 2 })
    const me = await f.shopper('限购的陈叔')
    await f.add(me, { productId: eggs, quantity: 2 }).expect(200)
    const over = await f.add(me, { productId: eggs, quantity: 1 }).expect(409)
    expect(over.body.error).toMatchObject({ code: 'OVER_LIMIT', message: '超出限购（每人限 2 件）', details: { maxQuantity: 2 } })
    await t.http.patch('/api/cart/items').set(me.auth).send({ productId: eggs, day: '2026-12-07', quantity: 3 }).expect(409)
    const past = await f.add(me, { productId: eggs, day: '2026-12-06' }).expect(409)
    expect(past.body.error.code).toBe('SESSION_CUT_OFF')
    const gone = await f.product('下架的橙子', 1000)
    await t.http.patch(`/api/admin/products/${gone}`).set(f.admin.auth).send({ onShelf: false }).expect(200)
    expect((await f.add(me, { productId: gone }).expect(404)).body.error.code).toBe('NOT_FOUND')
    // Bad input: unknown fields, operators, malformed ids and quantities.
    await f.add(me, { productId: eggs, price: 1 }).expect(400)
    await f.add(me, { productId: { $gt: '' } }).expect(400)
    await f.add(me, { productId: 'not-an-id' }).expect(400)
    await f.add(me, { productId: eggs, quantity: 0 }).expect(400)
    await f.add(me, { productId: eggs, day: '2026-13-40' }).expect(400)
    expect((await f.cart(me)).lines).toEqual([expect.objectContaining({ productId: eggs, quantity: 2 })])
    await t.http.get('/api/cart').expect(401)
  })

  it('holds at most 50 lines', async () => {
    const me = await f.shopper('囤货的吴姐')
    const ids = await Promise.all(Array.from({ length: 51 }, (_, i) => f.product(`货架商品${i}`, 100 + i, { category: '货架' })))
    for (const id of ids.slice(0, 50)) await f.add(me, { productId: id }).expect(200)
    const full = await f.add(me, { productId: ids[50] }).expect(409)
    expect(full.body.error.code).toBe('CART_FULL')
    // More of a line already there is still fine.
    await f.add(me, { productId: ids[0] }).expect(200)
    expect((await f.cart(me)).lines).toHaveLength(50)
  })

  it('says why a line cannot be bought now, with a one-tap fix: 已截单 moves to the next session, 超出限购 lowers it, 已下架 goes; 清除失效商品 clears what cannot be bought', async () => {
    const mango = await f.product('贵妃芒', 3990, { sessionLimit: 5 })
    const milk = await f.product('鲜牛奶', 2590, { sessionQuota: 3 })
    const rice = await f.product('五常大米', 6990)
    const me = await f.shopper('看购物车的孙阿姨')
    await f.add(me, { productId: mango, quantity: 5 }).expect(200)
    await f.add(me, { productId: milk, quantity: 3 }).expect(200)
    await f.add(me, { productId: rice }).expect(200)
    // Someone else buys milk meanwhile; the operator lowers the mango limit; rice leaves the shelf.
    const other = await f.shopper('买牛奶的邻居')
    await f.checkout(other, { lines: [{ productId: milk, quantity: 2 }] }).expect(201)
    await t.http.put(`/api/admin/products/${mango}/sessions/2026-12-07`).set(f.admin.auth).send({ perMemberLimit: 3 }).expect(200)
    await t.http.patch(`/api/admin/products/${rice}`).set(f.admin.auth).send({ onShelf: false }).expect(200)
    let cart = await f.cart(me)
    expect(lineOf(cart, mango)).toMatchObject({ problem: 'over_limit', problemText: '超出限购（每人限 3 件）', fix: { kind: 'reduce', quantity: 3, text: '改为 3 件' } })
    expect(lineOf(cart, milk)).toMatchObject({ problem: 'sold_out', problemText: '库存不足，仅剩 1 件', fix: { kind: 'reduce', quantity: 1 } })
    expect(lineOf(cart, rice)).toMatchObject({ problem: 'off_shelf', problemText: '已下架', fix: { kind: 'remove' }, session: null })
    // Lines that cannot be bought are out of the total.
    expect(cart.selectedCount).toBe(0)
    await t.http.patch('/api/cart/items').set(me.auth).send({ productId: mango, day: '2026-12-07', quantity: 3 }).expect(200)

    // Past 23:00 today's session has cut off: the next one can still be bought.
    now = new Date('2026-12-07T15:00:00Z')
    cart = await f.cart(me)
    expect(lineOf(cart, mango)).toMatchObject({ problem: 'cut_off', problemText: '已截单 — 明日场可买', fix: { kind: 'move', day: '2026-12-08', text: '改买明日场' } })
    const moved = (await t.http.patch('/api/cart/items').set(me.auth).send({ productId: mango, day: '2026-12-07', moveTo: '2026-12-08' }).expect(200)).body.cart
    expect(lineOf(moved, mango, '2026-12-08')).toMatchObject({ quantity: 3, problem: null, session: { day: '2026-12-08', pickupDay: '2026-12-09' } })
    const cleared = (await t.http.post('/api/cart/remove').set(me.auth).send({ unavailable: true }).expect(200)).body.cart
    expect(cleared.lines.map((l: Line) => [l.productId, l.day])).toEqual([[mango, '2026-12-08']])
    await t.http.post('/api/cart/remove').set(me.auth).send({ unavailable: true, lines: [{ productId: mango, day: '2026-12-08' }] }).expect(400)
  })

  it('merges a visitor’s basket at sign-in: quantities add up, limits apply, a cut-off session moves on, an off-shelf product stays out, a remembered price is never used, and it says what changed', async () => {
    now = new Date('2026-12-07T14:00:00Z') // 22:00
    const pears = await f.product('砀山梨', 1590, { sessionLimit: 4 })
    const grapes = await f.product('阳光玫瑰', 5990)
    const gone = await f.product('过季荔枝', 2990)
    await t.http.patch(`/api/admin/products/${gone}`).set(f.admin.auth).send({ onShelf: false }).expect(200)
    const me = await f.shopper('刚登录的钱先生')
    await f.add(me, { productId: pears, quantity: 2 }).expect(200)
    now = new Date('2026-12-07T15:30:00Z') // 23:30: the device's basket still names today's session
    const merged = (
      await t.http
        .post('/api/cart/merge')
        .set(me.auth)
        .send({
          lines: [
            { productId: pears, day: '2026-12-08', quantity: 3, unitPriceFen: 1 },
            { productId: grapes, day: '2026-12-07', quantity: 1 },
            { productId: gone, quantity: 1 },
          ],
        })
        .expect(200)
    ).body
    expect(merged.cart.lines.map((l: Line) => [l.productId, l.day, l.quantity, l.memberUnitFen])).toEqual([
      [pears, '2026-12-07', 2, 1558],
      [pears, '2026-12-08', 3, 1558],
      [grapes, '2026-12-08', 1, 5870],
    ])
    expect(merged.changes).toEqual([
      { productId: grapes, name: '阳光玫瑰', text: '已截单 — 明日场可买，已改为下一期' },
      { productId: gone, name: '过季荔枝', text: '已下架，没有加入购物车' },
      { productId: pears, name: '砀山梨', text: '价格已更新为 ¥15.58' },
    ])
    // Merging more of a line than the limit allows keeps what the limit allows.
    const capped = (await t.http.post('/api/cart/merge').set(me.auth).send({ lines: [{ productId: pears, day: '2026-12-08', quantity: 5 }] }).expect(200)).body
    expect(lineOf(capped.cart, pears, '2026-12-08')!.quantity).toBe(4)
    expect(capped.changes).toEqual([{ productId: pears, name: '砀山梨', text: '超出限购（每人限 4 件），已调整为 4 件' }])
    expect(await CartModel.countDocuments({ _id: me.user.id })).toBe(1)
  })

  it('prices a signed-out visitor’s basket as a guest’s, saying what cannot be bought, without keeping anything', async () => {
    const plums = await f.product('三华李', 1990, { sessionLimit: 2 })
    const carts = await CartModel.countDocuments({})
    const preview = (await t.http.post('/api/cart/preview').send({ lines: [{ productId: plums, quantity: 3 }] }).expect(200)).body.cart
    expect(preview).toMatchObject({ itemCount: 3, selectedCount: 0, lines: [{ productId: plums, day: '2026-12-07', memberUnitFen: 1950, problem: 'over_limit', fix: { kind: 'reduce', quantity: 2 } }] })
    expect(await CartModel.countDocuments({})).toBe(carts)
    await t.http.post('/api/cart/preview').send({ lines: [{ productId: plums, quantity: 1, $where: '1' }] }).expect(400)
  })

  it('keeps both of two changes made at once on two devices', async () => {
    const a = await f.product('并发商品甲', 100)
    const b = await f.product('并发商品乙', 200)
    const me = await f.shopper('两台手机的林姐')
    await Promise.all([f.add(me, { productId: a }), f.add(me, { productId: b }), f.add(me, { productId: a })])
    const cart = await f.cart(me)
    expect(cart.lines.map((l: Line) => [l.productId, l.quantity]).sort()).toEqual([[a, 2], [b, 1]].sort())
  })
})
