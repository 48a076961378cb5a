import supertest from 'supertest'
import { buildApp } from '../../app'
import { devLogin, operatorLogin, startTestApp, type TestApp } from '../../../test/harness'
import { AuditLogModel } from '../audit/audit-log.model'

let now = new Date('2026-10-01T01:00:00Z') // 09:00 in Shanghai
let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now })
})
afterAll(() => t.close())

const shanghaiDay = (d: number) => new Date(`2026-10-${String(d).padStart(2, '0')}T09:00:00+08:00`)

/** Checks `auth` in on days 1–7 of October through `http`; the day-7 reward. */
async function weekOfCheckins(http: supertest.Agent | ReturnType<typeof supertest>, auth: Record<string, string>, before7?: () => Promise<void>) {
  for (let d = 1; d <= 6; d++) {
    now = shanghaiDay(d)
    await http.post('/api/checkins').set(auth).expect(201)
  }
  await before7?.()
  now = shanghaiDay(7)
  return (await http.post('/api/checkins').set(auth).expect(201)).body.checkin.points as number
}

describe('规则设置', () => {
  it('refuses an invalid value naming the field and changes nothing; a saved change is audited and pays on the next check-in, on every instance', async () => {
    const admin = await operatorLogin(t, 'admin')
    const current = (await t.http.get('/api/admin/rules').set(admin.auth).expect(200)).body
    expect(current).toMatchObject({ version: 0, savedBy: null })
    const bonus = current.rules.checkin.cycleBonusPoints as number
    const edited = (patch: (r: typeof current.rules) => void) => {
      const r = structuredClone(current.rules)
      patch(r)
      return r
    }

    const negative = await t.http.put('/api/admin/rules').set(admin.auth).send({ baseVersion: 0, reason: '活动加码', rules: edited((r) => (r.checkin.cycleBonusPoints = -5)) }).expect(400)
    expect(negative.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.rules.checkin.cycleBonusPoints'])
    const typo = await t.http.put('/api/admin/rules').set(admin.auth).send({ baseVersion: 0, reason: '活动加码', rules: edited((r) => (r.checkin.bonusPoints = 5)) }).expect(400)
    expect(typo.body.error.details[0].path).toBe('body.rules.checkin.bonusPoints')
    const zone = await t.http.put('/api/admin/rules').set(admin.auth).send({ baseVersion: 0, reason: '活动加码', rules: edited((r) => (r.business.timeZone = 'Europe/Berlin')) }).expect(400)
    expect(zone.body.error.details[0].path).toBe('body.rules.business.timeZone')
    expect((await t.http.get('/api/admin/rules').set(admin.auth).expect(200)).body.version).toBe(0)

    // A second instance on the same database, started before the change.
    const second = buildApp(t.config, { clock: () => now })
    const secondHttp = supertest(second.app.callback())

    const saved = await t.http.put('/api/admin/rules').set(admin.auth).send({ baseVersion: 0, reason: '十月签到加码', rules: edited((r) => (r.checkin.cycleBonusPoints = bonus + 15)) }).expect(200)
    expect(saved.body).toMatchObject({ version: 1, savedBy: admin.username, reason: '十月签到加码', rules: { checkin: { cycleBonusPoints: bonus + 15 } } })
    const stale = await t.http.put('/api/admin/rules').set(admin.auth).send({ baseVersion: 0, reason: '另一处修改', rules: edited((r) => (r.checkin.dailyPoints = 2)) }).expect(409)
    expect(stale.body.error.code).toBe('RULES_CHANGED')

    const audit = await AuditLogModel.findOne({ action: 'rules.update', targetId: '1' }).lean()
    expect(audit).toMatchObject({ operator: { username: admin.username }, details: { reason: '十月签到加码', changes: [{ path: 'checkin.cycleBonusPoints', before: bonus, after: bonus + 15 }] } })

    // This instance pays the new bonus at once.
    const here = await devLogin(t, { nickname: '规则新值甲' })
    expect(await weekOfCheckins(t.http, here.auth)).toBe(current.rules.checkin.dailyPoints + bonus + 15)

    // The second instance pays the old bonus until its refresh job runs, then the new one.
    now = shanghaiDay(1) // registered before the week of check-ins, as the first member was
    const there = await devLogin(t, { nickname: '规则新值乙' })
    const day7 = await weekOfCheckins(secondHttp, there.auth, async () => {
      expect(second.services.rules.view().version).toBe(0)
      expect(await second.services.rules.refresh()).toBe(true) // what its 30-second job does
      expect(second.services.rules.view().version).toBe(1)
    })
    expect(day7).toBe(current.rules.checkin.dailyPoints + bonus + 15)

    const history = (await t.http.get('/api/admin/rules/history').set(admin.auth).expect(200)).body.versions
    expect(history).toMatchObject([{ version: 1, savedBy: admin.username, reason: '十月签到加码' }])
  })

  it('is for operators with the rules permission only', async () => {
    const ops = await operatorLogin(t, 'operations')
    await t.http.get('/api/admin/rules').set(ops.auth).expect(403)
  })
})
