import { devLogin, startTestApp, operatorLogin, type TestApp } from '../../../test/harness'
import { AuditLogModel } from '../audit/audit-log.model'

let t: TestApp
let ops: Awaited<ReturnType<typeof operatorLogin>>
let storeA: string
let storeB: string
beforeAll(async () => {
  t = await startTestApp(__filename)
  ops = await operatorLogin(t, 'operations')
  const store = async (code: string, name: string) => (await t.http.post('/api/admin/stores').set(ops.auth).send({ code, name, address: '上海', hours: '08:00-22:00' }).expect(201)).body.store.id as string
  storeA = await store('INV-A', '鲜邻优选·邀请A店')
  storeB = await store('INV-B', '鲜邻优选·邀请B店')
})
afterAll(() => t.close())

const invite = async (storeId: string, position?: 'clerk' | 'manager') => (await t.http.post(`/api/admin/stores/${storeId}/invitations`).set(ops.auth).send(position ? { position } : {}).expect(201)).body.invitation

/** A voucher for goods handed over only at `storeId`. */
async function voucherAt(storeId: string) {
  const item = await t.http.post('/api/admin/mall/items').set(ops.auth).send({ name: '邀请测试袋', kind: 'goods', category: '生活', pointsPrice: 10, stock: 5, storeIds: [storeId], cover: { emoji: '🛍️', tint: '#e6f7e6' } }).expect(201)
  const shopper = await devLogin(t, { nickname: `兑换人${Math.random().toString(36).slice(2, 6)}` })
  await t.services.points.earn({ userId: shopper.user.id, amount: 10, source: 'admin', key: `seed:${shopper.user.id}` })
  const res = await t.http.post(`/api/mall/items/${item.body.item.id}/redeem`).set(shopper.auth).send({ idempotencyKey: `inv-${shopper.user.id}` }).expect(201)
  return res.body.voucher.code as string
}

describe('staff invitations', () => {
  it('makes the shopper who accepts staff of that store, able to redeem there and only there', async () => {
    const invitation = await invite(storeA)
    expect(invitation).toMatchObject({ storeId: storeA, storeName: '鲜邻优选·邀请A店', position: 'clerk', path: `/pages/staff-join/index?code=${invitation.code}` })
    const clerk = await devLogin(t, { nickname: '受邀店员' })
    // Typed by hand: lower case with a space still finds it.
    const typed = `${invitation.code.slice(0, 4).toLowerCase()} ${invitation.code.slice(4)}`
    expect((await t.http.get(`/api/staff/invitations/${encodeURIComponent(typed)}`).set(clerk.auth).expect(200)).body.invitation.storeName).toBe('鲜邻优选·邀请A店')
    await t.http.post('/api/staff/redemptions').set(clerk.auth).send({ code: await voucherAt(storeA) }).expect(403)

    await t.http.post(`/api/staff/invitations/${invitation.code}/accept`).set(clerk.auth).expect(200)
    const me = (await t.http.get('/api/me').set(clerk.auth).expect(200)).body.user
    expect(me.roles).toContain('staff')
    expect(await AuditLogModel.countDocuments({ action: 'staff.join', targetId: storeA })).toBe(1)

    const here = await voucherAt(storeA)
    const elsewhere = await voucherAt(storeB)
    expect((await t.http.post('/api/staff/redemptions').set(clerk.auth).send({ code: elsewhere }).expect(403)).body.error.code).toBe('WRONG_STORE')
    await t.http.post('/api/staff/redemptions').set(clerk.auth).send({ code: elsewhere, storeId: storeB }).expect(403)
    await t.http.post('/api/staff/redemptions').set(clerk.auth).send({ code: here }).expect(200)

    const stores = (await t.http.get('/api/admin/stores').set(ops.auth).expect(200)).body.stores
    expect(stores.find((s: { id: string }) => s.id === storeA).staff).toEqual([{ userId: me.id, nickname: '受邀店员', position: 'clerk' }])
  })

  it('is used once: of two shoppers accepting at once one becomes staff, and the same clerk accepting again is told the same', async () => {
    const invitation = await invite(storeB, 'manager')
    const [x, y] = [await devLogin(t, { nickname: '抢码甲' }), await devLogin(t, { nickname: '抢码乙' })]
    const results = await Promise.all([x, y].map((p) => t.http.post(`/api/staff/invitations/${invitation.code}/accept`).set(p.auth)))
    expect(results.map((r) => r.status).sort()).toEqual([200, 404])
    const loser = results.find((r) => r.status === 404)!
    expect(loser.body.error.code).toBe('INVITATION_INVALID')
    const winner = results[0]!.status === 200 ? x : y
    expect((await t.http.post(`/api/staff/invitations/${invitation.code}/accept`).set(winner.auth).expect(200)).body.invitation.position).toBe('manager')
    const staffB = (await t.http.get('/api/admin/stores').set(ops.auth).expect(200)).body.stores.find((s: { id: string }) => s.id === storeB).staff
    expect(staffB.map((s: { userId: string }) => s.userId)).toEqual([winner.user.id])
  })

  it('refuses unknown and malformed codes, and invitations from roles without the stores permission', async () => {
    const shopper = await devLogin(t, { nickname: '乱输码' })
    expect((await t.http.get('/api/staff/invitations/ZZZZZZZZ').set(shopper.auth).expect(404)).body.error.code).toBe('INVITATION_INVALID')
    expect((await t.http.get('/api/staff/invitations/abc').set(shopper.auth).expect(400)).body.error.details[0].path).toBe('params.code')
    await t.http.get('/api/staff/invitations/ZZZZZZZZ').expect(401)
    const finance = await operatorLogin(t, 'finance')
    await t.http.post(`/api/admin/stores/${storeA}/invitations`).set(finance.auth).send({}).expect(403)
    await t.http.post('/api/admin/stores/0123456789abcdef01234567/invitations').set(ops.auth).send({}).expect(404)
  })

  it('removes a clerk from a store: refused there at once, audited with before and after', async () => {
    const clerk = await devLogin(t, { nickname: '将离职店员' })
    await t.http.post(`/api/staff/invitations/${(await invite(storeA)).code}/accept`).set(clerk.auth).expect(200)
    await t.http.delete(`/api/admin/stores/${storeA}/staff/${clerk.user.id}`).set(ops.auth).expect(204)
    expect((await t.http.get('/api/me').set(clerk.auth).expect(200)).body.user.roles).not.toContain('staff')
    await t.http.post('/api/staff/redemptions').set(clerk.auth).send({ code: await voucherAt(storeA) }).expect(403)
    const audit = await AuditLogModel.findOne({ action: 'staff.remove', targetId: clerk.user.id }).lean()
    expect(audit?.details).toEqual({ before: { storeIds: [storeA] }, after: { storeIds: [] } })
    await t.http.delete(`/api/admin/stores/${storeA}/staff/${clerk.user.id}`).set(ops.auth).expect(404)
  })
})
