import { startTestApp, operatorLogin, type TestApp } from '../../../test/harness'
import { groupbuyFixtures } from '../../../test/groupbuy-fixtures'

// 23:30 in Shanghai on 2026-12-03 (15:30 UTC): business "today" is the 3rd until 16:00 UTC.
let now = new Date('2026-12-03T15:30:00Z')
let t: TestApp
const f = groupbuyFixtures(() => t, () => now)

beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now, fakePay: true })
  await f.setUp()
})
afterAll(() => t.close())

const overview = async (auth: Record<string, string>) => (await t.http.get('/api/admin/overview').query({ days: 2 }).set(auth).expect(200)).body

describe('GET /api/admin/overview', () => {
  it('counts each business day in the business time zone: members, check-ins, paid orders and amount, groups formed', async () => {
    const analyst = await operatorLogin(t, 'analyst')
    const before = await overview(analyst.auth)
    expect(before.days.map((d: { day: string }) => d.day)).toEqual(['2026-12-02', '2026-12-03'])

    const [a, b] = await f.shoppers(2)
    await t.http.post('/api/checkins').set(a!.auth).expect(201)
    const id = await f.activity()
    const first = await f.buy(a!, { activityId: id, tierSize: 2 })
    await f.buy(b!, { activityId: id, groupId: first.groupId })

    const after = await overview(analyst.auth)
    const today = after.days[1]
    const was = before.days[1]
    expect(today.day).toBe('2026-12-03')
    expect(today.newMembers - was.newMembers).toBe(2)
    expect(today.checkins - was.checkins).toBe(1)
    expect(today.paidOrders - was.paidOrders).toBe(2)
    expect(today.paidFen - was.paidFen).toBeGreaterThan(0)
    expect(today.groupsSucceeded - was.groupsSucceeded).toBe(1)
    expect(after.days[0]).toEqual(before.days[0])

    // Half an hour later it is the 4th in Shanghai: those figures are now yesterday's.
    now = new Date('2026-12-03T16:30:00Z')
    const next = await overview(analyst.auth)
    expect(next.days[0]).toEqual(today)
    expect(next.days[1]).toMatchObject({ day: '2026-12-04', newMembers: 0, checkins: 0, paidOrders: 0, paidFen: 0, groupsSucceeded: 0, redemptions: 0, pickups: 0, refundedFen: 0, netFen: 0 })
  })

  it('counts 核销 as vouchers and pickups, each on its own, and money as paid, refunded and net', async () => {
    const admin = await operatorLogin(t, 'admin')
    const before = (await overview(admin.auth)).days[1]
    const clerk = await f.staffAt(f.storeId, '核销店员')
    const [a, b, c] = await f.shoppers(3)
    await f.soloOrder(a!, clerk)
    await f.soloOrder(b!, clerk)
    const refunded = await f.soloOrder(c!)
    const order = (await t.http.get(`/api/orders/${refunded}`).set(c!.auth).expect(200)).body.order
    await t.http.post(`/api/admin/orders/${refunded}/refund`).set(admin.auth).send({ reason: '报表测试', idempotencyKey: 'report-refund-1' }).expect(200)
    const after = (await overview(admin.auth)).days[1]
    expect(after.pickups - before.pickups).toBe(2)
    expect(after.redemptions - before.redemptions).toBe(0)
    expect(after.paidOrders - before.paidOrders).toBe(3)
    expect(after.refundedFen - before.refundedFen).toBe(order.price.payFen)
    expect(after.netFen).toBe(after.paidFen - after.refundedFen)
  })

  it('refuses a range it would not page (more than a month) naming the field', async () => {
    const analyst = await operatorLogin(t, 'analyst')
    const res = await t.http.get('/api/admin/overview').query({ days: 400 }).set(analyst.auth).expect(400)
    expect(res.body.error.details[0].path).toBe('query.days')
  })

  it('refuses a day that does not exist (month 13, 30 February) as bad input, naming the field', async () => {
    const admin = await operatorLogin(t, 'admin')
    for (const [path, query] of [
      ['/api/admin/analytics/rfm', { to: '2026-13-45' }],
      ['/api/admin/analytics/lifecycle', { from: '2026-02-01', to: '2026-02-30' }],
      ['/api/admin/orders', { from: '2026-11-31' }],
    ] as const) {
      const res = await t.http.get(path).query(query).set(admin.auth).expect(400)
      expect(res.body.error.code).toBe('VALIDATION_FAILED')
      expect(res.body.error.details[0].path).toMatch(/^query\.(from|to)$/)
    }
  })
})
