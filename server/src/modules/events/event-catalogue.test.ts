import { EVENT_CATALOGUE } from '@xianlin/shared'
import { countCommands, devLogin, startTestApp, type TestApp } from '../../../test/harness'
import { groupbuyFixtures } from '../../../test/groupbuy-fixtures'
import { findEvents } from './event.model'

const DAY = 86_400_000
let now = new Date('2026-11-23T04:00:00Z')
let t: TestApp
const f = groupbuyFixtures(() => t, () => now)
beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now, fakePay: true })
  await f.setUp()
})
afterAll(() => t.close())

const eventsOf = async (userId: string) => (await findEvents({ userId })).map((e) => ({ name: e.name, props: e.props as Record<string, unknown>, day: e.day }))

describe('the event catalogue', () => {
  it('records each new member with the channel that first brought them', async () => {
    const inviter = await devLogin(t, { nickname: '渠道邀请人' })
    const code = (await t.http.get('/api/invites').set(inviter.auth).expect(200)).body.code
    const cases: Array<[Record<string, string> | undefined, string]> = [
      [{ inviter: code, shareId: 'a1b2c3d4e5f6a7b8c9d0e1f2' }, 'share_card'],
      [{ inviter: code }, 'invite'],
      [{ scene: `i_${code}` }, 'poster'],
      [{ scene: 'l_ABCDEFGH' }, 'leader'],
      [undefined, 'organic'],
    ]
    for (const [i, [attribution, channel]] of cases.entries()) {
      const m = await devLogin(t, { nickname: `渠道新人${i}`, ...(attribution ? { attribution } : {}) })
      expect((await eventsOf(m.user.id)).find((e) => e.name === 'register')).toMatchObject({ props: { source: 'dev', channel }, day: '2026-11-23' })
    }
  })

  it('follows a member through coupon, payment, pickup, refund and a make-up, each event once with its properties and business day', async () => {
    const me = await f.shopper('事件会员')
    const tpl = await t.http.post('/api/admin/coupon-templates').set(f.admin.auth).send({ name: '事件立减券', kind: 'amount', amountFen: 300, minSpendFen: 0, scope: 'all', validity: { kind: 'relative', days: 30 } }).expect(201)
    const couponId = (await t.http.post('/api/admin/coupons/grant').set(f.admin.auth).send({ templateId: tpl.body.template.id, userId: me.user.id, idempotencyKey: `event-${me.user.id}` }).expect(200)).body.coupon.id
    const placed = (await f.checkout(me, { productId: f.productId, quantity: 1, couponId }).expect(201)).body
    await t.fakePay!.pay(placed.payment.package.replace('prepay_id=', ''))
    const clerk = await f.staffAt(f.storeId, '事件店员')
    const code = (await t.http.get(`/api/orders/${placed.order.id}`).set(me.auth).expect(200)).body.order.pickupCode
    await t.http.post('/api/staff/pickups').set(clerk.auth).send({ code }).expect(200)
    now = new Date(now.getTime() + DAY)
    await t.http.post(`/api/admin/orders/${placed.order.id}/refund`).set(f.admin.auth).send({ reason: '顾客要求退款', idempotencyKey: 'catalogue-refund' }).expect(200)
    await new Promise((r) => setTimeout(r, 200)) // the refund notification arrives as well
    await t.services.orders.refundSucceeded(placed.order.id)
    await t.services.points.earn({ userId: me.user.id, amount: 100, source: 'admin', key: `event-points-${me.user.id}` })
    // The day it registered, which it missed (no make-up goes before registration).
    await t.http.post('/api/checkins/makeup').set(me.auth).send({ date: '2026-11-23' }).expect(201)

    const seen = await eventsOf(me.user.id)
    const orderId = placed.order.id
    // The clock stands still within a day, so the order is by name, not by time.
    const byName = (list: typeof seen) => [...list].sort((a, b) => a.name.localeCompare(b.name))
    expect(byName(seen.filter((e) => e.name !== 'login'))).toEqual(byName([
      { name: 'register', props: { source: 'dev', channel: 'organic' }, day: '2026-11-23' },
      { name: 'coupon_granted', props: { couponId, templateId: tpl.body.template.id, source: 'admin' }, day: '2026-11-23' },
      { name: 'basket_order', props: { orderId, lines: 1, units: 1, fen: placed.order.price.payFen }, day: '2026-11-23' },
      { name: 'payment', props: { orderId, fen: placed.order.price.payFen }, day: '2026-11-23' },
      { name: 'coupon_used', props: { couponId, orderId }, day: '2026-11-23' },
      { name: 'pickup', props: { orderId, at: 'store' }, day: '2026-11-23' },
      { name: 'refund', props: { orderId, fen: placed.order.price.payFen, afterPickup: true }, day: '2026-11-24' },
      { name: 'makeup', props: { day: '2026-11-23', costPoints: 20 }, day: '2026-11-24' },
    ]))
    // Every stored event is one the catalogue describes, with exactly its properties.
    for (const e of seen) expect(EVENT_CATALOGUE[e.name as keyof typeof EVENT_CATALOGUE].props.safeParse(e.props).success).toBe(true)
  })

  it('stamps each event with its member\'s lifecycle tier at the time, and the new tier once it changes', async () => {
    now = new Date('2026-11-23T04:00:00Z')
    const me = await devLogin(t, { nickname: '分层会员' })
    const visit = (at: Date) => t.services.events.track({ userId: me.user.id, name: 'visit', props: { page: 'home' }, at })
    await visit(now) // before any stamp: registered today, so 新客
    await t.services.events.rollupRecent(now) // folds today and stamps today's tiers
    await visit(new Date(now.getTime() + 20 * 60_000))
    // 40 days later, never seen since: 沉默 (30–45 days) once the job stamps it.
    now = new Date(now.getTime() + 40 * DAY)
    await t.services.events.rollupRecent(now)
    await visit(now)
    const tiers = (await findEvents({ userId: me.user.id })).map((e) => [e.name, e.tier])
    expect(tiers).toEqual([
      ['register', 'new'],
      ['login', 'new'],
      ['visit', 'new'],
      ['visit', 'new'],
      ['visit', 'silent_early'],
    ])
  })

  it('records a batch in a few commands, each event with its own member\u2019s tier, and keyed ones once however often sent', async () => {
    now = new Date('2026-11-23T04:00:00Z')
    const [a, b] = [await devLogin(t, { nickname: '批量甲' }), await devLogin(t, { nickname: '批量乙' })]
    // An hour and three hours on: past the tier the sign-ins cached (10 minutes of event time).
    const [later, latest] = [new Date(now.getTime() + 3_600_000), new Date(now.getTime() + 3 * 3_600_000)]
    const batch = [
      { userId: a.user.id, name: 'visit' as const, props: { page: 'home' }, at: latest, key: `batch:a:2:${a.user.id}` },
      { userId: a.user.id, name: 'visit' as const, props: { page: 'mall' }, at: later, key: `batch:a:1:${a.user.id}` },
      { userId: b.user.id, name: 'visit' as const, props: { page: 'home' }, at: later, key: `batch:b:${b.user.id}` },
      { userId: b.user.id, name: 'pickup' as const, props: { orderId: 'not-an-id', at: 'moon' } as never, at: later },
      { userId: null, name: 'visit' as const, props: { page: 'home' }, at: later, key: `batch:anonymous:${a.user.id}` },
    ]
    // The tiers' stamps, the registrations of those without one, the day's events.
    expect((await countCommands(() => t.services.events.trackMany(batch))).commands).toBe(3)
    await t.services.events.trackMany(batch)
    const visits = async (userId: string) => (await findEvents({ userId, name: 'visit' })).map((e) => [(e.props as { page: string }).page, e.tier])
    expect(await visits(a.user.id)).toEqual([
      ['mall', 'new'],
      ['home', 'new'],
    ])
    expect(await visits(b.user.id)).toEqual([['home', 'new']])
    expect((await eventsOf(b.user.id)).filter((e) => e.name === 'pickup')).toEqual([])
  })

  it('does not record an event whose properties are not the catalogue\'s', async () => {
    const me = await devLogin(t, { nickname: '坏事件' })
    await t.services.events.track({ userId: me.user.id, name: 'pickup', props: { orderId: 'not-an-id', at: 'moon' } as never, at: now })
    expect((await eventsOf(me.user.id)).filter((e) => e.name === 'pickup')).toEqual([])
  })
})
