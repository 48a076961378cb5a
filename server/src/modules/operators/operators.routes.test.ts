import { OPERATOR_ROLES, permissionsOf, type OperatorRole } from '@xianlin/shared'
import { devLogin, operatorLogin, operatorSignIn, startTestApp, type TestApp } from '../../../test/harness'
import { AuditLogModel } from '../audit/audit-log.model'
import { OperatorModel, OperatorSessionModel } from './operator.model'
import { OPERATOR_POLICY } from './operators.service'

let now = new Date('2026-12-04T02:00:00Z')
let t: TestApp
beforeAll(async () => {
  // Each test signs in from its own address (X-Forwarded-For), so per-IP counts stay apart.
  t = await startTestApp(__filename, { clock: () => now, config: { trustProxy: true } })
})
afterAll(() => t.close())

let ips = 0
const freshIp = () => `10.0.${Math.floor(++ips / 250)}.${ips % 250}`
const signIn = (username: string, password: string, ip: string) => t.http.post('/api/console/session').set('x-forwarded-for', ip).send({ username, password })

describe('operator accounts and sign-in', () => {
  it('a created operator signs in with the one-time password, must change it first, and the change ends their other sessions', async () => {
    const admin = await operatorLogin(t)
    const created = await t.http.post('/api/admin/operators').set(admin.auth).send({ username: 'Xiao.Li', role: 'operations', displayName: '小李' }).expect(201)
    expect(created.body.operator).toMatchObject({ username: 'xiao.li', role: 'operations', mustChangePassword: true })
    const otp = created.body.oneTimePassword as string
    expect(otp).toMatch(/^[A-Za-z0-9]{16}$/)
    expect(await OperatorModel.exists({ passwordHash: { $regex: otp } })).toBeNull()

    const first = await operatorSignIn(t, 'xiao.li', otp)
    const second = await operatorSignIn(t, 'xiao.li', otp)
    expect(first.session).toMatchObject({ operator: { mustChangePassword: true }, permissions: [...permissionsOf('operations')] })
    // Until the one-time password is changed, only "who am I", the change and sign-out answer.
    const refused = await t.http.get('/api/admin/audit').set(first.auth).expect(403)
    expect(refused.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED')

    const weak = await t.http.post('/api/console/password').set(first.auth).send({ currentPassword: otp, newPassword: 'short' }).expect(400)
    expect(weak.body.error.details[0].path).toBe('body.newPassword')
    await t.http.post('/api/console/password').set(first.auth).send({ currentPassword: 'wrong', newPassword: 'a-long-new-password' }).expect(400)
    await t.http.post('/api/console/password').set(first.auth).send({ currentPassword: otp, newPassword: 'a-long-new-password' }).expect(200)

    await t.http.get('/api/console/session').set(first.auth).expect(200)
    expect((await t.http.get('/api/console/session').set(second.auth).expect(401)).body.error.code).toBe('SESSION_REVOKED')
    await signIn('xiao.li', otp, freshIp()).expect(401)
    await operatorSignIn(t, 'xiao.li', 'a-long-new-password')
    const audit = await AuditLogModel.find({ targetType: 'operator', 'details.username': 'xiao.li' }).sort({ at: 1 }).lean()
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['operator.create', 'operator.change_password']))
    expect(audit.find((a) => a.action === 'operator.create')!.operator).toEqual({ id: admin.id, username: admin.username })
  })

  it('refuses a password that is common or easy to guess, naming the field, and takes a strong one', async () => {
    const op = await operatorLogin(t, 'operations')
    for (const weak of ['aaaaaaaaaa', '1234567890', 'password123', 'qwertyuiop', `${op.username}2026`, 'xianlin2026', '鲜邻优选鲜邻优选鲜邻']) {
      const res = await t.http.post('/api/console/password').set(op.auth).send({ currentPassword: op.password, newPassword: weak }).expect(400)
      expect(res.body.error).toMatchObject({ code: 'PASSWORD_TOO_WEAK', details: [{ path: 'body.newPassword', message: expect.stringContaining('容易被猜到') }] })
    }
    await t.http.post('/api/console/password').set(op.auth).send({ currentPassword: op.password, newPassword: 'Plum-kettle-Harbor-93' }).expect(200)
  })

  it(`${OPERATOR_POLICY.failuresBeforeLock} wrong passwords lock the account for a while (audited); the right one is refused until the lock ends`, async () => {
    const op = await operatorLogin(t, 'finance')
    const ip = freshIp()
    for (let i = 0; i < OPERATOR_POLICY.failuresBeforeLock; i++) {
      expect((await signIn(op.username, 'not-the-password', ip).expect(401)).body.error.code).toBe('SIGN_IN_FAILED')
    }
    // Locked, the right password answers exactly as an unknown account does: nothing tells a guesser it exists.
    const locked = await signIn(op.username, op.password, ip).expect(401)
    const unknown = await signIn('no.such.operator', op.password, freshIp()).expect(401)
    expect(locked.body).toEqual(unknown.body)
    expect(locked.body.error.code).toBe('SIGN_IN_FAILED')
    expect(await AuditLogModel.countDocuments({ action: 'operator.lock', targetId: op.id })).toBe(1)

    now = new Date(now.getTime() + OPERATOR_POLICY.lockMs + 1000)
    await signIn(op.username, op.password, ip).expect(201)
  })

  it('many failures from one address lock that address, whatever the usernames, and a wrong username tells nothing more than a wrong password', async () => {
    const op = await operatorLogin(t, 'analyst')
    const ip = freshIp()
    const unknown = await signIn('nobody-here', 'x', ip).expect(401)
    const wrong = await signIn(op.username, 'x', ip).expect(401)
    expect(unknown.body).toEqual(wrong.body)
    for (let i = 2; i < OPERATOR_POLICY.ipFailuresPerWindow; i++) await signIn(`nobody-${i}`, 'x', ip).expect(401)
    expect((await signIn(op.username, op.password, ip).expect(429)).body.error.code).toBe('RATE_LIMITED')
    await signIn(op.username, op.password, freshIp()).expect(201)
    expect(await AuditLogModel.countDocuments({ action: 'operator.ip_lock', targetId: ip })).toBe(1)
  })

  it('a change without the session CSRF token is refused and changes nothing; signing out everywhere ends every session', async () => {
    const admin = await operatorLogin(t)
    const other = await operatorSignIn(t, admin.username, admin.password)
    const noCsrf = await t.http.post('/api/admin/operators').set({ cookie: admin.auth.cookie }).send({ username: 'csrf.victim', role: 'admin' }).expect(403)
    expect(noCsrf.body.error.code).toBe('CSRF_FAILED')
    expect(await OperatorModel.exists({ username: 'csrf.victim' })).toBeNull()

    await t.http.post('/api/console/session/everywhere').set(admin.auth).expect(204)
    await t.http.get('/api/console/session').set(other.auth).expect(401)
    await t.http.get('/api/console/session').set(admin.auth).expect(401)
    expect(await OperatorSessionModel.countDocuments({ operatorId: admin.id })).toBe(0)
  })

  it('the last active admin can be neither demoted nor disabled; a disabled operator is signed out at once', async () => {
    await OperatorModel.updateMany({ role: 'admin' }, { $set: { disabled: true } })
    const admin = await operatorLogin(t)
    const res = await t.http.patch(`/api/admin/operators/${admin.id}`).set(admin.auth).send({ role: 'analyst' }).expect(409)
    expect(res.body.error.code).toBe('LAST_ADMIN')
    const second = await operatorLogin(t)
    const after = await t.http.patch(`/api/admin/operators/${admin.id}`).set(second.auth).send({ disabled: true }).expect(200)
    expect(after.body.operator).toMatchObject({ disabled: true })
    await t.http.get('/api/console/session').set(admin.auth).expect(401)
    const changed = await AuditLogModel.findOne({ action: 'operator.update', targetId: admin.id }).lean()
    expect(changed!.details).toMatchObject({ before: { disabled: false }, after: { disabled: true } })
  })
})

describe('the audit trail', () => {
  it('names the operator behind every console change and filters by actor and action, page by page', async () => {
    const admin = await operatorLogin(t)
    const shopper = await devLogin(t, { nickname: '被调整的会员' })
    for (let i = 0; i < 3; i++) {
      await t.http.post('/api/admin/points/adjust').set(admin.auth).send({ userId: shopper.user.id, amount: 10 + i, reason: '售后补偿', idempotencyKey: `audit-key-${i}` }).expect(200)
    }
    const first = await t.http.get('/api/admin/audit').query({ actor: admin.username, action: 'points.adjust', limit: 2 }).set(admin.auth).expect(200)
    expect(first.body.entries).toHaveLength(2)
    expect(first.body.entries.every((e: { actor: string }) => e.actor === admin.username)).toBe(true)
    const second = await t.http.get('/api/admin/audit').query({ actor: admin.username, action: 'points.adjust', limit: 2, cursor: first.body.next }).set(admin.auth).expect(200)
    expect(second.body.entries).toHaveLength(1)
    expect(second.body.next).toBeNull()
    const amounts = [...first.body.entries, ...second.body.entries].map((e: { details: { amount: number } }) => e.details.amount)
    expect(amounts.sort()).toEqual([10, 11, 12])

    const routeLevel = await t.http.get('/api/admin/audit').query({ actor: admin.username, action: 'console:POST /api/admin/points/adjust' }).set(admin.auth).expect(200)
    expect(routeLevel.body.entries).toHaveLength(3)
    expect(routeLevel.body.entries[0].details.body).toMatchObject({ reason: '售后补偿' })

    const bad = await t.http.get('/api/admin/audit').query({ cursor: 'nonsense' }).set(admin.auth).expect(400)
    expect(bad.body.error.details[0].path).toBe('query.cursor')
  })
})

describe('the permission matrix', () => {
  it('every console route answers anonymous and shopper callers 401, roles without its permission 403, and lets the others through', async () => {
    const consoleRoutes = t.routes.filter(([, , access]) => typeof access === 'object' && 'console' in access)
    expect(consoleRoutes.length).toBeGreaterThan(20)
    const shopper = await devLogin(t, { nickname: '矩阵顾客' })
    const staffish = await devLogin(t, { role: 'admin' as never, nickname: '旧管理员角色' })
    const roles = Object.fromEntries(await Promise.all(OPERATOR_ROLES.map(async (r) => [r, await operatorLogin(t, r)] as const))) as Record<OperatorRole, Awaited<ReturnType<typeof operatorLogin>>>
    const call = (method: string, path: string, headers: Record<string, string>) =>
      (t.http as unknown as Record<string, (p: string) => import('supertest').Test>)[method]!(path.replace(/:id\b/g, '5f0000000000000000000001').replace(/:(\w+)/g, 'x')).set(headers)

    const mismatches: string[] = []
    for (const [method, path, access] of consoleRoutes) {
      const needed = (access as { console: string }).console
      for (const [who, headers, expected] of [
        ['anonymous', {}, 401],
        ['shopper token', shopper.auth, 401],
        ['old admin role token', staffish.auth, 401],
      ] as const) {
        const res = await call(method, path, headers)
        if (res.status !== expected) mismatches.push(`${method} ${path} as ${who}: ${res.status}`)
      }
      for (const role of OPERATOR_ROLES) {
        const allowed = needed === 'any' || permissionsOf(role).includes(needed as never)
        const res = await call(method, path, roles[role].auth)
        const passed = res.status !== 401 && res.status !== 403
        if (passed !== allowed) mismatches.push(`${method} ${path} as ${role}: ${res.status} (${allowed ? 'allowed' : 'refused'} expected)`)
      }
      // Sign-out routes end the session they are called with: sign back in for the next route.
      if (path.startsWith('/api/console/session') && method !== 'get') {
        for (const role of OPERATOR_ROLES) roles[role] = { ...roles[role], ...(await operatorSignIn(t, roles[role].username, roles[role].password)) }
      }
    }
    expect(mismatches).toEqual([])
  })
})
