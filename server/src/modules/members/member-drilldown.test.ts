import mongoose, { Types } from 'mongoose'
import { RFM_SEGMENTS, LIFECYCLE_TIERS, addDays } from '@xianlin/shared'
import { devLogin, operatorLogin, startTestApp, type TestApp } from '../../../test/harness'
import { rollupDay } from '../events/daily-metrics'
import { CouponModel } from '../coupons/coupon.model'
import { PointEntryModel } from '../points/point-entry.model'

/**
 * 会员 filtered by an RFM cell or a lifecycle tier lists exactly the members the reports count
 * there, and each row (and each member's page) shows the figures of that cell.
 */
let now = new Date('2026-09-01T10:00:00+08:00')
let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now })
})
afterAll(() => t.close())

const TODAY = '2026-11-30'
/** What the first test made each member do: their active days and what they paid on which day (the raw facts the filters are checked against). */
const made = new Map<string, { days: Set<string>; paid: Array<{ day: string; fen: number }> }>()
const at = (day: string) => new Date(`${day}T12:00:00+08:00`)

describe('drill-down from reports to members', () => {
  it('lists the members of each RFM cell and lifecycle tier as the reports count them, with the same figures on the list and the member page', async () => {
    const members = []
    for (let i = 0; i < 12; i++) members.push(await devLogin(t, { nickname: `画像会员${i}` }))
    for (const m of members) made.set(m.user.id, { days: new Set(['2026-09-01']), paid: [] })
    const days = new Set<string>(['2026-09-01'])
    // Payments spread so the cells differ: many and large, few and small, long ago and lately.
    for (const [i, m] of members.entries()) {
      const count = i % 4 // 0..3 orders
      for (let k = 0; k < count; k++) {
        const day = addDays(TODAY, -((i * 7 + k * 11) % 150) - 1)
        days.add(day)
        made.get(m.user.id)!.days.add(day)
        made.get(m.user.id)!.paid.push({ day, fen: (i % 3) * 30000 + 1990 })
        await t.services.events.track({ userId: new Types.ObjectId(m.user.id), name: 'payment', props: { orderId: new Types.ObjectId().toHexString(), fen: (i % 3) * 30000 + 1990 }, at: at(day) })
      }
      if (i % 5 === 0) {
        const day = addDays(TODAY, -(i + 1))
        days.add(day)
        made.get(m.user.id)!.days.add(day)
        await t.services.events.track({ userId: new Types.ObjectId(m.user.id), name: 'visit', props: { page: 'pages/index/index' }, at: at(day) })
      }
    }
    for (const day of [...days].sort()) await rollupDay(day)
    now = new Date(`${TODAY}T10:00:00+08:00`)
    const admin = await operatorLogin(t)
    const get = async (path: string, query: Record<string, unknown> = {}) => (await t.http.get(path).query(query).set(admin.auth).expect(200)).body

    const rfm = await get('/api/admin/analytics/rfm', { to: TODAY })
    let cells = 0
    for (const segment of RFM_SEGMENTS) {
      const cell = rfm.segments.find((s: { segment: string }) => s.segment === segment)
      const listed = await get('/api/admin/members', { segment, day: TODAY, limit: 100 })
      expect(listed.total).toBe(cell.members)
      expect(listed.members).toHaveLength(cell.members)
      expect(listed.members.reduce((n: number, m: { growth: { rfm: { paidFen: number } } }) => n + m.growth.rfm.paidFen, 0)).toBe(cell.paidFen)
      for (const row of listed.members) {
        expect(row.growth.rfm.segment).toBe(segment)
        const page = await get(`/api/admin/members/${row.id}`)
        expect(page.asOf).toBe(TODAY)
        expect(page.growth).toEqual(row.growth)
        expect(page.points.available).toBe(row.points)
        expect(page.membership.level.name).toBe(row.level.name)
      }
      if (cell.members > 0) cells++
    }
    expect(cells).toBeGreaterThan(1) // the history really spreads over several cells

    const lifecycle = await get('/api/admin/analytics/lifecycle', { from: addDays(TODAY, -14), to: TODAY })
    const point = lifecycle.points[lifecycle.points.length - 1]
    expect(point.day).toBe(TODAY)
    let tiered = 0
    for (const tier of LIFECYCLE_TIERS) {
      const listed = await get('/api/admin/members', { tier, day: TODAY, limit: 100 })
      expect(listed.total).toBe(point.counts[tier])
      for (const row of listed.members) expect(row.growth.tier).toBe(tier)
      tiered += listed.total
    }
    expect(tiered).toBeGreaterThanOrEqual(members.length) // every member registered is in some tier

    // A cell, a tier and a search at once is refused, naming the field.
    const refused = await t.http.get('/api/admin/members').query({ segment: 'champion', tier: 'lost' }).set(admin.auth).expect(400)
    expect(refused.body.error.code).toBe('VALIDATION_FAILED')
  })

  it('grants a coupon to a cell: the count and the budget first, refused when the cell changed, once per member however often it is sent', async () => {
    const admin = await operatorLogin(t)
    const template = (await t.http.post('/api/admin/coupon-templates').set(admin.auth).send({ name: '分群回馈券', kind: 'amount', amountFen: 800, minSpendFen: 3000, scope: 'all', validity: { kind: 'relative', days: 7 } }).expect(201)).body.template
    const rfm = (await t.http.get('/api/admin/analytics/rfm').query({ to: TODAY }).set(admin.auth).expect(200)).body
    const cell = rfm.segments.filter((x: { members: number }) => x.members > 0).sort((a: { members: number }, b: { members: number }) => b.members - a.members)[0]
    const query = { templateId: template.id, segment: cell.segment, day: TODAY }
    const preview = (await t.http.get('/api/admin/coupons/segment-grant').query(query).set(admin.auth).expect(200)).body
    expect(preview).toEqual({ members: cell.members, templateName: '分群回馈券', faceValueFen: 800, budgetFen: 800 * cell.members })

    const issued = async () => (await CouponModel.countDocuments({ templateId: template.id })) as number
    const stale = await t.http.post('/api/admin/coupons/segment-grant').set(admin.auth).send({ ...query, expectedMembers: cell.members + 1, idempotencyKey: 'segment-grant-1' }).expect(409)
    expect(stale.body.error).toMatchObject({ code: 'SEGMENT_CHANGED', message: `分群人数已变化（现为 ${cell.members} 人），请重新确认后再发` })
    expect(await issued()).toBe(0)

    // Sent twice at once (a double click, a retry), then once more: each member holds one coupon.
    const body = { ...query, expectedMembers: cell.members, idempotencyKey: 'segment-grant-2' }
    const both = await Promise.all([0, 1].map(() => t.http.post('/api/admin/coupons/segment-grant').set(admin.auth).send(body)))
    expect(both.map((r) => r.status)).toEqual([200, 200])
    expect(both.reduce((n, r) => n + r.body.granted, 0)).toBe(cell.members)
    const again = (await t.http.post('/api/admin/coupons/segment-grant').set(admin.auth).send(body).expect(200)).body
    expect(again).toEqual({ granted: 0, replayed: cell.members })
    expect(await issued()).toBe(cell.members)
    const holders = await CouponModel.distinct('userId', { templateId: template.id })
    expect(holders).toHaveLength(cell.members)

    for (const bad of [{ ...query, tier: 'lost' }, { templateId: template.id, day: TODAY }, { ...query, $where: '1' }]) {
      expect((await t.http.get('/api/admin/coupons/segment-grant').query(bad).set(admin.auth).expect(400)).body.error.code).toMatch(/VALIDATION_FAILED|FORBIDDEN_KEY/)
    }
  })

  it('filters by level, points held, spend in the RFM window, inactivity and registration, each listing exactly the members the raw documents say', async () => {
    const admin = await operatorLogin(t)
    const get = async (query: Record<string, unknown>) => (await t.http.get('/api/admin/members').query({ limit: 100, ...query }).set(admin.auth).expect(200)).body
    const ids = [...made.keys()]
    // Some members earn points and growth (two reach 银卡, one 金卡), through the services that award them.
    for (const [i, id] of ids.entries()) {
      if (i % 3 === 0) await t.services.points.earn({ userId: id, amount: 50 * (i + 1), source: 'admin', key: `filters:${id}` })
      if (i < 3) await t.services.membership.addGrowth({ userId: id, amount: i === 0 ? 6000 : 1500, source: 'admin', key: `filters:${id}` })
    }
    await t.services.checkin.settle(now)
    const listed = async (query: Record<string, unknown>) => {
      const r = await get(query)
      expect(r.total).toBe(r.members.length)
      return new Set<string>(r.members.map((m: { id: string }) => m.id))
    }

    // Levels: from each member's membership (none means the first level), over every member there is.
    const users = await mongoose.connection.db!.collection('users').find({}, { projection: { _id: 1 } }).toArray()
    const ranks = new Map((await mongoose.connection.db!.collection('memberships').find({}).toArray()).map((m) => [String(m._id), m.levelRank as number]))
    const keys = ['regular', 'silver', 'gold', 'diamond']
    for (const [rank, level] of keys.entries()) {
      const want = new Set(users.map((u) => String(u._id)).filter((id) => (ranks.get(id) ?? 0) === rank))
      expect(await listed({ level })).toEqual(want)
      const rows = (await get({ level })).members as Array<{ level: { key: string } }>
      expect(rows.every((r) => r.level.key === level)).toBe(true)
    }
    expect((await listed({ level: 'gold' })).size).toBe(1)
    expect((await listed({ level: 'silver' })).size).toBe(2)
    // The first level a page at a time, walking past higher ones: the pages join up to the whole.
    const first = await get({ level: 'regular', limit: 4 })
    const second = await get({ level: 'regular', limit: 4, cursor: first.nextCursor })
    expect([...first.members, ...second.members].map((m: { id: string }) => m.id)).toEqual([...(await get({ level: 'regular' })).members.map((m: { id: string }) => m.id)].slice(0, 8))

    // Points held: each member's ledger ends with what they hold.
    const held = new Map<string, number>()
    for (const u of users) held.set(String(u._id), (await PointEntryModel.findOne({ ownerId: u._id }).sort({ seq: -1 }).lean())?.available ?? 0)
    const rich = await listed({ minPoints: 200 })
    expect(rich).toEqual(new Set([...held].filter(([, p]) => p >= 200).map(([id]) => id)))
    expect(rich.size).toBeGreaterThan(1)

    // Spend: what each paid in the RFM window ending the day.
    const { rfmWindowDays } = await get({})
    const from = addDays(TODAY, -(rfmWindowDays - 1))
    const spent = (id: string) => made.get(id)!.paid.filter((p) => p.day >= from && p.day <= TODAY).reduce((n, p) => n + p.fen, 0)
    const big = await listed({ minPaidFen: 30000, day: TODAY })
    expect(big).toEqual(new Set(ids.filter((id) => spent(id) >= 30000)))
    expect(big.size).toBeGreaterThan(0)

    // Inactive for 30 days: last active on or before the day 30 days back.
    const lapsed = await listed({ inactiveDays: 30, day: TODAY })
    expect(lapsed).toEqual(new Set(ids.filter((id) => [...made.get(id)!.days].sort().pop()! <= addDays(TODAY, -30))))
    expect(lapsed.size).toBeGreaterThan(0)

    // A registration cohort (as 留存 counts it) and the members who registered then.
    const retention = (await t.http.get('/api/admin/analytics/retention').query({ from: '2026-08-31', to: '2026-09-06' }).set(admin.auth).expect(200)).body
    const cohort = await listed({ registeredFrom: '2026-08-31', registeredTo: '2026-09-06' })
    expect(cohort).toEqual(new Set(ids))
    expect(retention.cohorts[0].size).toBe(cohort.size)

    // Two filters at once, half a registration range, a range too long or an unknown level: refused, naming the field.
    for (const bad of [{ level: 'gold', minPoints: 1 }, { registeredFrom: '2026-09-01' }, { registeredFrom: '2026-01-01', registeredTo: '2026-09-01' }, { inactiveDays: 0 }]) {
      expect((await t.http.get('/api/admin/members').query(bad).set(admin.auth).expect(400)).body.error.code).toBe('VALIDATION_FAILED')
    }
    expect((await t.http.get('/api/admin/members').query({ level: 'platinum' }).set(admin.auth).expect(400)).body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: '未知的等级' })
  })
})
