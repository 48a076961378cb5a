import { startTestApp, operatorLogin, type TestApp } from '../../../test/harness'
import { groupbuyFixtures } from '../../../test/groupbuy-fixtures'

// 10:00 in Shanghai on 2026-12-03.
let now = new Date('2026-12-03T02:00:00Z')
let t: TestApp
const f = groupbuyFixtures(() => t, () => now)

beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now, fakePay: true })
  await f.setUp()
})
afterAll(() => t.close())

const search = async (auth: Record<string, string>, query: Record<string, string | number>) => (await t.http.get('/api/admin/orders').query(query).set(auth).expect(200)).body

describe('GET /api/admin/orders (console 订单)', () => {
  it('finds orders by member nickname, member id and order id, each with its member and timeline', async () => {
    const ops = await operatorLogin(t, 'operations')
    const [a, b] = [await f.shopper('查单阿花'), await f.shopper('查单阿草')]
    const id = await f.activity()
    const first = await f.buy(a, { activityId: id, tierSize: 2 })
    now = new Date(now.getTime() + 60_000)
    await f.buy(b, { activityId: id, groupId: first.groupId })

    const byName = await search(ops.auth, { q: '查单阿花' })
    expect(byName.orders).toHaveLength(1)
    const order = byName.orders[0]
    expect(order).toMatchObject({ id: first.orderId, state: 'confirmed', member: { id: a.user.id, nickname: '查单阿花' } })
    expect(order.timeline.map((s: { event: string }) => s.event)).toEqual(['placed', 'paid', 'formed'])

    expect((await search(ops.auth, { q: '查单' })).orders.map((o: { member: { nickname: string } }) => o.member.nickname)).toEqual(['查单阿草', '查单阿花'])
    expect((await search(ops.auth, { q: b.user.id })).orders.map((o: { member: { id: string } }) => o.member.id)).toEqual([b.user.id])
    expect((await search(ops.auth, { q: first.orderId })).orders.map((o: { id: string }) => o.id)).toEqual([first.orderId])
    expect((await search(ops.auth, { q: '没有这个人' })).orders).toEqual([])
  })

  it('filters by state, activity, store and business day, and pages newest first', async () => {
    const finance = await operatorLogin(t, 'finance')
    const id = await f.activity()
    const buyers = await f.shoppers(3)
    for (const who of buyers) await f.buy(who, { activityId: id, tierSize: 2 })
    const all = await search(finance.auth, { activityId: id, storeId: f.storeId, state: 'paid', limit: 2 })
    expect(all.orders).toHaveLength(2)
    const rest = await search(finance.auth, { activityId: id, storeId: f.storeId, state: 'paid', limit: 2, cursor: all.nextCursor })
    expect(rest.orders).toHaveLength(1)
    expect(rest.nextCursor).toBeNull()
    expect([...all.orders, ...rest.orders].map((o: { member: { id: string } }) => o.member.id)).toEqual(buyers.map((p) => p.user.id).reverse())

    expect((await search(finance.auth, { activityId: id, from: '2026-12-03', to: '2026-12-03' })).orders).toHaveLength(3)
    expect((await search(finance.auth, { activityId: id, from: '2026-12-04' })).orders).toHaveLength(0)
    expect((await search(finance.auth, { activityId: id, to: '2026-12-02' })).orders).toHaveLength(0)
  })

  it('refuses bad filters naming the field, and roles without the orders permission', async () => {
    const ops = await operatorLogin(t, 'operations')
    const bad = await t.http.get('/api/admin/orders').query({ from: '3 December' }).set(ops.auth).expect(400)
    expect(bad.body.error.details[0].path).toBe('query.from')
    await t.http.get('/api/admin/orders').query({ state: 'creating' }).set(ops.auth).expect(400)
    await t.http.get('/api/admin/orders').query({ limit: 101 }).set(ops.auth).expect(400)
    const analyst = await operatorLogin(t, 'analyst')
    await t.http.get('/api/admin/orders').set(analyst.auth).expect(403)
  })
})

describe('console 拼团活动', () => {
  it('lists activities by state with their stock, and an activity groups with members and their orders', async () => {
    const ops = await operatorLogin(t, 'operations')
    const id = await f.activity({ stock: 30 })
    const [x] = await f.shoppers(1)
    const bought = await f.buy(x!, { activityId: id, tierSize: 2 })
    const active = (await t.http.get('/api/admin/groupbuys').query({ state: 'active' }).set(ops.auth).expect(200)).body.activities
    expect(active.find((a: { id: string }) => a.id === id)).toMatchObject({ stockTotal: 30, stockLeft: 29, state: 'active' })

    await t.http.patch(`/api/admin/groupbuys/${id}`).set(ops.auth).send({ paused: true }).expect(200)
    const paused = (await t.http.get('/api/admin/groupbuys').query({ state: 'paused' }).set(ops.auth).expect(200)).body.activities
    expect(paused.map((a: { id: string }) => a.id)).toContain(id)
    expect((await t.http.get('/api/groupbuys').expect(200)).body.activities.map((a: { id: string }) => a.id)).not.toContain(id)

    const groups = (await t.http.get(`/api/admin/groupbuys/${id}/groups`).set(ops.auth).expect(200)).body.groups
    expect(groups).toHaveLength(1)
    expect(groups[0]).toMatchObject({ size: 2, state: 'open', members: [{ userId: x!.user.id, orderId: bought.orderId, initiator: true, paid: true }] })
  })

  it('finds baskets by a session (its sale day) and by a product in any of their lines, each with its lines', async () => {
    const ops = await operatorLogin(t, 'operations')
    const me = await f.shopper('查团期的邹姐')
    const pears = (await t.http.post('/api/admin/products').set(f.admin.auth).send({ name: '查单雪梨', category: '水果', priceFen: 1000, unit: '份' }).expect(201)).body.product.id
    const today = (await f.checkout(me, { lines: [{ productId: f.productId, quantity: 1 }, { productId: pears, quantity: 2 }] }).expect(201)).body.order
    const tomorrow = (await f.checkout(me, { lines: [{ productId: pears, day: '2026-12-04', quantity: 1 }] }).expect(201)).body.order
    const ids = async (query: Record<string, string>) => (await search(ops.auth, { q: me.user.id, ...query })).orders.map((o: { id: string }) => o.id)
    expect(await ids({ sessionDay: '2026-12-03' })).toEqual([today.id])
    expect(await ids({ sessionDay: '2026-12-04' })).toEqual([tomorrow.id])
    expect(await ids({ productId: pears })).toEqual([tomorrow.id, today.id])
    expect(await ids({ productId: f.productId })).toEqual([today.id])
    const found = (await search(ops.auth, { q: today.id })).orders[0]
    expect(found.lines.map((l: { name: string; quantity: number; day: string }) => [l.name, l.quantity, l.day])).toEqual([['拼团芒果', 1, '2026-12-03'], ['查单雪梨', 2, '2026-12-03']])
    await t.http.get('/api/admin/orders').query({ sessionDay: '2026-02-30' }).set(ops.auth).expect(400)
  })
})
