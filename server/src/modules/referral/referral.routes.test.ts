import { devLogin, startTestApp, type TestApp, operatorLogin } from '../../../test/harness'
import { AuditLogModel } from '../audit/audit-log.model'
import { CouponModel } from '../coupons/coupon.model'
import { PointEntryModel } from '../points/point-entry.model'
import { ReferralBindingModel } from './referral.model'

let now = new Date('2026-11-23T02:00:00Z')
let t: TestApp
let admin: Awaited<ReturnType<typeof devLogin>>
beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now })
  admin = await operatorLogin(t)
})
afterAll(() => t.close())

let n = 0
const person = (attribution?: Record<string, string>) => devLogin(t, { nickname: `邀请${++n}`, ...(attribution ? { attribution } : {}) })
const codeOf = async (p: { auth: Record<string, string> }) => (await t.http.get('/api/invites').set(p.auth).expect(200)).body.code as string
const refusals = async (userId: string) =>
  (await AuditLogModel.find({ action: 'referral.bind', targetId: userId, outcome: 'refused' }).lean()).map((a) => (a.details as { reason: string }).reason)
const pointsOf = async (userId: string) => (await t.services.points.summary(userId)).available

describe('binding an invitee', () => {
  it('binds a new user to the inviter of the link opened before the first login, permanently', async () => {
    const a = await person()
    const code = await codeOf(a)
    expect(code).toMatch(/^[0-9A-Z]{8}$/)
    const b = await person({ inviter: code })
    expect(await ReferralBindingModel.findById(b.user.id).lean()).toMatchObject({ inviterId: expect.anything() })
    // A second inviter afterwards is ignored, and the refusal recorded.
    const c = await person()
    await t.http.post('/api/invites/bind').set(b.auth).send({ inviter: await codeOf(c) }).expect(200, { bound: false, reason: 'ALREADY_BOUND' })
    expect(String((await ReferralBindingModel.findById(b.user.id).lean())!.inviterId)).toBe(a.user.id)
    expect(await refusals(b.user.id)).toEqual(['ALREADY_BOUND'])
    expect((await t.http.get('/api/invites').set(a.auth)).body).toMatchObject({ invited: 1, friends: [{ name: expect.stringContaining('*'), state: 'registered' }] })
  })

  it("names an invite link's inviter (masked) and the new member's gift to a visitor, and nothing for a made-up code", async () => {
    const a = await devLogin(t, { nickname: '邀请人小王' })
    const code = await codeOf(a)
    const landing = (await t.http.get(`/api/invites/${code.toLowerCase()}`).expect(200)).body.invitation
    expect(landing).toEqual({ inviter: '邀***王', inviteeCouponFen: 1000 })
    expect((await t.http.get('/api/invites/ZZZZZZZZ').expect(404)).body.error.code).toBe('INVITE_CODE_UNKNOWN')
    await t.http.get('/api/invites/not-a-code').expect(400)
  })

  it('refuses a self-invite, a cycle and a user registered more than 24 h ago, recording each reason', async () => {
    const a = await person()
    const codeA = await codeOf(a)
    await t.http.post('/api/invites/bind').set(a.auth).send({ inviter: codeA }).expect(200, { bound: false, reason: 'SELF' })

    const b = await person({ inviter: codeA }) // A → B
    await t.http.post('/api/invites/bind').set(a.auth).send({ inviter: await codeOf(b) }).expect(200, { bound: false, reason: 'CYCLE' })
    expect(await refusals(a.user.id)).toEqual(expect.arrayContaining(['SELF', 'CYCLE']))

    const old = await person()
    now = new Date(now.getTime() + 25 * 3600 * 1000)
    await t.http.post('/api/invites/bind').set(old.auth).send({ inviter: codeA }).expect(200, { bound: false, reason: 'TOO_LATE' })
    expect(await refusals(old.user.id)).toEqual(['TOO_LATE'])
    expect(await ReferralBindingModel.exists({ _id: old.user.id })).toBeNull()
  })

  it('attributes a poster scan through the QR scene at first login', async () => {
    const a = await person()
    const b = await person({ scene: `i_${await codeOf(a)}` })
    expect(String((await ReferralBindingModel.findById(b.user.id).lean())!.inviterId)).toBe(a.user.id)
  })
})

describe('invitation rewards', () => {
  it('pays inviter and invitee once each for 20 concurrent "first order completed" calls', async () => {
    const a = await person()
    const b = await person({ inviter: await codeOf(a) })
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.http.post('/api/admin/referral/order-completed').set(admin.auth).send({ userId: b.user.id, orderId: `order-${i}` }),
      ),
    )
    expect(await PointEntryModel.countDocuments({ ownerId: a.user.id, source: 'invite' })).toBe(1)
    expect(await pointsOf(a.user.id)).toBe(100)
    expect(await CouponModel.countDocuments({ userId: b.user.id, source: 'invite' })).toBe(1)
  })

  it('pays the inviter for the invitee binding a phone number, once', async () => {
    const a = await person()
    const b = await person({ inviter: await codeOf(a) })
    await Promise.all([1, 2, 3].map(() => t.http.post('/api/admin/referral/phone-bound').set(admin.auth).send({ userId: b.user.id }).expect(204)))
    expect(await pointsOf(a.user.id)).toBe(50)
  })

  it('pays the 3-invitation milestone once, on the third successful invitation', async () => {
    const a = await person()
    const code = await codeOf(a)
    const friends = [await person({ inviter: code }), await person({ inviter: code }), await person({ inviter: code })]
    for (const [i, f] of friends.entries()) {
      await t.services.referral.orderCompleted(f.user.id, `o-${i}`)
      await t.services.referral.orderCompleted(f.user.id, `o-${i}-again`)
    }
    const milestones = await PointEntryModel.find({ ownerId: a.user.id, key: { $regex: '^invite:milestone:' } }).lean()
    expect(milestones.map((m) => m.amount)).toEqual([100])
    expect(await pointsOf(a.user.id)).toBe(3 * 100 + 100)
    expect((await t.http.get('/api/invites').set(a.auth)).body).toMatchObject({ succeeded: 3, milestones: [{ invitations: 3, reached: true }, { reached: false }, { reached: false }] })
  })

  it('keeps referral admin hooks to admins', async () => {
    const b = await person()
    await t.http.post('/api/admin/referral/order-completed').set(b.auth).send({ userId: b.user.id, orderId: 'x' }).expect(401)
  })
})

describe('shares', () => {
  it('earns the sharer points when someone else opens the share, once per opener, never for their own open', async () => {
    const sharer = await person()
    const share = await t.http.post('/api/shares').set(sharer.auth).send({ page: 'pages/mall/index' }).expect(201)
    expect(share.body.path).toMatch(/^\/pages\/mall\/index\?inviter=[0-9A-Z]{8}&shareId=[0-9a-f]{24}$/)
    const open = (p: { auth: Record<string, string> }) => t.http.post(`/api/shares/${share.body.shareId}/open`).set(p.auth).expect(200)
    expect((await open(sharer)).body).toEqual({ counted: false, reward: null })
    const friend = await person()
    expect((await open(friend)).body).toEqual({ counted: true, reward: { paid: true, points: 10 } })
    expect((await open(friend)).body).toEqual({ counted: false, reward: null })
    expect((await open(await person())).body.counted).toBe(true)
    expect(await pointsOf(sharer.user.id)).toBe(10)
  })

  it('pays at most 3 effective shares a day', async () => {
    const sharer = await person()
    const opener = await person()
    const results = []
    for (let i = 0; i < 4; i++) {
      const share = await t.http.post('/api/shares').set(sharer.auth).send({ page: 'pages/index/index' }).expect(201)
      results.push((await t.http.post(`/api/shares/${share.body.shareId}/open`).set(opener.auth).expect(200)).body.reward)
    }
    expect(results.slice(0, 3)).toEqual(Array(3).fill({ paid: true, points: 10 }))
    expect(results[3]).toEqual({ paid: false, reason: 'DAILY_CAP' })
    expect(await pointsOf(sharer.user.id)).toBe(30)
  })
})
