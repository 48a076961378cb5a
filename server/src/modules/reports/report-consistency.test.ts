import mongoose from 'mongoose'
import { randomBytes } from 'node:crypto'
import { LIFECYCLE_TIERS, addDays, businessDay, startOfBusinessDay } from '@xianlin/shared'
import { seededRandom } from '../../lib/seeded-random'
import { devLogin, staffOf, startTestApp, type TestApp } from '../../../test/harness'
import { shopFixtures, type Person } from '../../../test/shop-fixtures'
import { rollupDay } from '../events/daily-metrics'
import { PointEntryModel } from '../points/point-entry.model'

/**
 * A scripted fortnight through the HTTP API on a test clock — sign-ups from friends' invitations,
 * check-ins and make-ups, baskets and 2-person group-buys paid and sometimes refunded, groups left
 * to fail, pickups at the desk — each night closed by the jobs; then 概览, 签到, 拼团, 邀请裂变, RFM with
 * its member list and every member's page compared with counts made here from the raw documents.
 */
const TZ = 'Asia/Shanghai'
const FIRST = '2026-11-02'
const DAYS = 14
let now = new Date(`${FIRST}T08:00:00+08:00`)
let t: TestApp
const f = shopFixtures(() => t)
beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now, fakePay: true })
  await f.setUp()
})
afterAll(() => t.close())

const at = (day: number, hour: number, minute = 0) => new Date(startOfBusinessDay(addDays(FIRST, day), TZ).getTime() + (hour * 60 + minute) * 60_000)
const db = () => mongoose.connection.db!
const key = () => randomBytes(8).toString('hex')
const dayRange = (day: string) => ({ $gte: startOfBusinessDay(day, TZ), $lt: startOfBusinessDay(addDays(day, 1), TZ) })

describe('a fortnight through the API, then every report against the raw documents', () => {
  it('agree to the member and the fen', async () => {
    const rand = seededRandom(36)
    const products = [await f.product('草莓', 4590), await f.product('西兰花', 990), await f.product('鸡蛋', 3280)]
    const activity = (await t.http.post('/api/admin/groupbuys').set(f.admin.auth).send({ productId: products[0], startsAt: at(0, 7).toISOString(), endsAt: at(DAYS, 7).toISOString(), stock: 500, tiers: [{ size: 2, priceFen: 3990 }] }).expect(201)).body.activity.id
    const clerk = await staffOf(t, f.admin, f.storeId, '核对店员')
    const members: Person[] = []
    let waiting: Array<{ who: Person; orderId: string }> = []
    const api = t.http
    const pay = async (who: Person, body: Record<string, unknown>) => {
      const res = await api.post('/api/orders').set(who.auth).send({ storeId: f.storeId, idempotencyKey: key(), ...body })
      if (res.status !== 201) return null
      await t.fakePay!.pay(res.body.payment.package.replace('prepay_id=', ''))
      return res.body.order as { id: string; groupId: string | null }
    }

    for (let day = 0; day < DAYS; day++) {
      const today = addDays(FIRST, day)
      // Yesterday's orders: most handed over at the desk, some refunded whole by an operator.
      now = at(day, 17)
      for (const w of waiting) {
        const order = (await api.get(`/api/orders/${w.orderId}`).set(w.who.auth).expect(200)).body.order
        if (!order.pickupCode) continue
        if (rand() < 0.15) await api.post(`/api/admin/orders/${w.orderId}/refund`).set(f.admin.auth).send({ reason: '对账测试退款', idempotencyKey: key() }).expect(200)
        else if (rand() < 0.9) await api.post('/api/staff/pickups').set(clerk.auth).send({ code: order.pickupCode, storeId: f.storeId }).expect(200)
      }
      waiting = []

      // Newcomers, a third of them through a friend's invitation.
      now = at(day, 9)
      for (let i = 0; i < 4; i++) {
        const inviter = members.length && rand() < 0.35 ? members[Math.floor(rand() * members.length)]! : null
        const code = inviter ? (await api.get('/api/invites').set(inviter.auth).expect(200)).body.code : null
        members.push(await devLogin(t, { nickname: `对账${day}_${i}`, ...(code ? { attribution: { inviter: code } } : {}) }))
      }

      // Habits: check in (or make up yesterday), fill a basket, open a group a friend may join.
      for (const m of members) {
        now = at(day, 10, Math.floor(rand() * 50))
        const r = rand()
        if (r < 0.55) await api.post('/api/checkins').set(m.auth).expect(201)
        else if (r < 0.65 && day > 0 && addDays(today, -1).slice(0, 7) === today.slice(0, 7)) await api.post('/api/checkins/makeup').set(m.auth).send({ date: addDays(today, -1) })
        if (rand() < 0.25) {
          now = at(day, 12, Math.floor(rand() * 50))
          const lines = products.filter(() => rand() < 0.6).map((productId) => ({ productId, quantity: 1 + Math.floor(rand() * 2) }))
          const order = lines.length ? await pay(m, { lines }) : null
          if (order) waiting.push({ who: m, orderId: order.id })
        } else if (rand() < 0.1) {
          now = at(day, 14, Math.floor(rand() * 50))
          const opened = await pay(m, { activityId: activity, tierSize: 2 })
          if (!opened) continue
          waiting.push({ who: m, orderId: opened.id })
          const friend = members[Math.floor(rand() * members.length)]!
          if (friend !== m && rand() < 0.7) {
            now = new Date(now.getTime() + 30 * 60_000)
            const joined = await pay(friend, { activityId: activity, groupId: opened.groupId })
            if (joined) waiting.push({ who: friend, orderId: joined.id })
          }
        }
      }

      // Night: the jobs, at this day's time (groups past their hours fail and are refunded).
      now = at(day, 23, 55)
      await t.services.checkin.settle(now)
      await t.services.orders.settleGroups(now)
      await t.services.points.releaseDuePending(now)
      await rollupDay(today)
    }
    now = at(DAYS, 10)
    const lastDay = addDays(FIRST, DAYS - 1)
    await t.services.orders.settleGroups(now)
    await rollupDay(lastDay)
    await rollupDay(addDays(FIRST, DAYS))
    const get = async (path: string, query: Record<string, unknown> = {}) => (await api.get(path).query(query).set(f.admin.auth).expect(200)).body

    // 概览: each card of each day.
    const overview = await get('/api/admin/overview', { days: DAYS + 1 })
    let paidOrders = 0
    for (const d of overview.days) {
      const range = dayRange(d.day)
      const paid = await db().collection('orders').find({ paidAt: range }).toArray()
      const refunds = await db().collection('refunds').find({ succeededAt: range }).toArray()
      const paidFen = paid.reduce((n, o) => n + (o.price.payFen as number), 0)
      const refundedFen = refunds.reduce((n, r) => n + (r.fen as number), 0)
      expect(d).toEqual({
        day: d.day,
        newMembers: await db().collection('users').countDocuments({ createdAt: range }),
        checkins: await db().collection('checkins').countDocuments({ kind: 'daily', day: d.day }),
        paidOrders: paid.length,
        paidFen,
        refundedFen,
        netFen: paidFen - refundedFen,
        groupsSucceeded: await db().collection('groups').countDocuments({ state: 'succeeded', endedAt: range }),
        redemptions: 0,
        pickups: await db().collection('orders').countDocuments({ completedAt: range }),
      })
      paidOrders += d.paidOrders
    }
    expect(paidOrders).toBeGreaterThan(20)

    // 签到: check-ins and make-ups of each day, as the members made them.
    const checkins = await get('/api/admin/analytics/checkins', { from: FIRST, to: lastDay })
    expect(checkins.days.reduce((n: number, d: { makeups: number }) => n + d.makeups, 0)).toBeGreaterThan(0)
    for (const d of checkins.days) {
      expect({ day: d.day, checkins: d.checkins, makeups: d.makeups }).toEqual({
        day: d.day,
        checkins: await db().collection('checkins').countDocuments({ kind: 'daily', day: d.day }),
        makeups: await db().collection('checkins').countDocuments({ kind: 'makeup', createdAt: dayRange(d.day) }),
      })
    }

    // 拼团: groups that ended, filled or failed, per activity.
    const groupbuys = await get('/api/admin/analytics/groupbuys', { from: FIRST, to: addDays(FIRST, DAYS) })
    const window = { $gte: startOfBusinessDay(FIRST, TZ), $lt: startOfBusinessDay(addDays(FIRST, DAYS + 1), TZ) }
    const row = groupbuys.rows.find((r: { activityId: string }) => r.activityId === activity)
    expect({ succeeded: row.succeeded, failed: row.failed }).toEqual({
      succeeded: await db().collection('groups').countDocuments({ state: 'succeeded', endedAt: window }),
      failed: await db().collection('groups').countDocuments({ state: 'failed', endedAt: window }),
    })
    expect(row.failed).toBeGreaterThan(0)

    // 邀请裂变: members brought by friends.
    const invitations = await get('/api/admin/analytics/invitations', { from: FIRST, to: lastDay })
    const referred = invitations.weeks.reduce((n: number, w: { referredMembers: number }) => n + w.referredMembers, 0)
    expect(referred).toBe(await db().collection('referral_bindings').countDocuments({}))
    expect(referred).toBeGreaterThan(5)

    // 用户分层: every member is in one tier on the last day.
    const lifecycle = await get('/api/admin/analytics/lifecycle', { from: addDays(lastDay, -7), to: lastDay })
    const counts = lifecycle.points[lifecycle.points.length - 1].counts
    expect(LIFECYCLE_TIERS.reduce((n, tier) => n + counts[tier], 0)).toBe(members.length + 1) // and the clerk

    // RFM, its cells in 会员, and each member's page, against the members' paid orders.
    const rfm = await get('/api/admin/analytics/rfm', { to: lastDay })
    const paid = await db().collection('orders').find({ paidAt: { $gte: startOfBusinessDay(addDays(lastDay, -(rfm.windowDays - 1)), TZ), $lt: startOfBusinessDay(addDays(lastDay, 1), TZ) } }).toArray()
    const byMember = new Map<string, { orders: number; paidFen: number }>()
    for (const o of paid) {
      const m = byMember.get(String(o.userId)) ?? { orders: 0, paidFen: 0 }
      byMember.set(String(o.userId), { orders: m.orders + 1, paidFen: m.paidFen + (o.price.payFen as number) })
    }
    expect(rfm.segments.reduce((n: number, s: { members: number }) => n + s.members, 0)).toBe(byMember.size)
    for (const s of rfm.segments) {
      const listed = await get('/api/admin/members', { segment: s.segment, day: lastDay, limit: 100 })
      expect(listed.total).toBe(s.members)
      expect(listed.members.reduce((n: number, m: { growth: { rfm: { paidFen: number } } }) => n + m.growth.rfm.paidFen, 0)).toBe(s.paidFen)
      for (const m of listed.members) expect(m.growth.rfm).toMatchObject({ segment: s.segment, ...byMember.get(m.id) })
    }
    now = at(DAYS - 1, 23, 59) // the member page reads as of its own today
    expect(businessDay(now, TZ)).toBe(lastDay)
    for (const m of members) {
      const page = await get(`/api/admin/members/${m.user.id}`)
      expect(page.growth.rfm ? { orders: page.growth.rfm.orders, paidFen: page.growth.rfm.paidFen } : undefined).toEqual(byMember.get(m.user.id))
      const last = await PointEntryModel.findOne({ ownerId: m.user.id }).sort({ seq: -1 }).lean()
      expect(page.points.available).toBe(last?.available ?? 0)
    }
  }, 600_000)
})
