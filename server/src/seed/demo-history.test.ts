import mongoose, { Types } from 'mongoose'
import { addDays, businessDay, startOfBusinessDay } from '@xianlin/shared'
import { operatorLogin, startTestApp, type TestApp } from '../../test/harness'
import { createLogger } from '../logger'
import { seedDemoData } from './seed'
import { ensureDemoHistory } from './demo-history'
import { findEvents } from '../modules/events/event.model'
import { writeSyntheticHistory } from '../modules/events/synthetic-history'

/**
 * The demo history is lived through the services, so every screen reads the same facts: the
 * 概览 cards, 签到, RFM and each member's page are compared here with counts made from the raw
 * documents (orders, refunds, check-ins, users, vouchers) of a small history.
 */
const TZ = 'Asia/Shanghai'
const now = new Date('2026-12-07T10:00:00+08:00')
const TODAY = businessDay(now, TZ)
const DAYS = 12
let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now, fakePay: true })
  await seedDemoData(now, t.services)
  const made = await ensureDemoHistory({ members: 60, days: DAYS, endDay: addDays(TODAY, -1), seed: 7 }, { config: t.config, fakePay: t.fakePay!, log: createLogger('silent'), payClock: () => now })
  expect(made!.orders).toBeGreaterThan(10)
  // Written once: a second start adds nothing.
  expect(await ensureDemoHistory({ members: 60, days: DAYS, endDay: addDays(TODAY, -1), seed: 7 }, { config: t.config, fakePay: t.fakePay!, log: createLogger('silent'), payClock: () => now })).toBeNull()
}, 300_000)
afterAll(() => t.close())

const db = () => mongoose.connection.db!
const dayRange = (day: string) => ({ $gte: startOfBusinessDay(day, TZ), $lt: startOfBusinessDay(addDays(day, 1), TZ) })

describe('the demo history, lived through the services', () => {
  it('概览: every card of every day agrees with the raw documents', async () => {
    const admin = await operatorLogin(t)
    const overview = (await t.http.get('/api/admin/overview').query({ days: 14 }).set(admin.auth).expect(200)).body
    let paidOrders = 0
    for (const d of overview.days) {
      const range = dayRange(d.day)
      const paid = await db().collection('orders').find({ paidAt: range }, { projection: { price: 1 } }).toArray()
      const refunds = await db().collection('refunds').find({ succeededAt: range }, { projection: { fen: 1 } }).toArray()
      const refundedFen = refunds.reduce((n, r) => n + (r.fen as number), 0)
      const paidFen = paid.reduce((n, o) => n + (o.price.payFen as number), 0)
      expect({ day: d.day, paidOrders: d.paidOrders, paidFen: d.paidFen, refundedFen: d.refundedFen, netFen: d.netFen }).toEqual({ day: d.day, paidOrders: paid.length, paidFen, refundedFen, netFen: paidFen - refundedFen })
      expect(d.checkins).toBe(await db().collection('checkins').countDocuments({ day: d.day }))
      expect(d.newMembers).toBe(await db().collection('users').countDocuments({ createdAt: range }))
      expect(d.pickups).toBe(await db().collection('orders').countDocuments({ completedAt: range }))
      expect(d.redemptions).toBe(await db().collection('vouchers').countDocuments({ redeemedAt: range }))
      paidOrders += d.paidOrders
    }
    expect(paidOrders).toBeGreaterThan(10) // the history really shows on the cards
    // 增长趋势 shows the same days' new members and money as the cards.
    const trend = (await t.http.get('/api/admin/analytics/trend').query({ from: overview.days[0].day, to: overview.days[overview.days.length - 2].day }).set(admin.auth).expect(200)).body
    for (const d of trend.days) {
      const card = overview.days.find((c: { day: string }) => c.day === d.day)
      expect({ day: d.day, newMembers: d.newMembers, paidFen: d.paidFen, netFen: d.netFen }).toEqual({ day: d.day, newMembers: card.newMembers, paidFen: card.paidFen, netFen: card.netFen })
    }
  })

  it('签到 counts the check-ins the members made, day by day', async () => {
    const admin = await operatorLogin(t)
    const from = addDays(TODAY, -DAYS)
    const report = (await t.http.get('/api/admin/analytics/checkins').query({ from, to: addDays(TODAY, -1) }).set(admin.auth).expect(200)).body
    for (const d of report.days) expect(d.checkins + d.makeups).toBe(await db().collection('checkins').countDocuments({ day: d.day }))
    expect(report.days.reduce((n: number, d: { checkins: number }) => n + d.checkins, 0)).toBeGreaterThan(10)
  })

  it("RFM and each member's page agree with the members' paid orders", async () => {
    const admin = await operatorLogin(t)
    const to = addDays(TODAY, -1)
    const rfm = (await t.http.get('/api/admin/analytics/rfm').query({ to }).set(admin.auth).expect(200)).body
    const from = startOfBusinessDay(addDays(to, -(rfm.windowDays - 1)), TZ)
    const paid = await db().collection('orders').find({ paidAt: { $gte: from, $lt: startOfBusinessDay(TODAY, TZ) } }, { projection: { userId: 1, price: 1 } }).toArray()
    const byMember = new Map<string, { orders: number; fen: number }>()
    for (const o of paid) {
      const m = byMember.get(String(o.userId)) ?? { orders: 0, fen: 0 }
      m.orders++
      m.fen += o.price.payFen as number
      byMember.set(String(o.userId), m)
    }
    expect(rfm.segments.reduce((n: number, s: { members: number }) => n + s.members, 0)).toBe(byMember.size)
    expect(rfm.segments.reduce((n: number, s: { paidFen: number }) => n + s.paidFen, 0)).toBe([...byMember.values()].reduce((n, m) => n + m.fen, 0))
    // Each member of each cell: the 会员 list and their page show what their orders say.
    for (const s of rfm.segments.filter((x: { members: number }) => x.members > 0)) {
      const listed = (await t.http.get('/api/admin/members').query({ segment: s.segment, day: to, limit: 100 }).set(admin.auth).expect(200)).body
      expect(listed.total).toBe(s.members)
      for (const row of listed.members) {
        expect(row.growth.rfm).toMatchObject({ segment: s.segment, orders: byMember.get(row.id)!.orders, paidFen: byMember.get(row.id)!.fen })
        const orders = (await t.http.get(`/api/admin/members/${row.id}/orders`).query({ limit: 100 }).set(admin.auth).expect(200)).body.orders
        expect(orders.filter((o: { paidAt: string | null }) => o.paidAt).length).toBeGreaterThanOrEqual(byMember.get(row.id)!.orders)
      }
    }
  })

  it('积分: each member’s balance is their ledger, and 积分负债 is everyone’s unexpired points', async () => {
    const admin = await operatorLogin(t)
    await t.services.reports.refreshPointsLiability(now)
    const liability = (await t.http.get('/api/admin/analytics/points-liability').set(admin.auth).expect(200)).body
    const members = await db().collection('users').find({}, { projection: { _id: 1 } }).toArray()
    let available = 0
    for (const m of members) available += Math.max(0, (await t.services.points.summary(String(m._id as Types.ObjectId))).available)
    expect(liability.outstanding.points).toBe(available)
    expect(available).toBeGreaterThan(0)
  })

  it("the bench's bulk history writes only documents of the shapes the services write (members and their events)", async () => {
    const serviceUsers = await db().collection('users').find({}).toArray()
    const serviceEvents = await findEvents({})
    await writeSyntheticHistory({ members: 40, days: DAYS, endDay: addDays(TODAY, -1), timeZone: TZ, seed: 11 }, { fold: false })
    const serviceIds = new Set(serviceUsers.map((u) => String(u._id)))
    const bulkUsers = (await db().collection('users').find({}).toArray()).filter((u) => !serviceIds.has(String(u._id)))
    const bulkEvents = (await findEvents({})).filter((e) => e.userId && !serviceIds.has(String(e.userId)))
    expect(bulkUsers.length).toBe(40)
    const problems = [...sameShapes('users', bulkUsers, serviceUsers.filter((u) => (u.roles as string[]).join() === 'shopper'))]
    const names = new Set(bulkEvents.map((e) => e.name))
    let compared = 0
    for (const name of names) {
      const written = serviceEvents.filter((e) => e.name === name)
      if (!written.length) continue
      compared++
      problems.push(...sameShapes(`event ${name}`, bulkEvents.filter((e) => e.name === name), written))
    }
    expect(problems).toEqual([])
    expect(compared).toBeGreaterThanOrEqual(6) // register, visit, product_view, checkin, payment, pickup at least
  })
})

/**
 * Where documents written in bulk differ in shape from documents the services wrote: a field the
 * services always write that a bulk one lacks, a field no service-written one has, or a value of
 * another type (null and absent fit any, as the services write them for fields not yet set).
 */
function* sameShapes(what: string, bulk: readonly unknown[], written: readonly unknown[], path = ''): Generator<string> {
  const kind = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? 'date' : v instanceof Types.ObjectId ? 'objectId' : Array.isArray(v) ? 'array' : typeof v)
  const objects = (vs: readonly unknown[]) => vs.filter((v) => kind(v) === 'object') as Array<Record<string, unknown>>
  const kinds = new Set(written.map(kind).filter((k) => k !== null))
  for (const k of new Set(bulk.map(kind).filter((k) => k !== null))) if (kinds.size && !kinds.has(k)) yield `${what}: ${path || '(document)'} is ${k}, the services write ${[...kinds].join('/')}`
  const [b, w] = [objects(bulk), objects(written)]
  if (!b.length || !w.length) return
  const always = [...new Set(w.flatMap(Object.keys))].filter((k) => w.every((o) => k in o))
  const ever = new Set(w.flatMap(Object.keys))
  for (const k of always) if (b.some((o) => !(k in o))) yield `${what}: ${path}${k} missing`
  for (const k of new Set(b.flatMap(Object.keys))) {
    if (!ever.has(k)) yield `${what}: ${path}${k} is not written by the services`
    else yield* sameShapes(what, b.map((o) => o[k]), w.map((o) => o[k]), `${path}${k}.`)
  }
  const arrays = (vs: readonly unknown[]) => (vs.filter(Array.isArray) as unknown[][]).flat()
  if (arrays(bulk).length && arrays(written).length) yield* sameShapes(what, arrays(bulk), arrays(written), `${path}[].`)
}
