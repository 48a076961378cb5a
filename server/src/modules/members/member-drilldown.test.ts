import { Types } from 'mongoose'
import { RFM_SEGMENTS, LIFECYCLE_TIERS, addDays } from '@xianlin/shared'
import { devLogin, operatorLogin, startTestApp, type TestApp } from '../../../test/harness'
import { rollupDay } from '../events/daily-metrics'
import { CouponModel } from '../coupons/coupon.model'

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
const at = (day: string) => new Date(`${day}T12:00:00+08:00`)

describe('drill-down from reports to members', () => {
  it('lists the members of each RFM cell and lifecycle tier as the reports count them, with the same figures on the list and the member page', async () => {
    const members = []
    for (let i = 0; i < 12; i++) members.push(await devLogin(t, { nickname: `画像会员${i}` }))
    const days = new Set<string>(['2026-09-01'])
    // Payments spread so the cells differ: many and large, few and small, long ago and lately.
    for (const [i, m] of members.entries()) {
      const count = i % 4 // 0..3 orders
      for (let k = 0; k < count; k++) {
        const day = addDays(TODAY, -((i * 7 + k * 11) % 150) - 1)
        days.add(day)
        await t.services.events.track({ userId: new Types.ObjectId(m.user.id), name: 'payment', props: { orderId: new Types.ObjectId().toHexString(), fen: (i % 3) * 30000 + 1990 }, at: at(day) })
      }
      if (i % 5 === 0) {
        const day = addDays(TODAY, -(i + 1))
        days.add(day)
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
})
