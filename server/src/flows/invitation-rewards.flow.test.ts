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
    const refunds = await Promise.all([1, 2, 3].map(() => t.http.post(`/api/admin/orders/${first}/refund`).set(f.admin.auth)))
    expect(refunds.filter((r) => r.status === 200)).toHaveLength(1)
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
