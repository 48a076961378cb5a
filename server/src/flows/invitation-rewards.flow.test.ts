import { startTestApp, type TestApp } from '../../test/harness'
import { fakeWechatEnv, startFakeWechat, wechatSignIn, type FakeWechat } from '../../test/fake-wechat'
import { groupbuyFixtures, type Person } from '../../test/groupbuy-fixtures'
import { AuditLogModel } from '../modules/audit/audit-log.model'
import { CouponModel } from '../modules/coupons/coupon.model'

const DAY = 86_400_000
let now = new Date('2026-11-23T04:00:00Z')
let t: TestApp
let wx: FakeWechat
const f = groupbuyFixtures(() => t, () => now)
let clerk: Person
beforeAll(async () => {
  wx = await startFakeWechat()
  t = await startTestApp(__filename, { clock: () => now, fakePay: true, env: fakeWechatEnv(wx) })
  await f.setUp()
  clerk = await f.staffAt(f.storeId, '邀请店员')
})
afterAll(async () => {
  await t.close()
  await wx.close()
})

const pointsOf = async (p: Person) => (await t.services.points.summary(p.user.id)).available
const codeOf = async (p: Person) => (await t.http.get('/api/invites').set(p.auth).expect(200)).body.code as string
const wechatLogin = (openid: string, body: Record<string, unknown> = {}, unionid?: string): Promise<Person> => wechatSignIn(t.http, wx, openid, { unionid, body })
/** The invitee's solo order, paid and handed over at the store: their first completed order. */
const completedOrder = (who: Person) => f.soloOrder(who, clerk)

describe('invitation rewards through real orders', () => {
  it('cancels the first-order rewards once when the invitee\'s order is refunded inside the window; a later order past the window pays them', async () => {
    const inviter = await f.shopper('邀请人甲')
    const invitee = await wechatLogin('o-invitee-refund', { attribution: { inviter: await codeOf(inviter) } })
    await t.http.post('/api/me/phone').set(invitee.auth).send({ code: wx.issuePhoneCode('13700007777') }).expect(200)
    expect(await pointsOf(inviter)).toBe(50)

    const first = await completedOrder(invitee)
    now = new Date(now.getTime() + 2 * DAY)
    const refunds = await Promise.all([1, 2, 3].map(() => t.http.post(`/api/admin/orders/${first}/refund`).set(f.admin.auth).send({ reason: '顾客要求退款', idempotencyKey: 'refund-first-order' })))
    expect(refunds.map((r) => r.status)).toEqual([200, 200, 200])
    await new Promise((r) => setTimeout(r, 200)) // the refund notification arrives as well
    await t.services.orders.refundSucceeded(first)
    expect(await AuditLogModel.countDocuments({ action: 'referral.reward', targetId: invitee.user.id, outcome: 'cancelled' })).toBe(1)
    now = new Date(now.getTime() + 8 * DAY)
    await t.services.referral.releaseDue(now)
    expect(await pointsOf(inviter)).toBe(50)
    expect(await CouponModel.countDocuments({ userId: invitee.user.id, source: 'invite' })).toBe(0)

    await completedOrder(invitee)
    now = new Date(now.getTime() + 8 * DAY)
    await t.services.referral.releaseDue(now)
    expect(await pointsOf(inviter)).toBe(150)
    expect(await CouponModel.countDocuments({ userId: invitee.user.id, source: 'invite' })).toBe(1)
  })

  it("shows the inviter each friend's real stage: bound, phone bound, ordered, picked up with the day the reward comes, paid; and a refused one with why", async () => {
    const inviter = await wechatLogin('o-stage-inviter', {}, 'u-stage-inviter')
    const code = await codeOf(inviter)
    const page = async () => (await t.http.get('/api/invites').set(inviter.auth).expect(200)).body
    const rewards = (friend: { rewards: Array<{ kind: string; state: string }> }) => Object.fromEntries(friend.rewards.map(({ kind, ...r }) => [kind, r]))

    const friend = await wechatLogin('o-stage-friend', { attribution: { inviter: code } })
    let [seen] = (await page()).friends
    expect(seen.stage).toBe('registered')
    expect(rewards(seen)).toEqual({ phone: { state: 'waiting', points: 50, until: null, reason: null }, first_order: { state: 'waiting', points: 100, until: null, reason: null } })

    await t.http.post('/api/me/phone').set(friend.auth).send({ code: wx.issuePhoneCode('13700006661') }).expect(200)
    ;[seen] = (await page()).friends
    expect(seen.stage).toBe('phone_bound')
    expect(rewards(seen).phone).toEqual({ state: 'paid', points: 50, until: null, reason: null })

    const orderId = await f.soloOrder(friend)
    const paid = await page()
    expect(paid).toMatchObject({ invited: 1, ordered: 1, succeeded: 0 })
    expect(paid.friends[0].stage).toBe('ordered')
    expect(rewards(paid.friends[0]).first_order.state).toBe('waiting')

    const pickupCode = (await t.http.get(`/api/orders/${orderId}`).set(friend.auth).expect(200)).body.order.pickupCode
    await t.http.post('/api/staff/pickups').set(clerk.auth).send({ code: pickupCode }).expect(200)
    ;[seen] = (await page()).friends
    expect(seen.stage).toBe('picked_up')
    expect(rewards(seen).first_order).toEqual({ state: 'pending', points: 100, until: new Date(now.getTime() + 7 * DAY).toISOString(), reason: null })

    now = new Date(now.getTime() + 8 * DAY)
    await t.services.referral.releaseDue(now)
    const settled = await page()
    expect(settled).toMatchObject({ ordered: 1, succeeded: 1 })
    expect(rewards(settled.friends[0]).first_order).toEqual({ state: 'paid', points: 100, until: null, reason: null })

    const twin = await wechatLogin('o-stage-twin', { attribution: { inviter: code } }, 'u-stage-inviter')
    await t.http.post('/api/me/phone').set(twin.auth).send({ code: wx.issuePhoneCode('13700006662') }).expect(200)
    ;[seen] = (await page()).friends
    expect(seen.stage).toBe('phone_bound')
    expect(rewards(seen)).toEqual({ phone: { state: 'refused', points: 50, until: null, reason: 'SAME_UNIONID' }, first_order: { state: 'refused', points: 100, until: null, reason: 'SAME_UNIONID' } })
  })

  it('pays nothing for an invitee signed in with the inviter\'s unionid (the same person, another account), and records why', async () => {
    const inviter = await wechatLogin('o-inviter-union', {}, 'u-same-person')
    const invitee = await wechatLogin('o-invitee-union', { attribution: { inviter: await codeOf(inviter) } }, 'u-same-person')
    await t.http.post('/api/me/phone').set(invitee.auth).send({ code: wx.issuePhoneCode('13700008888') }).expect(200)
    await completedOrder(invitee)
    now = new Date(now.getTime() + 8 * DAY)
    await t.services.referral.releaseDue(now)
    expect(await pointsOf(inviter)).toBe(0)
    const audits = await AuditLogModel.find({ action: 'referral.reward', targetId: invitee.user.id }).lean()
    expect(audits.map((a) => [a.outcome, (a.details as { reason?: string }).reason])).toEqual([['refused', 'SAME_UNIONID']])
  })
})
