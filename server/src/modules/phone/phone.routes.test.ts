import mongoose from 'mongoose'
import { startTestApp, variantApp, type TestApp } from '../../../test/harness'
import { fakeWechatEnv, startFakeWechat, wechatSignIn, type FakeWechat } from '../../../test/fake-wechat'
import { AuditLogModel } from '../audit/audit-log.model'
import { createPhoneCrypto } from './phone-crypto'

let t: TestApp
let wx: FakeWechat
const wxEnv = () => fakeWechatEnv(wx)
beforeAll(async () => {
  wx = await startFakeWechat()
  t = await startTestApp(__filename, { env: wxEnv() })
})
afterAll(async () => {
  await t.close()
  await wx.close()
})

let n = 0
const member = () => wechatSignIn(t.http, wx, `o-phone-${++n}`)
const me = async (m: { auth: Record<string, string> }) => (await t.http.get('/api/me').set(m.auth).expect(200)).body.user
/** Everything stored about a member, as the database holds it (raw, not through the models). */
async function rawDocsOf(id: string) {
  const db = mongoose.connection.db!
  const _id = new mongoose.Types.ObjectId(id)
  return JSON.stringify([await db.collection('users').findOne({ _id }), await db.collection('phone_bindings').findOne({ _id }), await db.collection('audit_logs').find({ targetId: id }).toArray()])
}

describe('binding a phone number through WeChat', () => {
  it('stores only ciphertext and a keyed hash, and shows the number masked', async () => {
    const m = await member()
    const res = await t.http.post('/api/me/phone').set(m.auth).send({ code: wx.issuePhoneCode('13812341234') }).expect(200)
    expect(res.body).toEqual({ phoneMasked: '138****1234' })
    expect((await me(m)).phoneMasked).toBe('138****1234')
    const raw = await rawDocsOf(m.id)
    expect(raw).toContain('138****1234')
    expect(raw).not.toContain('13812341234')
    expect(raw).not.toContain('8123412') // no run of the hidden middle digits either
    // The call named the member and used a token, as WECHAT.md describes.
    const call = wx.calls.find((c) => c.path === '/wxa/business/getuserphonenumber')!
    expect(call.query.access_token).toMatch(/^ACCESS_/)
    expect(call.body).toMatchObject({ openid: m.openid })
    expect(await AuditLogModel.countDocuments({ action: 'phone.bind', targetId: m.id })).toBe(1)
  })

  it.each([
    [40029, 400, 'PHONE_CODE_INVALID', '手机号授权已失效，请重新点击获取手机号'],
    [45011, 429, 'PHONE_TOO_FREQUENT', '获取手机号太频繁，请稍后再试'],
    [40013, 502, 'PHONE_APP_MISCONFIGURED', '小程序配置有误，暂时无法获取手机号，请联系客服'],
    [-1, 502, 'WECHAT_UNAVAILABLE', '微信服务暂时不可用，请稍后再试'],
  ])('maps WeChat errcode %i to %i %s, in Chinese, changing nothing', async (errcode, status, code, message) => {
    const m = await member()
    wx.failNextPhone(errcode)
    const res = await t.http.post('/api/me/phone').set(m.auth).send({ code: wx.issuePhoneCode('13900001111') }).expect(status)
    expect(res.body.error).toMatchObject({ code, message })
    expect((await me(m)).phoneMasked).toBeNull()
    expect(await AuditLogModel.countDocuments({ targetId: m.id, action: { $regex: '^phone\\.' } })).toBe(0)
  })

  it('refuses a used code and a reply whose watermark names another app', async () => {
    const m = await member()
    const code = wx.issuePhoneCode('13900002222')
    await t.http.post('/api/me/phone').set(m.auth).send({ code }).expect(200)
    expect((await t.http.post('/api/me/phone').set(m.auth).send({ code }).expect(400)).body.error.code).toBe('PHONE_CODE_INVALID')
    const other = await member()
    const foreign = await t.http.post('/api/me/phone').set(other.auth).send({ code: wx.issuePhoneCode('13900003333', { watermarkAppId: 'wx9999999999999999' }) }).expect(502)
    expect(foreign.body.error.code).toBe('PHONE_APP_MISCONFIGURED')
    expect((await me(other)).phoneMasked).toBeNull()
  })

  it('audits a change of number with before and after (masked), and an unbinding', async () => {
    const m = await member()
    await t.http.post('/api/me/phone').set(m.auth).send({ code: wx.issuePhoneCode('13700001234') }).expect(200)
    // The same number again (a double tap) is no change.
    await t.http.post('/api/me/phone').set(m.auth).send({ code: wx.issuePhoneCode('13700001234') }).expect(200)
    await t.http.post('/api/me/phone').set(m.auth).send({ code: wx.issuePhoneCode('13600005678') }).expect(200, { phoneMasked: '136****5678' })
    await t.http.delete('/api/me/phone').set(m.auth).expect(200, { phoneMasked: null })
    expect((await me(m)).phoneMasked).toBeNull()
    const trail = await AuditLogModel.find({ targetId: m.id, action: { $regex: '^phone\\.' } }).sort({ at: 1, _id: 1 }).lean()
    expect(trail.map((a) => [a.action, a.details])).toEqual([
      ['phone.bind', { masked: '137****1234', source: 'wechat' }],
      ['phone.rebind', { before: { masked: '137****1234' }, after: { masked: '136****5678' }, source: 'wechat' }],
      ['phone.unbind', { masked: '136****5678' }],
    ])
  })

  it('takes a typed number only where the development login is on', async () => {
    const m = await member()
    await t.http.post('/api/me/phone').set(m.auth).send({ phoneNumber: '13512345678' }).expect(200, { phoneMasked: '135****5678' })
    const strict = variantApp({ ...wxEnv(), DEV_LOGIN: 'off' })
    const res = await strict.post('/api/me/phone').set(m.auth).send({ phoneNumber: '13512345679' }).expect(403)
    expect(res.body.error.code).toBe('PHONE_TYPED_DISABLED')
    expect((await me(m)).phoneMasked).toBe('135****5678')
    // Not a mainland number, or both fields at once: refused before anything happens.
    await t.http.post('/api/me/phone').set(m.auth).send({ phoneNumber: '12345' }).expect(400)
    await t.http.post('/api/me/phone').set(m.auth).send({ phoneNumber: '13512345678', code: 'x' }).expect(400)
  })
})

describe('phone keys', () => {
  const key = (fill: number) => Buffer.alloc(32, fill).toString('base64')
  it('opens numbers sealed with an older key after rotation, keeps the look-up hash, and refuses a tampered seal', () => {
    const before = createPhoneCrypto({ keys: [{ id: 'k1', keyBase64: key(1) }], hashKeyBase64: key(9) })
    const after = createPhoneCrypto({ keys: [{ id: 'k2', keyBase64: key(2) }, { id: 'k1', keyBase64: key(1) }], hashKeyBase64: key(9) })
    const sealed = before.seal('13812341234')
    expect(sealed.keyId).toBe('k1')
    expect(after.open(sealed)).toBe('13812341234')
    expect(after.seal('13812341234').keyId).toBe('k2')
    expect(after.hash('13812341234')).toBe(before.hash('13812341234'))
    expect(before.seal('13812341234').sealed).not.toBe(sealed.sealed) // a fresh IV each time
    const tampered = Buffer.from(sealed.sealed, 'base64')
    tampered[tampered.length - 1] ^= 1
    expect(() => after.open({ keyId: 'k1', sealed: tampered.toString('base64') })).toThrow()
  })
})

describe('one number, one member', () => {
  it('refuses a number another member holds, saying where to unbind it; five members binding it at once leave one holder; unbinding frees it', async () => {
    const [a, b] = [await member(), await member()]
    await t.http.post('/api/me/phone').set(a.auth).send({ code: wx.issuePhoneCode('13600001111') }).expect(200)
    const taken = await t.http.post('/api/me/phone').set(b.auth).send({ code: wx.issuePhoneCode('13600001111') }).expect(409)
    expect(taken.body.error).toMatchObject({ code: 'PHONE_TAKEN', message: '这个手机号已绑定在另一个账号上；如需换绑，请先在那个账号的「设置」中解绑' })
    expect((await me(b)).phoneMasked).toBeNull()
    // Changing to a number someone holds is refused too, and keeps the member's own.
    await t.http.post('/api/me/phone').set(b.auth).send({ code: wx.issuePhoneCode('13600002222') }).expect(200)
    await t.http.post('/api/me/phone').set(b.auth).send({ code: wx.issuePhoneCode('13600001111') }).expect(409)
    expect((await me(b)).phoneMasked).toBe('136****2222')
    // Once unbound there, it can be bound here.
    await t.http.delete('/api/me/phone').set(a.auth).expect(200)
    await t.http.post('/api/me/phone').set(b.auth).send({ code: wx.issuePhoneCode('13600001111') }).expect(200)
    expect((await me(b)).phoneMasked).toBe('136****1111')
    // And the number b left is free for a.
    await t.http.post('/api/me/phone').set(a.auth).send({ code: wx.issuePhoneCode('13600002222') }).expect(200)

    const racers = await Promise.all(Array.from({ length: 5 }, () => member()))
    const results = await Promise.all(racers.map((r) => t.http.post('/api/me/phone').set(r.auth).send({ code: wx.issuePhoneCode('13600003333') })))
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409])
    const holders = await Promise.all(racers.map(me))
    expect(holders.filter((u) => u.phoneMasked === '136****3333')).toHaveLength(1)
  })
})
