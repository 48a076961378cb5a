import { randomBytes } from 'node:crypto'
import { devLogin, startTestApp, staffOf, type TestApp, operatorLogin } from '../../../test/harness'
import { OperatorModel } from '../operators/operator.model'

let t: TestApp
let admin: Awaited<ReturnType<typeof devLogin>>
beforeAll(async () => {
  // The default cache (2 s): changes made through the API drop it at once, others age out.
  t = await startTestApp(__filename)
  admin = await operatorLogin(t)
})
afterAll(() => t.close())

async function store(name: string): Promise<string> {
  const res = await t.http.post('/api/admin/stores').set(admin.auth).send({ code: `AU-${randomBytes(2).toString('hex').toUpperCase()}`, name, address: '上海', hours: '08:00-22:00' }).expect(201)
  return res.body.store.id
}

describe('authority is read fresh on every request', () => {
  it('refuses a clerk removed from their store on the next request with the token they already hold', async () => {
    const storeId = await store('鲜邻优选·权限店')
    const clerk = await staffOf(t, admin, storeId, '被移除的店员')
    await t.http.get('/api/staff/redemptions').set(clerk.auth).expect(200)
    await t.http.put(`/api/admin/staff/${clerk.user.id}`).set(admin.auth).send({ storeIds: [] }).expect(200)
    const refused = await t.http.get('/api/staff/redemptions').set(clerk.auth).expect(403)
    expect(refused.body.error.code).toBe('FORBIDDEN')
    await t.http.post('/api/staff/pickups').set(clerk.auth).send({ code: 'ABCD-EFGH-JKLM' }).expect(403)
  })

  it('moves a clerk between stores at once: the old store is no longer theirs', async () => {
    const [a, b] = [await store('鲜邻优选·甲店'), await store('鲜邻优选·乙店')]
    const clerk = await staffOf(t, admin, a, '调店的店员')
    await t.http.put(`/api/admin/staff/${clerk.user.id}`).set(admin.auth).send({ storeIds: [b] }).expect(200)
    const me = (await t.http.get('/api/me').set(clerk.auth).expect(200)).body.user
    expect(me.storeIds).toEqual([b])
    const history = await t.http.get(`/api/staff/redemptions?storeId=${a}`).set(clerk.auth)
    expect(history.status).toBe(403)
  })

  it('refuses a suspended leader on leader routes at once and lets them back in when reinstated', async () => {
    const me = await devLogin(t, { nickname: '待暂停团长' })
    await t.http.post('/api/leaders/applications').set(me.auth).send({ name: '李梅', phone: '13800138001', community: '梅园小区', address: '梅园路 1 号', location: { latitude: 31.2, longitude: 121.4 }, hours: '08:00-20:00' }).expect(201)
    await t.http.post(`/api/admin/leaders/applications/${me.user.id}/approve`).set(admin.auth).expect(200)
    // The token from before the approval already carries the new role: roles are not in tokens.
    await t.http.get('/api/leader/centre').set(me.auth).expect(200)
    await t.http.post(`/api/admin/leaders/${me.user.id}/suspend`).set(admin.auth).expect(200)
    expect((await t.http.get('/api/leader/centre').set(me.auth).expect(403)).body.error.code).toBe('LEADER_SUSPENDED')
    await t.http.post(`/api/admin/leaders/${me.user.id}/reinstate`).set(admin.auth).expect(200)
    await t.http.get('/api/leader/centre').set(me.auth).expect(200)
  })

  it('refuses a demoted console operator on their next request, however the role was changed', async () => {
    const operator = await operatorLogin(t, 'operations')
    await t.http.get('/api/admin/leaders/applications').set(operator.auth).expect(200)
    await OperatorModel.updateOne({ _id: operator.id }, { $set: { role: 'analyst' } })
    await t.http.get('/api/admin/leaders/applications').set(operator.auth).expect(403)
  })

  it('ends the access tokens of a session whose refresh token was reused', async () => {
    const first = await devLogin(t, { nickname: '被盗用的会话' })
    await t.http.get('/api/me').set(first.auth).expect(200)
    const rotated = await t.http.post('/api/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)
    const reuse = await t.http.post('/api/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401)
    expect(reuse.body.error.code).toBe('REFRESH_TOKEN_REUSED')
    for (const token of [first.accessToken, rotated.body.accessToken]) {
      const res = await t.http.get('/api/me').set('authorization', `Bearer ${token}`).expect(401)
      expect(res.body.error.code).toBe('SESSION_REVOKED')
    }
    // Signing in again starts a new session that works.
    const again = await devLogin(t, { nickname: '被盗用的会话' })
    await t.http.get('/api/me').set(again.auth).expect(200)
  })
})
