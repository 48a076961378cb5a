import mongoose from 'mongoose'
import { randomBytes } from 'node:crypto'
import { CAMPAIGN_TEMPLATES, LIFECYCLE_TIERS, RETENTION_OFFSETS, addDays, businessDay, isoWeek, startOfBusinessDay } from '@xianlin/shared'
import { seededRandom } from '../../lib/seeded-random'
import { devLogin, staffOf, startTestApp, type TestApp } from '../../../test/harness'
import { shopFixtures, type Person } from '../../../test/shop-fixtures'
import { rollupDay } from '../events/daily-metrics'
import { PointEntryModel } from '../points/point-entry.model'

/**
 * A scripted fortnight through the HTTP API on a test clock — sign-ups from friends' invitations,
 * check-ins and make-ups, baskets and 2-person group-buys paid and sometimes refunded, groups left
 * to fail, pickups at the desk, points spent in the mall and vouchers redeemed, a campaign with a
 * holdout — each night closed by the jobs; then 概览, 增长趋势, 签到, 拼团, 邀请裂变, 留存, 漏斗, 用户分层, RFM with its
 * member list, 积分负债, the campaign's 效果 and every member's page compared with counts made here
 * from the raw documents.
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
    const bag = (await t.http.post('/api/admin/mall/items').set(f.admin.auth).send({ name: '环保购物袋', kind: 'goods', category: '生活', pointsPrice: 5, stock: 500, storeIds: [f.storeId], cover: { emoji: '🛍️', tint: '#e6f7e6' } }).expect(201)).body.item.id
    // A campaign's arms of a few members each may conclude here (the rules' default asks 200).
    const rules = (await t.http.get('/api/admin/rules').set(f.admin.auth).expect(200)).body
    await t.http.put('/api/admin/rules').set(f.admin.auth).send({ baseVersion: rules.version, rules: { ...rules.rules, marketing: { ...rules.rules.marketing, holdoutPercent: 50, minArmMembers: 3 } }, reason: '对账测试' }).expect(200)
    let campaignId = ''
    const members: Person[] = []
    let waiting: Array<{ who: Person; orderId: string }> = []
    let vouchers: string[] = []
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
      for (const code of vouchers) if (rand() < 0.8) await api.post('/api/staff/redemptions').set(clerk.auth).send({ code }).expect(200)
      vouchers = []

      // Newcomers, a third of them through a friend's invitation.
      now = at(day, 9)
      for (let i = 0; i < 4; i++) {
        const inviter = members.length && rand() < 0.35 ? members[Math.floor(rand() * members.length)]! : null
        const code = inviter ? (await api.get('/api/invites').set(inviter.auth).expect(200)).body.code : null
        members.push(await devLogin(t, { nickname: `对账${day}_${i}`, ...(code ? { attribution: { inviter: code } } : {}) }))
      }
      if (day === 4) {
        // A one-off campaign to the new members, half held out; reward none (its 效果 is what counts).
        const template = CAMPAIGN_TEMPLATES.find((c) => c.key === 'welcome')!.campaign
        campaignId = (await api.post('/api/admin/campaigns').set(f.admin.auth).send({ ...template, name: '对账活动', reward: { kind: 'none' }, schedule: 'once' }).expect(201)).body.campaign.id
        await api.post(`/api/admin/campaigns/${campaignId}/run`).set(f.admin.auth).expect(200)
      }

      // Habits: check in (or make up yesterday), fill a basket, open a group a friend may join.
      for (const m of members) {
        now = at(day, 10, Math.floor(rand() * 50))
        const r = rand()
        if (r < 0.55) await api.post('/api/checkins').set(m.auth).expect(201)
        else if (r < 0.65 && day > 0 && addDays(today, -1).slice(0, 7) === today.slice(0, 7)) await api.post('/api/checkins/makeup').set(m.auth).send({ date: addDays(today, -1) })
        if (rand() < 0.08) {
          // Points spent in the mall when the member has them; the voucher is redeemed at the desk tomorrow.
          const redeemed = await api.post(`/api/mall/items/${bag}/redeem`).set(m.auth).send({ idempotencyKey: key() })
          if (redeemed.status === 201) vouchers.push(redeemed.body.voucher.code)
        }
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
        redemptions: await db().collection('vouchers').countDocuments({ redeemedAt: range }),
        pickups: await db().collection('orders').countDocuments({ completedAt: range }),
      })
      paidOrders += d.paidOrders
    }
    expect(paidOrders).toBeGreaterThan(20)
    expect(overview.days.reduce((n: number, d: { redemptions: number }) => n + d.redemptions, 0)).toBeGreaterThan(0)

    // 增长趋势: new and paying members from the rollups, money from the same reader as 概览's cards.
    const trend = await get('/api/admin/analytics/trend', { from: FIRST, to: lastDay })
    for (const d of trend.days) {
      const card = overview.days.find((c: { day: string }) => c.day === d.day)
      const paidThatDay = await db().collection('orders').find({ paidAt: dayRange(d.day) }, { projection: { userId: 1 } }).toArray()
      expect({ day: d.day, newMembers: d.newMembers, payingMembers: d.payingMembers, paidFen: d.paidFen, refundedFen: d.refundedFen, netFen: d.netFen }).toEqual({
        day: d.day,
        newMembers: card.newMembers,
        payingMembers: new Set(paidThatDay.map((o) => String(o.userId))).size,
        paidFen: card.paidFen,
        refundedFen: card.refundedFen,
        netFen: card.netFen,
      })
    }

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

    // Each member's business days of each kind, from the raw documents.
    const dayOf = (d: Date) => businessDay(d, TZ)
    const allOrders = await db().collection('orders').find({}, { projection: { userId: 1, createdAt: 1, paidAt: 1, completedAt: 1 } }).toArray()
    const daysOf = new Map<string, Map<string, Set<string>>>()
    const mark = (kind: string, member: unknown, day: string) => {
      const byMember = daysOf.get(kind) ?? daysOf.set(kind, new Map()).get(kind)!
      const days = byMember.get(String(member)) ?? byMember.set(String(member), new Set()).get(String(member))!
      days.add(day)
    }
    for (const u of await db().collection('users').find({}, { projection: { createdAt: 1 } }).toArray()) mark('register', u._id, dayOf(u.createdAt))
    for (const c of await db().collection('checkins').find({ kind: 'daily' }, { projection: { userId: 1, day: 1 } }).toArray()) mark('checkin', c.userId, c.day)
    for (const o of allOrders) {
      mark('order', o.userId, dayOf(o.createdAt))
      if (o.paidAt) mark('payment', o.userId, dayOf(o.paidAt))
      if (o.completedAt) mark('pickup', o.userId, dayOf(o.completedAt))
    }
    const did = (kind: string, member: string) => [...(daysOf.get(kind)?.get(member) ?? [])].sort()

    // 留存: each weekly cohort's members who came back exactly 1, 7 and 30 days after registering.
    for (const returning of ['checkin', 'payment'] as const) {
      const retention = await get('/api/admin/analytics/retention', { from: FIRST, to: lastDay, returning })
      const cohorts = new Map<string, { week: string; size: number; offsets: Array<{ offset: number; eligible: number; retained: number }> }>()
      for (const [member, days] of daysOf.get('register')!) {
        for (const day of days) {
          if (day < FIRST || day > lastDay) continue
          const cohort = cohorts.get(isoWeek(day)) ?? { week: isoWeek(day), size: 0, offsets: RETENTION_OFFSETS.map((offset) => ({ offset, eligible: 0, retained: 0 })) }
          cohort.size++
          for (const o of cohort.offsets) {
            if (addDays(day, o.offset) > lastDay) continue
            o.eligible++
            if (did(returning, member).includes(addDays(day, o.offset))) o.retained++
          }
          cohorts.set(cohort.week, cohort)
        }
      }
      const shown = retention.cohorts.map((c: { week: string; size: number; offsets: Array<{ offset: number; eligible: number; retained: number }> }) => ({ week: c.week, size: c.size, offsets: c.offsets.map(({ offset, eligible, retained }) => ({ offset, eligible, retained })) }))
      expect(shown).toEqual([...cohorts.values()].sort((a, b) => (a.week < b.week ? -1 : 1)))
      expect(shown.some((c: { offsets: Array<{ retained: number }> }) => c.offsets[0]!.retained > 0)).toBe(true)
    }

    // 漏斗: entered by checking in within the range, then each step no earlier than the one before, within the window.
    const steps = ['checkin', 'order', 'payment', 'pickup']
    const funnel = await get('/api/admin/analytics/funnel', { from: FIRST, to: lastDay, steps: steps.join(','), windowDays: 7 })
    const today = businessDay(now, TZ)
    const reachedSteps = steps.map(() => 0)
    for (const member of daysOf.get('register')!.keys()) {
      const entered = did(steps[0]!, member).find((d) => d >= FIRST && d <= lastDay)
      if (!entered) continue
      let depth = 1
      let stepDay = entered
      for (const kind of steps.slice(1)) {
        const next = did(kind, member).find((d) => d >= stepDay && d <= addDays(entered, 6) && d <= today)
        if (!next) break
        stepDay = next
        depth++
      }
      for (let i = 0; i < depth; i++) reachedSteps[i]!++
    }
    expect(funnel.reached).toEqual(reachedSteps)
    expect(reachedSteps[3]).toBeGreaterThan(0)

    // 积分负债: what the members hold is what their ledgers end with.
    await t.services.reports.refreshPointsLiability(now)
    const liability = await get('/api/admin/analytics/points-liability')
    let held = 0
    for (const member of daysOf.get('register')!.keys()) held += (await PointEntryModel.findOne({ ownerId: member }).sort({ seq: -1 }).lean())?.available ?? 0
    expect(liability.outstanding.points).toBe(held)
    expect(held).toBeGreaterThan(0)

    // The campaign: its counts are its touches; its 效果 counts payments after each (virtual) reach, within the window.
    const touches = await db().collection('campaign_touches').find({ campaignId: new mongoose.Types.ObjectId(campaignId) }).toArray()
    const campaign = (await get('/api/admin/campaigns')).campaigns.find((c: { id: string }) => c.id === campaignId)
    const ofGroup = (group: string) => touches.filter((x) => x.group === group)
    expect(campaign.counts).toEqual({ reached: ofGroup('reached').length, holdout: ofGroup('holdout').length, skipped: ofGroup('skipped').length })
    const uplift = await get(`/api/admin/campaigns/${campaignId}/uplift`)
    const windowMs = uplift.windowDays * 86_400_000
    const arm = (group: string) => ({
      members: ofGroup(group).length,
      converted: ofGroup(group).filter((x) => allOrders.some((o) => String(o.userId) === String(x.userId) && o.paidAt > x.at && o.paidAt.getTime() <= x.at.getTime() + windowMs)).length,
    })
    expect(uplift).toMatchObject({ status: 'concluded', reached: arm('reached'), holdout: arm('holdout'), pending: { reached: 0, holdout: 0 } })
    expect(arm('reached').members + arm('holdout').members).toBeGreaterThanOrEqual(6)

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
