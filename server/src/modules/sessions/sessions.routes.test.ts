import { startTestApp, operatorLogin, type TestApp } from '../../../test/harness'
import { shopFixtures } from '../../../test/shop-fixtures'
import { AuditLogModel } from '../audit/audit-log.model'

/** 10:00 in Shanghai on Monday 7 December 2026. */
const now = new Date('2026-12-07T02:00:00Z')
let t: TestApp
const f = shopFixtures(() => t)

beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now, fakePay: true })
  await f.setUp()
})
afterAll(() => t.close())

type Day = { day: string; custom: boolean; closed: boolean; priceFen: number; ownPrice: boolean; quota: number; ordered: number; left: number; perMemberLimit: number; cutoffHour: number; pickupHour: number; cutoffAt: string; pickupDay: string }

describe('运营后台 → 团期', () => {
  it('shows a product’s calendar from its defaults and the rules, sets a day’s price, quota, limit and hours, and copies it forward', async () => {
    const peaches = await f.product('水蜜桃', 3990, { sessionQuota: 80, sessionLimit: 4 })
    const ops = await operatorLogin(t, 'operations')
    const calendar = (await t.http.get(`/api/admin/products/${peaches}/sessions`).query({ days: 3 }).set(ops.auth).expect(200)).body
    expect(calendar.product).toMatchObject({ name: '水蜜桃', priceFen: 3990, sessionQuota: 80, sessionLimit: 4, onShelf: true })
    expect(calendar.days.map((d: Day) => [d.day, d.custom, d.priceFen, d.quota, d.perMemberLimit, d.cutoffHour, d.pickupHour, d.pickupDay])).toEqual([
      ['2026-12-07', false, 3990, 80, 4, 23, 16, '2026-12-08'],
      ['2026-12-08', false, 3990, 80, 4, 23, 16, '2026-12-09'],
      ['2026-12-09', false, 3990, 80, 4, 23, 16, '2026-12-10'],
    ])

    // A shopper orders 3 of today's; the operator sets tomorrow's session and copies it on.
    const me = await f.shopper('买桃的葛姐')
    await f.checkout(me, { productId: peaches, quantity: 3 }).expect(201)
    const set = (await t.http.put(`/api/admin/products/${peaches}/sessions/2026-12-08`).set(ops.auth).send({ priceFen: 2990, quota: 120, perMemberLimit: 6, cutoffHour: 21, pickupHour: 10 }).expect(200)).body
    expect(set.days[0]).toMatchObject({ day: '2026-12-08', custom: true, ownPrice: true, priceFen: 2990, quota: 120, left: 120, perMemberLimit: 6, cutoffHour: 21, pickupHour: 10, cutoffAt: '2026-12-08T13:00:00.000Z', pickupFrom: '2026-12-09T02:00:00.000Z' })
    const copied = (await t.http.post(`/api/admin/products/${peaches}/sessions/2026-12-08/copy`).set(ops.auth).send({ days: 2 }).expect(200)).body
    expect(copied.days.map((d: Day) => [d.day, d.priceFen, d.quota, d.perMemberLimit, d.cutoffHour])).toEqual([
      ['2026-12-08', 2990, 120, 6, 21],
      ['2026-12-09', 2990, 120, 6, 21],
      ['2026-12-10', 2990, 120, 6, 21],
    ])
    // Shoppers see the price the day sets, at their level, in that session.
    const card = (await t.http.get(`/api/products/${peaches}`).set(me.auth).expect(200)).body.product
    expect(card.sessions.map((s: { day: string; priceFen: number; left: number }) => [s.day, s.priceFen, s.left])).toEqual([
      ['2026-12-07', 3990, 77],
      ['2026-12-08', 2990, 120],
    ])

    // A quota below what is ordered is refused; a lower one above it moves what is left.
    const below = await t.http.put(`/api/admin/products/${peaches}/sessions/2026-12-07`).set(ops.auth).send({ quota: 2 }).expect(400)
    expect(below.body.error.details).toEqual([{ path: 'body.quota', message: '已订 3 件，限量不能少于已订数' }])
    const lower = (await t.http.put(`/api/admin/products/${peaches}/sessions/2026-12-07`).set(ops.auth).send({ quota: 10, closed: true }).expect(200)).body.days[0]
    expect(lower).toMatchObject({ quota: 10, ordered: 3, left: 7, closed: true })
    // A closed day is not offered: the open session is tomorrow's.
    expect((await t.http.get(`/api/products/${peaches}`).expect(200)).body.product.sessions[0].day).toBe('2026-12-08')
    // Past days, bad values and unknown fields are refused.
    await t.http.put(`/api/admin/products/${peaches}/sessions/2026-12-06`).set(ops.auth).send({ quota: 10 }).expect(400)
    await t.http.put(`/api/admin/products/${peaches}/sessions/2026-12-09`).set(ops.auth).send({ quota: -1 }).expect(400)
    await t.http.put(`/api/admin/products/${peaches}/sessions/2026-12-09`).set(ops.auth).send({ price: 1 }).expect(400)
    await t.http.put(`/api/admin/products/${peaches}/sessions/2026-12-09`).set(ops.auth).send({}).expect(400)
    expect(await AuditLogModel.countDocuments({ action: { $in: ['session.set', 'session.copy'] }, targetId: peaches })).toBe(3)
  })

  it('shows today’s and tomorrow’s sessions of the shelf at a glance, units ordered against quota', async () => {
    const figs = await f.product('无花果', 2590, { sessionQuota: 30 })
    const me = await f.shopper('买无花果的史叔')
    await f.checkout(me, { lines: [{ productId: figs, quantity: 2 }, { productId: figs, day: '2026-12-08', quantity: 1 }] }).expect(201)
    const ops = await operatorLogin(t, 'operations')
    const glance = (await t.http.get('/api/admin/sessions').set(ops.auth).expect(200)).body
    expect(glance.days).toEqual(['2026-12-07', '2026-12-08'])
    expect(glance.products.find((p: { id: string }) => p.id === figs).sessions).toEqual([
      { day: '2026-12-07', quota: 30, ordered: 2, left: 28, closed: false },
      { day: '2026-12-08', quota: 30, ordered: 1, left: 29, closed: false },
    ])
  })

  it('is for operators who manage the catalogue', async () => {
    const analyst = await operatorLogin(t, 'analyst')
    const id = await f.product('权限测试', 100)
    await t.http.get('/api/admin/sessions').set(analyst.auth).expect(403)
    await t.http.put(`/api/admin/products/${id}/sessions/2026-12-08`).set(analyst.auth).send({ quota: 1 }).expect(403)
    const shopper = await f.shopper()
    await t.http.get('/api/admin/sessions').set(shopper.auth).expect(401)
  })
})
