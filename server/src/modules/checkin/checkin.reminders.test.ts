import { devLogin, startTestApp, type TestApp } from '../../../test/harness'
import { startFakeWechat, type FakeWechat } from '../../../test/fake-wechat'
import { fitSubscribeData } from '../../wechat/subscribe-message'
import { UserModel } from '../users/user.model'
import { ReminderModel } from './checkin.model'

const shanghai = (local: string) => new Date(`${local}+08:00`)
let now = shanghai('2026-11-23T09:00:00')
let t: TestApp
let wx: FakeWechat

beforeAll(async () => {
  wx = await startFakeWechat()
  t = await startTestApp(__filename, {
    clock: () => now,
    env: { WECHAT_API_BASE: wx.baseUrl, WECHAT_APPID: wx.appId, WECHAT_SECRET: wx.secret, WECHAT_TEMPLATE_CHECKIN: 'tmpl-checkin-reminder' },
  })
})
afterAll(async () => {
  await t.close()
  await wx.close()
})

const openidOf = async (userId: string) => (await UserModel.findById(userId).lean())!.openid
const subscribe = (auth: Record<string, string>) =>
  t.http.post('/api/checkins/reminder').set(auth).send({ enabled: true, templateId: 'tmpl-checkin-reminder' }).expect(200)

describe('daily check-in reminders', () => {
  it('reminds a subscriber who has not checked in, once, from the reminder hour, spending one consent', async () => {
    const forgetful = await devLogin(t, { nickname: '健忘' })
    const diligent = await devLogin(t, { nickname: '勤快' })
    await subscribe(forgetful.auth)
    await subscribe(diligent.auth)
    await t.http.post('/api/checkins').set(diligent.auth).expect(201)
    expect((await t.http.get('/api/checkins').set(forgetful.auth)).body.reminderTemplateId).toBe('tmpl-checkin-reminder')

    now = shanghai('2026-11-23T19:30:00')
    expect(await t.services.checkin.sendReminders(now)).toBe(0)

    now = shanghai('2026-11-23T20:05:00')
    const runs = await Promise.all([t.services.checkin.sendReminders(now), t.services.checkin.sendReminders(now)])
    expect(runs[0] + runs[1]).toBe(1)
    const forgetfulOpenid = await openidOf(forgetful.user.id)
    expect(wx.sentMessages.map((m) => m.touser)).toEqual([forgetfulOpenid])
    expect(wx.sentMessages[0]).toMatchObject({ template_id: 'tmpl-checkin-reminder', page: 'pages/checkin/index', miniprogram_state: 'developer' })
    expect(await ReminderModel.findById(forgetful.user.id).lean()).toMatchObject({ consents: 0, lastSentDay: '2026-11-23' })

    // The next evening the diligent one, who has not checked in yet, spends their consent; the
    // forgetful one has none left.
    now = shanghai('2026-11-24T20:05:00')
    expect(await t.services.checkin.sendReminders(now)).toBe(1)
    expect(wx.sentMessages.map((m) => m.touser)).toEqual([forgetfulOpenid, await openidOf(diligent.user.id)])
  })

  it('refreshes an expired access token once and still sends', async () => {
    const user = await devLogin(t, { nickname: '令牌' })
    await subscribe(user.auth)
    wx.expireTokens()
    const before = wx.tokenRequests
    now = shanghai('2026-11-25T21:00:00')
    expect(await t.services.checkin.sendReminders(now)).toBe(1)
    expect(wx.tokenRequests).toBeGreaterThan(before)
  })

  it('stops reminding a user who withdrew consent (43101)', async () => {
    const user = await devLogin(t, { nickname: '退订' })
    await subscribe(user.auth)
    wx.refuseSubscription(await openidOf(user.user.id))
    now = shanghai('2026-11-26T20:30:00')
    expect(await t.services.checkin.sendReminders(now)).toBe(0)
    expect(await ReminderModel.findById(user.user.id).lean()).toMatchObject({ enabled: false, consents: 0 })
  })

  it('truncates values to their key type instead of failing the send', () => {
    const fitted = fitSubscribeData({ thing1: '超长的商品名称超长的商品名称超长的商品名称', phrase2: '已经签到了' })
    expect(Array.from(fitted.thing1!.value)).toHaveLength(20)
    expect(fitted.thing1!.value.endsWith('…')).toBe(true)
    expect(fitted.phrase2!.value).toBe('已经签到了')
  })
})
