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
    expect((await t.http.get('/api/invites').set(a.auth)).body).toMatchObject({ invited: 1, friends: [{ name: expect.stringContaining('*'), stage: 'registered' }] })
  })

  it("names an invite link's inviter (masked) and the new member's gift to a visitor, and nothing for a made-up code", async () => {
    const a = await devLogin(t, { nickname: '邀请人小王' })
    const code = await codeOf(a)
    const landing = (await t.http.get(`/api/invites/${code.toLowerCase()}`).expect(200)).body.invitation
    expect(landing).toEqual({ inviter: '邀***王', inviteeCouponFen: 1000 })
    expect((await t.http.get('/api/invites/ZZZZZZZZ').expect(404)).body.error.code).toBe('INVITE_CODE_UNKNOWN')
    await t.http.get('/api/invites/not-a-code').expect(400)
  })

  it('refuses a self-invite, an inviter who joined later (no cycle can form) and a user registered more than 24 h ago, recording each reason', async () => {
    const a = await person()
    const codeA = await codeOf(a)
    await t.http.post('/api/invites/bind').set(a.auth).send({ inviter: codeA }).expect(200, { bound: false, reason: 'SELF' })

    const b = await person({ inviter: codeA }) // A → B
    await t.http.post('/api/invites/bind').set(a.auth).send({ inviter: await codeOf(b) }).expect(200, { bound: false, reason: 'INVITER_NEWER' })
    expect(await refusals(a.user.id)).toEqual(expect.arrayContaining(['SELF', 'INVITER_NEWER']))

    const old = await person()
    now = new Date(now.getTime() + 25 * 3600 * 1000)
    await t.http.post('/api/invites/bind').set(old.auth).send({ inviter: codeA }).expect(200, { bound: false, reason: 'TOO_LATE' })
    expect(await refusals(old.user.id)).toEqual(['TOO_LATE'])
    expect(await ReferralBindingModel.exists({ _id: old.user.id })).toBeNull()
  })

  it('leaves no cycle when 20 pairs of new members bind each other at the same moment', async () => {
    const pairs = await Promise.all(Array.from({ length: 20 }, async () => [await person(), await person()] as const))
    const codes = await Promise.all(pairs.map(async ([a, b]) => [await codeOf(a), await codeOf(b)] as const))
    await Promise.all(
      pairs.flatMap(([a, b], i) => [
        t.http.post('/api/invites/bind').set(a.auth).send({ inviter: codes[i]![1] }).expect(200),
        t.http.post('/api/invites/bind').set(b.auth).send({ inviter: codes[i]![0] }).expect(200),
      ]),
    )
    for (const [a, b] of pairs) {
      const bound = await ReferralBindingModel.find({ _id: { $in: [a.user.id, b.user.id] } }).lean()
      expect(bound.length).toBeLessThanOrEqual(1)
    }
  })

  it('attributes a poster scan through the QR scene at first login', async () => {
    const a = await person()
    const b = await person({ scene: `i_${await codeOf(a)}` })
    expect(String((await ReferralBindingModel.findById(b.user.id).lean())!.inviterId)).toBe(a.user.id)
  })
})

const DAY = 86_400_000
let phoneSeq = 0
/** A mainland number nobody else in this file has bound. */
const freshPhone = () => `139${String(10_000_000 + ++phoneSeq).slice(-8)}`
const bindPhone = (p: { auth: Record<string, string> }, phoneNumber = freshPhone()) => t.http.post('/api/me/phone').set(p.auth).send({ phoneNumber }).expect(200)
const rewardAudits = async (userId: string) =>
  (await AuditLogModel.find({ action: 'referral.reward', targetId: userId }).sort({ at: 1 }).lean()).map((a) => [a.outcome, (a.details as { reason?: string; reward?: string }).reason ?? (a.details as { reward?: string }).reward])

describe('invitation rewards', () => {
  it('pays the inviter once when the invitee binds a phone number, whatever the double taps', async () => {
    const a = await person()
    const b = await person({ inviter: await codeOf(a) })
    const phone = freshPhone()
    await Promise.all([1, 2, 3, 4, 5].map(() => bindPhone(b, phone)))
    expect(await pointsOf(a.user.id)).toBe(50)
    expect(await rewardAudits(b.user.id)).toEqual([['paid', 'phone']])
    expect((await t.http.get('/api/notices').set(a.auth).expect(200)).body.notices).toEqual([expect.objectContaining({ kind: 'invite_reward', body: '好友已绑定手机号，你获得 50 积分', link: '/pages/invite/index' })])
    expect((await t.http.get('/api/invites').set(a.auth)).body.friends[0]).toMatchObject({ stage: 'phone_bound', rewards: [{ kind: 'phone', state: 'paid', points: 50 }, { kind: 'first_order', state: 'waiting' }] })
  })

  it('pays the phone reward when a friend who bound a phone first opens the invitation afterwards', async () => {
    const a = await person()
    const b = await person()
    await bindPhone(b)
    await t.http.post('/api/invites/bind').set(b.auth).send({ inviter: await codeOf(a) }).expect(200, { bound: true, inviterId: a.user.id })
    expect(await pointsOf(a.user.id)).toBe(50)
  })

  it('pays the first-order rewards only after the refund window, once for 20 concurrent completions and two jobs', async () => {
    const a = await person()
    const b = await person({ inviter: await codeOf(a) })
    await bindPhone(b)
    await Promise.all(Array.from({ length: 20 }, (_, i) => t.services.referral.orderCompleted(b.user.id, `order-${i}`)))
    now = new Date(now.getTime() + 6 * DAY)
    await t.services.referral.releaseDue(now)
    expect(await pointsOf(a.user.id)).toBe(50) // the phone reward only: the order may still be refunded
    expect(await CouponModel.countDocuments({ userId: b.user.id, source: 'invite' })).toBe(0)
    now = new Date(now.getTime() + 1 * DAY + 60_000)
    await Promise.all([t.services.referral.releaseDue(now), t.services.referral.releaseDue(now)])
    expect(await PointEntryModel.countDocuments({ ownerId: a.user.id, key: `invite:first-order:${b.user.id}` })).toBe(1)
    expect(await pointsOf(a.user.id)).toBe(150)
    expect(await CouponModel.countDocuments({ userId: b.user.id, source: 'invite' })).toBe(1)
    // Refunded after the window: the rewards are kept.
    await t.services.referral.orderRefunded(b.user.id, 'order-0')
    expect(await pointsOf(a.user.id)).toBe(150)
  })

  it('cancels the waiting first-order rewards once when that order is refunded inside the window', async () => {
    const a = await person()
    const b = await person({ inviter: await codeOf(a) })
    await bindPhone(b)
    await t.services.referral.orderCompleted(b.user.id, 'first')
    await Promise.all([1, 2, 3].map(() => t.services.referral.orderRefunded(b.user.id, 'first')))
    expect((await rewardAudits(b.user.id)).filter(([o]) => o === 'cancelled')).toEqual([['cancelled', 'first_order']])
    now = new Date(now.getTime() + 8 * DAY)
    await t.services.referral.releaseDue(now)
    expect(await pointsOf(a.user.id)).toBe(50)
    expect(await CouponModel.countDocuments({ userId: b.user.id, source: 'invite' })).toBe(0)
    // A later order qualifies in its place.
    await t.services.referral.orderCompleted(b.user.id, 'second')
    now = new Date(now.getTime() + 8 * DAY)
    await t.services.referral.releaseDue(now)
    expect(await pointsOf(a.user.id)).toBe(150)
  })

  it('pays the 3-invitation milestone once, on the third rewarded invitation', async () => {
    const a = await person()
    const code = await codeOf(a)
    const friends = [await person({ inviter: code }), await person({ inviter: code }), await person({ inviter: code })]
    for (const [i, f] of friends.entries()) {
      await bindPhone(f)
      await t.services.referral.orderCompleted(f.user.id, `o-${i}`)
      await t.services.referral.orderCompleted(f.user.id, `o-${i}-again`)
    }
    now = new Date(now.getTime() + 8 * DAY)
    await Promise.all([t.services.referral.releaseDue(now), t.services.referral.releaseDue(now)])
    const milestones = await PointEntryModel.find({ ownerId: a.user.id, key: { $regex: '^invite:milestone:' } }).lean()
    expect(milestones.map((m) => m.amount)).toEqual([100])
    expect(await pointsOf(a.user.id)).toBe(3 * 50 + 3 * 100 + 100)
    expect((await t.http.get('/api/invites').set(a.auth)).body).toMatchObject({ succeeded: 3, milestones: [{ invitations: 3, reached: true }, { reached: false }, { reached: false }] })
  })

  it('reports a reward a cap refused as refused: no "你获得" notice, the audit names the cap, the page says why', async () => {
    const current = (await t.http.get('/api/admin/rules').set(admin.auth).expect(200)).body
    const capped = { ...current.rules, referral: { ...current.rules.referral, caps: { ...current.rules.referral.caps, perUserPerDay: 1 } } }
    const v = (await t.http.put('/api/admin/rules').set(admin.auth).send({ baseVersion: current.version, reason: '测试封顶', rules: capped }).expect(200)).body.version
    try {
      const a = await person()
      const code = await codeOf(a)
      const paidFriend = await person({ inviter: code })
      const cappedFriend = await person({ inviter: code })
      await bindPhone(paidFriend)
      await bindPhone(cappedFriend)
      expect(await pointsOf(a.user.id)).toBe(50)
      expect(await rewardAudits(paidFriend.user.id)).toEqual([['paid', 'phone']])
      expect(await rewardAudits(cappedFriend.user.id)).toEqual([['refused', 'DAILY_CAP']])
      const notices = (await t.http.get('/api/notices').set(a.auth).expect(200)).body.notices
      expect(notices.filter((x: { body: string }) => x.body.includes('你获得'))).toHaveLength(1)
      const friends = (await t.http.get('/api/invites').set(a.auth).expect(200)).body.friends
      const rewardOf = (id: number) => friends[id].rewards.find((r: { kind: string }) => r.kind === 'phone')
      expect(rewardOf(0)).toMatchObject({ state: 'refused', reason: 'DAILY_CAP', points: 50 }) // the newest friend first
      expect(rewardOf(1)).toMatchObject({ state: 'paid', reason: null, points: 50 })
    } finally {
      const back = { ...capped, referral: current.rules.referral }
      await t.http.put('/api/admin/rules').set(admin.auth).send({ baseVersion: v, reason: '恢复', rules: back }).expect(200)
    }
  })

  it('no longer lets anyone mint invitation rewards by hand', async () => {
    const b = await person()
    await t.http.post('/api/admin/referral/order-completed').set(admin.auth).send({ userId: b.user.id, orderId: 'x' }).expect(404)
    await t.http.post('/api/admin/referral/phone-bound').set(admin.auth).send({ userId: b.user.id }).expect(404)
  })
})

describe('duplicate accounts earn nothing', () => {
  const device = () => `dev-${Math.random().toString(36).slice(2)}-device`

  it.each([
    ['the same phone number as the inviter', 'SAME_PHONE'],
    ['the same device as the inviter', 'SAME_DEVICE'],
    ['the same phone number as an invitee already rewarded', 'SAME_PHONE'],
    ['the same device as an invitee already rewarded', 'SAME_DEVICE'],
  ])('refuses an invitee with %s, and records why', async (label, reason) => {
    const inviterDevice = device()
    const a = await devLogin(t, { nickname: `邀请${++n}`, deviceId: inviterDevice })
    const aPhone = freshPhone()
    await bindPhone(a, aPhone)
    const code = await codeOf(a)
    let twinPhone = aPhone
    let twinDevice = inviterDevice
    let earlierOf: { auth: Record<string, string> } | null = null
    if (label.includes('already rewarded')) {
      const earlier = await devLogin(t, { nickname: `邀请${++n}`, deviceId: (twinDevice = device()), attribution: { inviter: code } })
      earlierOf = earlier
      await bindPhone(earlier, (twinPhone = freshPhone()))
      expect(await pointsOf(a.user.id)).toBe(50)
    }
    const before = await pointsOf(a.user.id)
    const b = await devLogin(t, { nickname: `邀请${++n}`, attribution: { inviter: code }, ...(reason === 'SAME_DEVICE' ? { deviceId: twinDevice } : {}) })
    // A number is one member's at a time: the twin's is let go first, and reused.
    if (reason === 'SAME_PHONE') await t.http.delete('/api/me/phone').set(label.includes('already rewarded') ? earlierOf!.auth : a.auth).expect(200)
    await bindPhone(b, reason === 'SAME_PHONE' ? twinPhone : freshPhone())
    await t.services.referral.orderCompleted(b.user.id, 'o')
    now = new Date(now.getTime() + 8 * DAY)
    await t.services.referral.releaseDue(now)
    expect(await pointsOf(a.user.id)).toBe(before)
    expect(await CouponModel.countDocuments({ userId: b.user.id, source: 'invite' })).toBe(0)
    expect(await rewardAudits(b.user.id)).toEqual([['refused', reason]])
    const friends = (await t.http.get('/api/invites').set(a.auth)).body.friends as Array<{ rewards: Array<{ state: string; reason: string }> }>
    expect(friends.find((f) => f.rewards.every((r) => r.state === 'refused' && r.reason === reason))).toBeTruthy()
  })
})

describe('rewarded identities are remembered', () => {
  /** A friend of `inviter` who binds `phone`: the inviter's points after it. */
  const friendBinds = async (code: string, phone: string, nickname = `邀请${++n}`) => {
    const friend = await devLogin(t, { nickname, attribution: { inviter: code } })
    await bindPhone(friend, phone)
    return friend
  }

  it('pays the phone reward once per number: not again after the first friend unbinds it, nor after they change to another number', async () => {
    const r = await person()
    const code = await codeOf(r)
    const p = freshPhone()
    const j = await friendBinds(code, p)
    expect(await pointsOf(r.user.id)).toBe(50)
    await t.http.delete('/api/me/phone').set(j.auth).expect(200)
    const k = await friendBinds(code, p)
    expect(await pointsOf(r.user.id)).toBe(50)
    expect(await rewardAudits(k.user.id)).toEqual([['refused', 'SAME_PHONE']])

    const q = freshPhone()
    const j2 = await friendBinds(code, q)
    expect(await pointsOf(r.user.id)).toBe(100)
    await bindPhone(j2, freshPhone()) // j2 changes number; q is free again
    const k2 = await friendBinds(code, q)
    expect(await pointsOf(r.user.id)).toBe(100)
    expect(await rewardAudits(k2.user.id)).toEqual([['refused', 'SAME_PHONE']])
  })

  it('pays nothing again to a friend who deletes the account and signs up anew with the same WeChat identity and number', async () => {
    const r = await person()
    const code = await codeOf(r)
    const p = freshPhone()
    const j = await friendBinds(code, p, '注销又回来的阿杰')
    expect(await pointsOf(r.user.id)).toBe(50)
    await t.http.post('/api/me/deletion').set(j.auth).send({ confirm: '注销账号' }).expect(204)
    const again = await friendBinds(code, p, '注销又回来的阿杰')
    expect(again.user.id).not.toBe(j.user.id)
    expect(await pointsOf(r.user.id)).toBe(50)
    const [[outcome, reason]] = await rewardAudits(again.user.id)
    expect(outcome).toBe('refused')
    expect(['SAME_PHONE', 'SAME_OPENID']).toContain(reason)
    // Its first order earns nothing either.
    await t.services.referral.orderCompleted(again.user.id, 'o-again')
    now = new Date(now.getTime() + 8 * DAY)
    await t.services.referral.releaseDue(now)
    expect(await pointsOf(r.user.id)).toBe(50)
  })
})

describe('the review queue', () => {
  it('holds an invitation past the hourly velocity rule; 10 concurrent approvals pay once; a rejection records why', async () => {
    const a = await person()
    const code = await codeOf(a)
    const friends = []
    for (let i = 0; i < 7; i++) friends.push(await person({ inviter: code })) // the rule allows 5 an hour
    for (const f of friends) await bindPhone(f)
    expect(await pointsOf(a.user.id)).toBe(5 * 50)
    const queue = (await t.http.get('/api/admin/referral/reviews').set(admin.auth).expect(200)).body.reviews.filter((r: { inviterId: string }) => r.inviterId === a.user.id)
    expect(queue).toHaveLength(2)
    expect(queue[0]).toMatchObject({ reasons: ['INVITER_VELOCITY'], state: 'open', phoneBound: true, rewarded: false, invitee: expect.stringContaining('*') })

    const approvals = await Promise.all(Array.from({ length: 10 }, () => t.http.post(`/api/admin/referral/reviews/${queue[0].inviteeId}/approve`).set(admin.auth)))
    expect(approvals.map((r) => r.status).sort()).toEqual([204, ...Array(9).fill(404)])
    expect(await pointsOf(a.user.id)).toBe(6 * 50)
    expect(await PointEntryModel.countDocuments({ key: `invite:phone:${queue[0].inviteeId}` })).toBe(1)

    const noNote = await t.http.post(`/api/admin/referral/reviews/${queue[1].inviteeId}/reject`).set(admin.auth).send({}).expect(400)
    expect(noNote.body.error.code).toBe('VALIDATION_FAILED')
    await t.http.post(`/api/admin/referral/reviews/${queue[1].inviteeId}/reject`).set(admin.auth).send({ note: '同一小区批量注册' }).expect(204)
    expect(await pointsOf(a.user.id)).toBe(6 * 50)
    const rejected = (await t.http.get('/api/admin/referral/reviews').query({ state: 'rejected' }).set(admin.auth).expect(200)).body.reviews
    expect(rejected.find((r: { inviteeId: string }) => r.inviteeId === queue[1].inviteeId)).toMatchObject({ note: '同一小区批量注册', decidedBy: admin.username })
    // The audit trail has each decision, filterable by action.
    const audit = (await t.http.get('/api/admin/audit').query({ action: 'referral.review' }).set(admin.auth).expect(200)).body
    expect(audit.entries.filter((e: { targetId: string }) => [queue[0].inviteeId, queue[1].inviteeId].includes(e.targetId)).map((e: { outcome: string }) => e.outcome).sort()).toEqual(['approved', 'rejected'])
    // Shoppers cannot reach the queue.
    await t.http.get('/api/admin/referral/reviews').set(friends[0].auth).expect(401)
  })

  it('holds an invitee on a device many accounts share', async () => {
    const a = await person()
    const code = await codeOf(a)
    const shared = `crowded-${Math.random().toString(36).slice(2)}-device`
    for (let i = 0; i < 3; i++) await devLogin(t, { nickname: `同机${++n}`, deviceId: shared })
    const b = await devLogin(t, { nickname: `同机${++n}`, deviceId: shared, attribution: { inviter: code } })
    await bindPhone(b)
    expect(await pointsOf(a.user.id)).toBe(0)
    const held = (await ReferralBindingModel.findById(b.user.id).lean())!
    expect(held.review).toMatchObject({ state: 'open', reasons: ['CROWDED_DEVICE'] })
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
