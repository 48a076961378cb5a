import mongoose from 'mongoose'
import { devLogin, startTestApp, type TestApp } from '../../test/harness'
import { AuditLogModel } from '../modules/audit/audit-log.model'
import { PointEntryModel } from '../modules/points/point-entry.model'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

const confirm = { confirm: '注销账号' }

describe('注销账号', () => {
  it('removes what identifies the member, keeps the ledgers anonymous, and ends every session', async () => {
    const m = await devLogin(t, { nickname: '将注销的会员', deviceId: 'device-to-forget-0001' })
    await t.http.post('/api/me/phone').set(m.auth).send({ phoneNumber: '13811112222' }).expect(200)
    await t.http.post('/api/checkins').set(m.auth).expect(201)
    await t.http.post('/api/checkins/reminder').set(m.auth).send({ enabled: true }).expect(200)

    // Without the words, or with anything else, nothing happens.
    await t.http.post('/api/me/deletion').set(m.auth).send({}).expect(400)
    await t.http.post('/api/me/deletion').set(m.auth).send({ confirm: '确定' }).expect(400)
    expect((await t.http.get('/api/me').set(m.auth).expect(200)).body.user.nickname).toBe('将注销的会员')

    await t.http.post('/api/me/deletion').set(m.auth).send(confirm).expect(204)
    await t.http.get('/api/me').set(m.auth).expect(401)
    await t.http.post('/api/auth/refresh').send({ refreshToken: m.refreshToken }).expect(401)

    const db = mongoose.connection.db!
    const _id = new mongoose.Types.ObjectId(m.user.id)
    const raw = JSON.stringify([
      await db.collection('users').findOne({ _id }),
      await db.collection('phone_bindings').findOne({ _id }),
      await db.collection('user_devices').find({ userId: _id }).toArray(),
      await db.collection('checkin_reminders').findOne({ _id }),
    ])
    expect(raw).not.toMatch(/将注销的会员|13811112222|138\*\*\*\*2222|device-to-forget|dev:shopper/)
    expect(await db.collection('users').findOne({ _id })).toMatchObject({ nickname: '已注销用户', unionid: null, phoneMasked: null, deletedAt: expect.any(Date) })
    // The ledgers stay whole: the check-in's points are still accounted for, under the anonymous id.
    expect(await PointEntryModel.countDocuments({ ownerId: m.user.id })).toBeGreaterThan(0)
    expect(await AuditLogModel.countDocuments({ action: 'account.delete', targetId: m.user.id })).toBe(1)

    // The same person signing in again is a new member.
    const again = await devLogin(t, { nickname: '将注销的会员' })
    expect(again.user.id).not.toBe(m.user.id)
    expect(again.user.phoneMasked).toBeNull()
  })

  it('refuses while the member is staff, changing nothing', async () => {
    const clerk = await devLogin(t, { role: 'staff' })
    const res = await t.http.post('/api/me/deletion').set(clerk.auth).send(confirm)
    expect(res.status).toBe(409)
    expect(res.body.error).toMatchObject({ code: 'ACCOUNT_HAS_DUTIES', message: expect.stringContaining('店员') })
    expect((await t.http.get('/api/me').set(clerk.auth).expect(200)).body.user.roles).toContain('staff')
  })
})
