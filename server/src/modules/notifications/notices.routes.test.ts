import { startTestApp, type TestApp } from '../../../test/harness'
import { fakeWechatEnv, startFakeWechat, wechatSignIn, type FakeWechat } from '../../../test/fake-wechat'
import { NotificationModel } from './notification.model'
import { notify } from './notifications.service'

let now = new Date('2026-11-23T04:00:00Z')
let t: TestApp
let wx: FakeWechat
beforeAll(async () => {
  wx = await startFakeWechat()
  t = await startTestApp(__filename, { clock: () => now, env: { ...fakeWechatEnv(wx), WECHAT_TEMPLATE_NOTICE: 'tmpl-notice' } })
})
afterAll(async () => {
  await t.close()
  await wx.close()
})

let n = 0
const member = () => wechatSignIn(t.http, wx, `o-notice-${++n}`)

describe('消息通知', () => {
  it('lists a level-up with its page and the unread count; opening the list reads them', async () => {
    const m = await member()
    await t.services.membership.addGrowth({ userId: m.id, amount: 1000, source: 'admin', key: `notice:${m.id}` })
    const list = (await t.http.get('/api/notices').set(m.auth).expect(200)).body
    expect(list).toMatchObject({ unread: 1, templateId: 'tmpl-notice', consents: 0, notices: [{ kind: 'level_up', title: '恭喜升级为银卡会员', link: '/pages/membership/index', read: false }] })
    expect((await t.http.get('/api/notices/unread').set(m.auth).expect(200)).body).toEqual({ unread: 1 })
    await t.http.post('/api/notices/read').set(m.auth).expect(200, { unread: 0 })
    expect((await t.http.get('/api/notices').set(m.auth).expect(200)).body.notices[0].read).toBe(true)
    await t.http.get('/api/notices').expect(401)
  })

  it('sends one WeChat message per consent, once however many jobs run; none without consent; a withdrawn consent stops them', async () => {
    const m = await member()
    const silent = await member()
    await t.http.post('/api/notices/consents').set(m.auth).expect(200, { consents: 1 })
    for (const who of [m, m, silent]) await notify({ key: `test:${who.id}:${Math.random()}`, userId: who.id, kind: 'perk', title: '本月会员券已到账', body: '2 张金卡月度券已放入「我的优惠券」', at: now })
    const before = wx.sentMessages.length
    await Promise.all([t.services.notifications.push(now), t.services.notifications.push(now)])
    const sent = wx.sentMessages.slice(before)
    expect(sent.map((s) => s.touser)).toEqual([m.openid])
    expect(sent[0]).toMatchObject({ template_id: 'tmpl-notice', page: 'pages/coupons/index', data: { thing1: { value: '本月会员券已到账' } } })
    expect(await NotificationModel.countDocuments({ userId: m.id, push: 'no_consent' })).toBe(1)
    expect(await NotificationModel.countDocuments({ userId: silent.id, push: 'no_consent' })).toBe(1)

    // The member withdrew consent in WeChat: the send fails, the consents are cleared.
    await t.http.post('/api/notices/consents').set(m.auth).expect(200, { consents: 1 })
    wx.refuseSubscription(m.openid)
    await notify({ key: `test:${m.id}:withdrawn`, userId: m.id, kind: 'perk', title: '生日礼券已到账', body: '生日快乐', at: now })
    await t.services.notifications.push(now)
    expect((await t.http.get('/api/notices').set(m.auth).expect(200)).body.consents).toBe(0)
    expect((await NotificationModel.findById(`test:${m.id}:withdrawn`).lean())!.push).toBe('failed')

    // A day-old notice is not pushed any more.
    await t.http.post('/api/notices/consents').set(silent.auth).expect(200)
    await notify({ key: `test:${silent.id}:old`, userId: silent.id, kind: 'perk', title: '旧消息', body: '旧消息', at: now })
    now = new Date(now.getTime() + 25 * 3_600_000)
    await t.services.notifications.push(now)
    expect((await NotificationModel.findById(`test:${silent.id}:old`).lean())!.push).toBe('expired')
  })
})
