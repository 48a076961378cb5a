import { devLogin, startTestApp, type TestApp } from '../../../test/harness'
import { startFakeWechat, type FakeWechat } from '../../../test/fake-wechat'

let t: TestApp
let wx: FakeWechat
beforeAll(async () => {
  wx = await startFakeWechat()
  t = await startTestApp(__filename, { env: { WECHAT_API_BASE: wx.baseUrl, WECHAT_APPID: wx.appId, WECHAT_SECRET: wx.secret } })
})
afterAll(async () => {
  await t.close()
  await wx.close()
})

const imageOf = (res: { body: unknown }) => res.body as Buffer

describe('GET /api/invites/poster', () => {
  it('returns the invite code image from WeChat once, then from the cache', async () => {
    const me = await devLogin(t, { nickname: '海报' })
    const first = await t.http.get('/api/invites/poster').set(me.auth).buffer(true).expect(200)
    expect(first.headers['content-type']).toBe('image/jpeg')
    expect(imageOf(first).subarray(1, 4).toString()).toBe('PNG')
    const second = await t.http.get('/api/invites/poster').set(me.auth).buffer(true).expect(200)
    expect(Buffer.compare(imageOf(first), imageOf(second))).toBe(0)
    expect(wx.wxaCodeRequests).toBe(1)
  })

  it('refreshes an expired access token once and still gets the image', async () => {
    const me = await devLogin(t, { nickname: '过期令牌' })
    await t.http.get('/api/invites/poster').set(me.auth).expect(200) // warms the token cache
    wx.expireTokens()
    const tokensBefore = wx.tokenRequests
    const codesBefore = wx.wxaCodeRequests
    const other = await devLogin(t, { nickname: '另一位' })
    await t.http.get('/api/invites/poster').set(other.auth).buffer(true).expect(200)
    expect(wx.tokenRequests).toBe(tokensBefore + 1)
    expect(wx.wxaCodeRequests).toBe(codesBefore + 1)
  })

  it('asks WeChat with a valid scene and page', async () => {
    const me = await devLogin(t, { nickname: '场景' })
    await t.http.get('/api/invites/poster').set(me.auth).expect(200)
    const call = wx.calls.filter((c) => c.path === '/wxa/getwxacodeunlimit').at(-1)
    expect(call?.query.access_token).toMatch(/^ACCESS_/)
  })
})

describe('GET /api/leader/poster', () => {
  it("returns the leader point's code (scene l_<code>) once from WeChat, then cached; leaders only", async () => {
    const shopper = await devLogin(t, { nickname: '非团长' })
    await t.http.get('/api/leader/poster').set(shopper.auth).expect(403)
    const me = await devLogin(t, { nickname: '海报团长' })
    await t.services.leaders.makeLeader(me.user.id, { name: '海报团长', phone: '13800000000', community: '海报小区', address: '海报路 1 号', location: { latitude: 31, longitude: 121 }, hours: '全天' })
    const leader = await devLogin(t, { nickname: '海报团长' })
    const before = wx.wxaCodeRequests
    await t.http.get('/api/leader/poster').set(leader.auth).buffer(true).expect(200)
    await t.http.get('/api/leader/poster').set(leader.auth).buffer(true).expect(200)
    expect(wx.wxaCodeRequests).toBe(before + 1)
    const call = wx.calls.filter((c) => c.path === '/wxa/getwxacodeunlimit').at(-1)
    expect((call?.body as { scene?: string } | undefined)?.scene).toMatch(/^l_[0-9A-Z]{8}$/)
  })
})
