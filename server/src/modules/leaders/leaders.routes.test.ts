import mongoose, { Types } from 'mongoose'
import { addDays, businessDay } from '@xianlin/shared'
import { startTestApp, devLogin, operatorLogin, type TestApp } from '../../../test/harness'
import { expectGroupsConsistent } from '../../../test/group-invariants'
import { groupbuyFixtures, type Person } from '../../../test/groupbuy-fixtures'
import { AuditLogModel } from '../audit/audit-log.model'
import { OrderModel } from '../orders/order.model'
import { CommissionEntryModel, LeaderBindingHistoryModel, WithdrawalModel } from './leader.model'

const DAY = 86_400_000
let now = new Date('2026-11-23T04:00:00Z')
let t: TestApp
const f = groupbuyFixtures(() => t, () => now)

beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now, fakePay: true })
  await f.setUp()
})
afterEach(expectGroupsConsistent)
afterAll(() => t.close())

const application = (over: Record<string, unknown> = {}) => ({
  name: '王秀兰',
  phone: '13800138000',
  community: '漕溪新村',
  address: '漕溪北路 100 弄 3 号便利店',
  location: { latitude: 31.18, longitude: 121.43 },
  hours: '每天 08:00-20:00',
  ...over,
})

let seq = 0
/** A shopper who applies and is approved; signs in again so the token carries the role. */
async function leader(): Promise<{ person: Person; code: string; id: string }> {
  const nickname = `团长${++seq}`
  const me = await devLogin(t, { nickname })
  await t.http.post('/api/leaders/applications').set(me.auth).send(application()).expect(201)
  await t.http.post(`/api/admin/leaders/applications/${me.user.id}/approve`).set(f.admin.auth).expect(200)
  const again = await devLogin(t, { nickname })
  const centre = (await t.http.get('/api/leader/centre').set(again.auth).expect(200)).body.centre
  return { person: again, code: centre.code, id: me.user.id }
}

describe('applications', () => {
  it('grants the leader role on approval; a rejection carries its reason and allows applying again', async () => {
    const me = await devLogin(t, { nickname: '申请人' })
    await t.http.get('/api/leader/centre').set(me.auth).expect(403)
    const bad = await t.http.post('/api/leaders/applications').set(me.auth).send(application({ phone: '123', $where: 'x' })).expect(400)
    expect(bad.body.error.code).toBe('FORBIDDEN_KEY')
    await t.http.post('/api/leaders/applications').set(me.auth).send(application()).expect(201)
    expect((await t.http.post('/api/leaders/applications').set(me.auth).send(application()).expect(409)).body.error.code).toBe('APPLICATION_PENDING')
    await t.http.post(`/api/admin/leaders/applications/${me.user.id}/reject`).set(me.auth).send({ reason: '地址不清楚' }).expect(401)
    await t.http.post(`/api/admin/leaders/applications/${me.user.id}/reject`).set(f.admin.auth).send({ reason: '地址不清楚' }).expect(200)
    expect((await t.http.get('/api/leaders/application').set(me.auth).expect(200)).body).toMatchObject({ application: { state: 'rejected', reason: '地址不清楚' }, leader: false })
    await t.http.post('/api/leaders/applications').set(me.auth).send(application({ address: '漕溪北路 100 弄 3 号' })).expect(201)
    const list = (await t.http.get('/api/admin/leaders/applications?state=pending').set(f.admin.auth).expect(200)).body.applications
    expect(list.map((a: { userId: string }) => a.userId)).toContain(me.user.id)
    await t.http.post(`/api/admin/leaders/applications/${me.user.id}/approve`).set(f.admin.auth).expect(200)
    await t.http.post(`/api/admin/leaders/applications/${me.user.id}/approve`).set(f.admin.auth).expect(409)
    const approved = async () => (await t.http.get('/api/admin/leaders/applications?state=approved').set(f.admin.auth).expect(200)).body.applications.find((a: { userId: string }) => a.userId === me.user.id)
    expect(await approved()).toMatchObject({ state: 'approved', leaderState: 'active' })
    await t.http.post(`/api/admin/leaders/${me.user.id}/suspend`).set(f.admin.auth).expect(200)
    expect(await approved()).toMatchObject({ leaderState: 'suspended' })
    await t.http.post(`/api/admin/leaders/${me.user.id}/reinstate`).set(f.admin.auth).expect(200)
    const relogged = await devLogin(t, { nickname: '申请人' })
    expect(relogged.user.roles).toContain('leader')
    expect((await t.http.get('/api/leader/centre').set(relogged.auth).expect(200)).body.centre).toMatchObject({ state: 'active', members: { total: 0 } })
  })
})

describe('an applicant’s phone number', () => {
  it('is stored sealed and shown masked, like a member’s; the approved point carries the number to call', async () => {
    const me = await devLogin(t, { nickname: '封存号码的申请人' })
    await t.http.post('/api/leaders/applications').set(me.auth).send(application({ phone: '13912345678' })).expect(201)
    const stored = await mongoose.connection.db!.collection('leader_applications').findOne({ _id: new Types.ObjectId(me.user.id) })
    expect(JSON.stringify(stored)).not.toContain('13912345678')
    expect(JSON.stringify(stored)).not.toContain('12345678')
    expect((await t.http.get('/api/leaders/application').set(me.auth).expect(200)).body.application.phone).toBe('139****5678')
    const listed = (await t.http.get('/api/admin/leaders/applications?state=pending').set(f.admin.auth).expect(200)).body.applications.find((a: { userId: string }) => a.userId === me.user.id)
    expect(listed.phone).toBe('139****5678')
    const point = (await t.http.post(`/api/admin/leaders/applications/${me.user.id}/approve`).set(f.admin.auth).expect(200)).body.point
    expect(point.phone).toBe('13912345678')
  })

  it('seals the numbers of applications from before, once, at start-up', async () => {
    const old = new Types.ObjectId()
    const applications = mongoose.connection.db!.collection('leader_applications')
    await applications.insertOne({ _id: old, ...application({ phone: '13700001111' }), photoUrl: null, state: 'pending', reason: null, reviewedBy: null, reviewedAt: null, createdAt: new Date() } as never)
    expect(await t.services.leaders.sealApplicationPhones()).toBe(1)
    expect(await t.services.leaders.sealApplicationPhones()).toBe(0)
    const stored = await applications.findOne({ _id: old })
    expect(JSON.stringify(stored)).not.toContain('13700001111')
    expect(stored).toMatchObject({ phoneMasked: '137****1111' })
  })
})

describe('binding members', () => {
  it('binds through the code, refuses self and a second leader unless switching, and records every switch', async () => {
    const a = await leader()
    const b = await leader()
    const member = await f.shopper()
    // The link's landing, before signing in: the point, no phone; a made-up code is not found.
    const landing = (await t.http.get(`/api/leader-links/${a.code.toLowerCase()}`).expect(200)).body.point
    expect(landing).toEqual({ name: expect.any(String), community: '漕溪新村', address: expect.any(String), hours: expect.any(String), active: true })
    expect((await t.http.get('/api/leader-links/ZZZZZZZZ').expect(404)).body.error.code).toBe('LEADER_NOT_FOUND')
    expect((await t.http.post('/api/leaders/bind').set(a.person.auth).send({ code: a.code }).expect(409)).body.error.code).toBe('LEADER_SELF')
    const bound = (await t.http.post('/api/leaders/bind').set(member.auth).send({ code: a.code.toLowerCase() }).expect(200)).body.leader
    expect(bound.point).toMatchObject({ leaderId: a.id, community: '漕溪新村', active: true })
    expect((await t.http.post('/api/leaders/bind').set(member.auth).send({ code: b.code }).expect(409)).body.error.code).toBe('LEADER_ALREADY_BOUND')
    await t.http.post('/api/leaders/bind').set(member.auth).send({ code: b.code, switch: true }).expect(200)
    const mine = (await t.http.get('/api/leaders/mine').set(member.auth).expect(200)).body
    expect(mine.leader.point.leaderId).toBe(b.id)
    expect(mine.history.map((h: { from: string | null; to: string }) => [h.from, h.to])).toEqual([
      [a.id, b.id],
      [null, a.id],
    ])
    expect(await LeaderBindingHistoryModel.countDocuments({ memberId: member.user.id })).toBe(2)
    const outcomes = (await AuditLogModel.find({ action: 'leader.bind', actorId: { $in: [member.user.id, a.id] } }).lean()).map((r) => r.outcome).sort()
    expect(outcomes).toEqual(['already_bound', 'bound', 'self', 'switched'])
  })
})

async function completedGroup(l: { id: string }, members: Person[]) {
  const id = await f.activity({ tiers: [{ size: 2, priceFen: 3000 }] })
  const first = await f.buy(members[0]!, { activityId: id, tierSize: 2, storeId: undefined, leaderId: l.id })
  const second = await f.buy(members[1]!, { activityId: id, groupId: first.groupId, storeId: undefined, leaderId: l.id })
  const order = (await OrderModel.findById(second.orderId).lean())!
  expect(order.state).toBe('confirmed')
  return { orderId: second.orderId, code: order.pickupCode!, firstOrderId: first.orderId }
}

describe('pickups and commission', () => {
  it('confirms one of 10 concurrent pickups by the leader, with one commission entry; another leader gets 403', async () => {
    const l = await leader()
    const other = await leader()
    const { orderId, code } = await completedGroup(l, await f.shoppers(2))
    const wrong = await t.http.post('/api/leader/pickups').set(other.person.auth).send({ code }).expect(403)
    expect(wrong.body.error.code).toBe('NOT_YOUR_PICKUP')
    const staff = await f.staffAt(f.storeId, '拼团店员乙')
    expect((await t.http.post('/api/staff/pickups').set(staff.auth).send({ code }).expect(403)).body.error.code).toBe('WRONG_STORE')
    const tries = await Promise.all(Array.from({ length: 10 }, () => t.http.post('/api/leader/pickups').set(l.person.auth).send({ code })))
    expect(tries.filter((r) => r.status === 200)).toHaveLength(1)
    for (const r of tries.filter((x) => x.status !== 200)) expect(r.body.error.code).toBe('ALREADY_PICKED_UP')
    expect(await CommissionEntryModel.countDocuments({ ownerId: l.id, orderId })).toBe(1)
    const centre = (await t.http.get('/api/leader/centre').set(l.person.auth).expect(200)).body.centre
    // 3000 × 98% = 2940 fen paid; 5% = 147 fen, frozen.
    expect(centre.commission).toMatchObject({ pendingFen: 147, availableFen: 0 })
    expect(centre.toHandOver).toHaveLength(1) // the other member's order still waits
  })

  it('keeps commission pending for 7 days, then the job (on two instances at once) makes it available once', async () => {
    const l = await leader()
    const { code } = await completedGroup(l, await f.shoppers(2))
    await t.http.post('/api/leader/pickups').set(l.person.auth).send({ code }).expect(200)
    now = new Date(now.getTime() + 6 * DAY)
    expect(await t.services.leaders.releaseDueCommissions(now)).toBe(0)
    now = new Date(now.getTime() + 1 * DAY + 60_000)
    // Other tests' commissions fall due too: count this leader's releases.
    await Promise.all([t.services.leaders.releaseDueCommissions(now), t.services.leaders.releaseDueCommissions(now)])
    const centre = (await t.http.get('/api/leader/centre').set(l.person.auth).expect(200)).body.centre
    expect(centre.commission).toMatchObject({ pendingFen: 0, availableFen: 147 })
    expect(await CommissionEntryModel.countDocuments({ ownerId: l.id, type: 'release' })).toBe(1)
    const w = await t.http.post('/api/leader/withdrawals').set(l.person.auth).send({ amountFen: 200, idempotencyKey: 'withdraw-too-much' }).expect(409)
    expect(w.body.error.code).toBe('INSUFFICIENT_COMMISSION')
    expect(await WithdrawalModel.countDocuments({ leaderId: l.id })).toBe(0) // the refusal left nothing
    // Ten concurrent requests with one key: one request, one debit, every reply the same request.
    const tries = await Promise.all(Array.from({ length: 10 }, () => t.http.post('/api/leader/withdrawals').set(l.person.auth).send({ amountFen: 100, idempotencyKey: 'withdraw-100' })))
    expect(tries.map((r) => r.status)).toEqual(Array(10).fill(201))
    expect(new Set(tries.map((r) => r.body.withdrawal.id)).size).toBe(1)
    expect(await WithdrawalModel.countDocuments({ leaderId: l.id })).toBe(1)
    expect(await CommissionEntryModel.countDocuments({ ownerId: l.id, type: 'withdraw' })).toBe(1)
    expect((await t.http.get('/api/leader/centre').set(l.person.auth).expect(200)).body.centre.commission.availableFen).toBe(47)
    const reused = await t.http.post('/api/leader/withdrawals').set(l.person.auth).send({ amountFen: 150, idempotencyKey: 'withdraw-100' }).expect(409)
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED')

    // Finance finds the request in the console's queue, with the leader's name, and approves it once.
    const finance = await operatorLogin(t, 'finance')
    const queue = (await t.http.get('/api/admin/withdrawals').set(finance.auth).expect(200)).body.withdrawals
    const mine = queue.find((w: { leaderId: string }) => w.leaderId === l.id)
    expect(mine).toMatchObject({ amountFen: 100, state: 'requested', leaderName: expect.any(String), community: expect.any(String) })
    expect(mine.leaderName.length).toBeGreaterThan(0)
    const approvals = await Promise.all(Array.from({ length: 10 }, () => t.http.post(`/api/admin/withdrawals/${mine.id}/approve`).set(finance.auth)))
    expect(approvals.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(404)])
    expect(await AuditLogModel.countDocuments({ action: 'leader.withdrawal.approve', targetId: mine.id })).toBe(1)
    const approved = (await t.http.get('/api/admin/withdrawals').query({ state: 'approved' }).set(finance.auth).expect(200)).body.withdrawals
    expect(approved.find((w: { id: string }) => w.id === mine.id)).toMatchObject({ state: 'approved', approvedAt: expect.any(String) })

    // The transfer is made outside; finance records it once, with its reference.
    const noRef = await t.http.post(`/api/admin/withdrawals/${mine.id}/paid`).set(finance.auth).send({ transferRef: ' ' }).expect(400)
    expect(noRef.body.error.details[0].path).toBe('body.transferRef')
    const marks = await Promise.all([1, 2, 3].map(() => t.http.post(`/api/admin/withdrawals/${mine.id}/paid`).set(finance.auth).send({ transferRef: 'WX20261204-0001' })))
    expect(marks.map((r) => r.status).sort()).toEqual([200, 404, 404])
    const paid = (await t.http.get('/api/admin/withdrawals').query({ state: 'paid' }).set(finance.auth).expect(200)).body.withdrawals
    expect(paid.find((w: { id: string }) => w.id === mine.id)).toMatchObject({ state: 'paid', transferRef: 'WX20261204-0001', paidAt: expect.any(String) })
    expect(await AuditLogModel.countDocuments({ action: 'leader.withdrawal.paid', targetId: mine.id, 'operator.username': finance.username })).toBe(1)
  })

  it('finishes or removes a withdrawal a crash left between its record and its debit', async () => {
    const l = await leader()
    const { code } = await completedGroup(l, await f.shoppers(2))
    await t.http.post('/api/leader/pickups').set(l.person.auth).send({ code }).expect(200)
    now = new Date(now.getTime() + 8 * DAY)
    await t.services.leaders.releaseDueCommissions(now)
    // Crash after the debit: the request is still `requesting`. Crash before it: no debit at all.
    const debited = (await t.http.post('/api/leader/withdrawals').set(l.person.auth).send({ amountFen: 100, idempotencyKey: 'crash-after-debit' }).expect(201)).body.withdrawal
    await WithdrawalModel.updateOne({ _id: debited.id }, { $set: { state: 'requesting' } })
    await WithdrawalModel.create({ leaderId: l.id, amountFen: 30, state: 'requesting', key: 'crash-before-debit', createdAt: now })
    const listed = async () => (await t.http.get('/api/admin/withdrawals').set(f.admin.auth).expect(200)).body.withdrawals.filter((w: { leaderId: string }) => w.leaderId === l.id)
    expect(await listed()).toEqual([]) // finance never sees a request whose debit is not known
    now = new Date(now.getTime() + 2 * 60_000)
    await Promise.all([t.services.leaders.recoverWithdrawals(now), t.services.leaders.recoverWithdrawals(now)])
    expect((await listed()).map((w: { id: string }) => w.id)).toEqual([debited.id])
    expect(await WithdrawalModel.countDocuments({ leaderId: l.id })).toBe(1)
    expect((await t.http.get('/api/leader/centre').set(l.person.auth).expect(200)).body.centre.commission.availableFen).toBe(47)
  })

  it('cancels the commission exactly once when the order is refunded inside the window', async () => {
    const l = await leader()
    const { orderId, code } = await completedGroup(l, await f.shoppers(2))
    await t.http.post('/api/leader/pickups').set(l.person.auth).send({ code }).expect(200)
    now = new Date(now.getTime() + 2 * DAY)
    // Three clicks of one refund dialog: one refund, and each answer tells the truth about it.
    const refunds = await Promise.all([1, 2, 3].map(() => t.http.post(`/api/admin/orders/${orderId}/refund`).set(f.admin.auth).send({ reason: '顾客反馈芒果坏了', idempotencyKey: 'refund-dialog-1' })))
    expect(refunds.map((r) => r.status)).toEqual([200, 200, 200])
    await new Promise((r) => setTimeout(r, 200)) // the refund notification arrives as well
    await t.services.orders.refundSucceeded(orderId)
    expect((await OrderModel.findById(orderId).lean())!.state).toBe('refunded')
    expect(t.fakePay!.refunds(orderId)).toHaveLength(1)
    expect(await CommissionEntryModel.countDocuments({ ownerId: l.id, orderId, type: 'cancel' })).toBe(1)
    expect((await t.http.get('/api/leader/centre').set(l.person.auth).expect(200)).body.centre.commission).toMatchObject({ pendingFen: 0, availableFen: 0 })
    now = new Date(now.getTime() + 10 * DAY)
    await t.services.leaders.releaseDueCommissions(now)
    expect(await CommissionEntryModel.countDocuments({ ownerId: l.id, type: 'release' })).toBe(0)
  })

  it('stops a suspended leader: no pickups, no new members; reinstated, both work again', async () => {
    const l = await leader()
    const { code } = await completedGroup(l, await f.shoppers(2))
    await t.http.post(`/api/admin/leaders/${l.id}/suspend`).set(f.admin.auth).expect(200)
    expect((await t.http.post('/api/leader/pickups').set(l.person.auth).send({ code }).expect(403)).body.error.code).toBe('LEADER_SUSPENDED')
    const newcomer = await f.shopper()
    expect((await t.http.post('/api/leaders/bind').set(newcomer.auth).send({ code: l.code }).expect(403)).body.error.code).toBe('LEADER_SUSPENDED')
    expect((await t.http.get('/api/leaders/mine').set(newcomer.auth).expect(200)).body.leader.point).toBeNull()
    await t.http.post(`/api/admin/leaders/${l.id}/reinstate`).set(f.admin.auth).expect(200)
    await t.http.post('/api/leaders/bind').set(newcomer.auth).send({ code: l.code }).expect(200)
    await t.http.post('/api/leader/pickups').set(l.person.auth).send({ code }).expect(200)
  })
})

describe('团长 report (运营后台 → 增长分析)', () => {
  it("gives each leader's members, new members, orders, buyers, amount paid and commission for the range", async () => {
    const l = await leader()
    const idle = await leader()
    const [x, y] = await f.shoppers(2)
    await t.http.post('/api/leaders/bind').set(x!.auth).send({ code: l.code }).expect(200)
    const { code, firstOrderId } = await completedGroup(l, [x!, y!])
    await t.http.post('/api/leader/pickups').set(l.person.auth).send({ code }).expect(200)
    const day = businessDay(now, 'Asia/Shanghai')
    const report = (await t.http.get('/api/admin/analytics/leaders').query({ from: day, to: day }).set(f.admin.auth).expect(200)).body
    const row = (id: string) => report.leaders.find((r: { leaderId: string }) => r.leaderId === id)
    // Two orders of 3000 at 98% paid at the point (2940 each); one picked up: 5% of 2940 = 147 commission.
    expect(row(l.id)).toEqual({ leaderId: l.id, name: '王秀兰', community: '漕溪新村', state: 'active', members: 1, newMembers: 1, orders: 2, buyers: 2, paidFen: 5880, refundedFen: 0, netFen: 5880, commissionFen: 147 })
    // The order not yet handed over is refunded: paid stays, refunded and net follow.
    await t.http.post(`/api/admin/orders/${firstOrderId}/refund`).set(f.admin.auth).send({ reason: '团长报表测试', idempotencyKey: 'leader-report-refund' }).expect(200)
    const after = (await t.http.get('/api/admin/analytics/leaders').query({ from: day, to: day }).set(f.admin.auth).expect(200)).body
    expect(after.leaders.find((r: { leaderId: string }) => r.leaderId === l.id)).toMatchObject({ paidFen: 5880, refundedFen: 2940, netFen: 2940 })
    // The day's figures by point are kept (leader_days) stamped with their count: a slower count that
    // lost the race and wrote late carries its own stamp, so it is counted again, never shown.
    await mongoose.connection.db!.collection<{ _id: string }>('leader_days').updateOne({ _id: `${day}|${l.id}` }, { $set: { payFen: 1, refundedFen: 0, buyers: '', count: -1 } })
    const raced = (await t.http.get('/api/admin/analytics/leaders').query({ from: day, to: day }).set(f.admin.auth).expect(200)).body
    expect(raced.leaders.find((r: { leaderId: string }) => r.leaderId === l.id)).toMatchObject({ orders: 2, buyers: 2, paidFen: 5880, refundedFen: 2940, netFen: 2940 })
    expect((await mongoose.connection.db!.collection<{ _id: string; payFen: number }>('leader_days').findOne({ _id: `${day}|${l.id}` }))!.payFen).toBe(5880)
    expect(row(idle.id)).toMatchObject({ members: 0, newMembers: 0, orders: 0, buyers: 0, paidFen: 0, commissionFen: 0 })
    const yesterday = (await t.http.get('/api/admin/analytics/leaders').query({ from: addDays(day, -1), to: addDays(day, -1) }).set(f.admin.auth).expect(200)).body
    expect(yesterday.leaders.find((r: { leaderId: string }) => r.leaderId === l.id)).toMatchObject({ members: 1, newMembers: 0, orders: 0, paidFen: 0, commissionFen: 0 })
    // A leader's mini-program token is no console session.
    await t.http.get('/api/admin/analytics/leaders').query({ from: day, to: day }).set(l.person.auth).expect(401)
  })
})
