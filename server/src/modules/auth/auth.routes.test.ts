import jwt from 'jsonwebtoken'
import { devLogin, startTestApp, type TestApp } from '../../../test/harness'
import { startFakeWechat, type FakeWechat } from '../../../test/fake-wechat'
import { findEvents, countEvents } from '../events/event.model'
import { UserModel } from '../users/user.model'
import { RefreshTokenModel } from './refresh-token.model'

let t: TestApp
let wx: FakeWechat

beforeAll(async () => {
  wx = await startFakeWechat()
  t = await startTestApp(__filename, {
    env: { WECHAT_API_BASE: wx.baseUrl, WECHAT_APPID: wx.appId, WECHAT_SECRET: wx.secret, LOGIN_RATE_LIMIT_PER_MINUTE: '1000' },
  })
})
afterAll(async () => {
  await t.close()
  await wx.close()
})

describe('POST /api/auth/wechat', () => {
  it('exchanges a WeChat code for tokens, registers the user once and records register and login events', async () => {
    const first = await t.http.post('/api/auth/wechat').send({ code: wx.issueCode('o-alice', { unionid: 'u-alice' }) }).expect(200)
    expect(first.body).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 7200 })
    expect(first.body.user).toMatchObject({ nickname: '微信用户', roles: ['shopper'] })
    expect(JSON.stringify(first.body)).not.toMatch(/session_key|sessionKey|o-alice/)

    const second = await t.http.post('/api/auth/wechat').send({ code: wx.issueCode('o-alice') }).expect(200)
    expect(second.body.user.id).toBe(first.body.user.id)
    expect(await UserModel.countDocuments({ openid: 'o-alice' })).toBe(1)
    const user = await UserModel.findOne({ openid: 'o-alice' })
    expect(user?.unionid).toBe('u-alice')

    const events = await findEvents({ userId: user!._id })
    expect(events.map((e) => e.name).sort()).toEqual(['login', 'login', 'register'])
    expect(events[0]!.day).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })

  it('registers one user when 10 first logins of the same WeChat user race', async () => {
    const codes = Array.from({ length: 10 }, () => wx.issueCode('o-racer'))
    const results = await Promise.all(codes.map((code) => t.http.post('/api/auth/wechat').send({ code })))
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200))
    expect(new Set(results.map((r) => r.body.user.id)).size).toBe(1)
    expect(await UserModel.countDocuments({ openid: 'o-racer' })).toBe(1)
    const user = await UserModel.findOne({ openid: 'o-racer' })
    expect(await countEvents({ userId: user!._id, name: 'register' })).toBe(1)
  })

  it('passes the configured appid and secret to jscode2session', async () => {
    const code = wx.issueCode('o-bob')
    await t.http.post('/api/auth/wechat').send({ code }).expect(200)
    const call = wx.calls.find((c) => c.query.js_code === code)
    expect(call?.query).toMatchObject({ appid: wx.appId, secret: wx.secret, grant_type: 'authorization_code' })
  })

  it('answers 401 with a clear message when WeChat rejects the code, and creates no user', async () => {
    const before = await UserModel.countDocuments()
    const res = await t.http.post('/api/auth/wechat').send({ code: 'not-a-real-code' }).expect(401)
    expect(res.body.error).toEqual({ code: 'WECHAT_LOGIN_FAILED', message: '登录凭证无效，请重新进入小程序', details: { errcode: 40029 } })
    expect(await UserModel.countDocuments()).toBe(before)
  })

  it('refuses a code used twice (WeChat 40163)', async () => {
    const code = wx.issueCode('o-carol')
    await t.http.post('/api/auth/wechat').send({ code }).expect(200)
    const res = await t.http.post('/api/auth/wechat').send({ code }).expect(401)
    expect(res.body.error).toMatchObject({ code: 'WECHAT_LOGIN_FAILED', details: { errcode: 40163 } })
  })

  it('answers 502 when WeChat is busy (-1), so the client retries', async () => {
    wx.failNext(-1)
    const res = await t.http.post('/api/auth/wechat').send({ code: wx.issueCode('o-dave') }).expect(502)
    expect(res.body.error.code).toBe('WECHAT_UNAVAILABLE')
  })

  it('rejects an unknown field and a $where key with 400 and writes nothing', async () => {
    const users = await UserModel.countDocuments()
    const tokens = await RefreshTokenModel.countDocuments()
    const unknown = await t.http.post('/api/auth/wechat').send({ code: wx.issueCode('o-eve'), isAdmin: true }).expect(400)
    expect(unknown.body.error.code).toBe('VALIDATION_FAILED')
    expect(unknown.body.error.details[0].path).toContain('isAdmin')
    const injected = await t.http.post('/api/auth/wechat').send({ code: { $where: 'sleep(1000)' } }).expect(400)
    expect(injected.body.error).toMatchObject({ code: 'FORBIDDEN_KEY', details: [{ path: 'body.code.$where' }] })
    const nested = await t.http.post('/api/auth/dev').send({ nickname: 'x', attribution: { $gt: '' } }).expect(400)
    expect(nested.body.error.code).toBe('FORBIDDEN_KEY')
    expect(await UserModel.countDocuments()).toBe(users)
    expect(await RefreshTokenModel.countDocuments()).toBe(tokens)
  })
})

describe('POST /api/auth/refresh', () => {
  it('rotates: the new pair works and the old refresh token is refused', async () => {
    const login = await devLogin(t, { nickname: '轮换' })
    const rotated = await t.http.post('/api/auth/refresh').send({ refreshToken: login.refreshToken }).expect(200)
    expect(rotated.body.refreshToken).not.toBe(login.refreshToken)
    await t.http.get('/api/me').set('authorization', `Bearer ${rotated.body.accessToken}`).expect(200)
    const again = await t.http.post('/api/auth/refresh').send({ refreshToken: login.refreshToken }).expect(401)
    expect(again.body.error.code).toBe('REFRESH_TOKEN_REUSED')
  })

  it('revokes the whole family when a used token is presented again', async () => {
    const login = await devLogin(t, { nickname: '被盗' })
    const rotated = await t.http.post('/api/auth/refresh').send({ refreshToken: login.refreshToken }).expect(200)
    await t.http.post('/api/auth/refresh').send({ refreshToken: login.refreshToken }).expect(401)
    // The thief replayed the old token, so the legitimate newest one dies too.
    const res = await t.http.post('/api/auth/refresh').send({ refreshToken: rotated.body.refreshToken }).expect(401)
    expect(res.body.error.code).toBe('REFRESH_TOKEN_REUSED')
  })

  it('lets exactly one of 10 concurrent uses of one refresh token succeed', async () => {
    const login = await devLogin(t, { nickname: '并发' })
    const results = await Promise.all(
      Array.from({ length: 10 }, () => t.http.post('/api/auth/refresh').send({ refreshToken: login.refreshToken })),
    )
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    expect(results.filter((r) => r.status === 401)).toHaveLength(9)
  })

  it('refuses an access token presented as a refresh token', async () => {
    const login = await devLogin(t, { nickname: '混用' })
    const res = await t.http.post('/api/auth/refresh').send({ refreshToken: login.accessToken }).expect(401)
    expect(res.body.error.code).toBe('TOKEN_INVALID')
  })
})

describe('access tokens and roles', () => {
  it('GET /api/me returns the signed-in user', async () => {
    const login = await devLogin(t, { nickname: '小明' })
    const res = await t.http.get('/api/me').set(login.auth).expect(200)
    expect(res.body.user).toMatchObject({ id: login.user.id, nickname: '小明', roles: ['shopper'] })
  })

  it('answers 401 without a token, with a tampered token and with an expired one', async () => {
    expect((await t.http.get('/api/me').expect(401)).body.error.code).toBe('UNAUTHENTICATED')
    const login = await devLogin(t, { nickname: '篡改' })
    const [header, payload, signature] = login.accessToken.split('.')
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), roles: ['admin'] })).toString('base64url')
    const tampered = await t.http.get('/api/me').set('authorization', `Bearer ${header}.${forged}.${signature}`).expect(401)
    expect(tampered.body.error.code).toBe('TOKEN_INVALID')
    const otherKey = jwt.sign({ roles: ['admin'], stores: [] }, 'another-secret', { issuer: 'xianlin', audience: 'access', subject: login.user.id })
    expect((await t.http.get('/api/me').set('authorization', `Bearer ${otherKey}`).expect(401)).body.error.code).toBe('TOKEN_INVALID')
    const expired = jwt.sign({ roles: ['shopper'], stores: [], exp: Math.floor(Date.now() / 1000) - 10 }, t.config.jwt.secret, {
      issuer: 'xianlin',
      audience: 'access',
      subject: login.user.id,
    })
    const res = await t.http.get('/api/me').set('authorization', `Bearer ${expired}`).expect(401)
    expect(res.body.error).toEqual({ code: 'TOKEN_EXPIRED', message: '登录已过期，请重新登录' })
  })

  it('answers 401 when a shopper token calls a console route (operators sign in apart), and changes nothing', async () => {
    const shopper = await devLogin(t, { nickname: '越权' })
    const res = await t.http.put(`/api/admin/staff/${shopper.user.id}`).set(shopper.auth).send({ storeIds: [] }).expect(401)
    expect(res.body.error.code).toBe('UNAUTHENTICATED')
    const me = await t.http.get('/api/me').set(shopper.auth).expect(200)
    expect(me.body.user.roles).toEqual(['shopper'])
  })

  it('signs in as the demo account of a role through the dev login', async () => {
    const staff = await devLogin(t, { role: 'staff' })
    expect(staff.user.roles).toEqual(['shopper', 'staff'])
    const again = await devLogin(t, { role: 'staff' })
    expect(again.user.id).toBe(staff.user.id)
  })
})
