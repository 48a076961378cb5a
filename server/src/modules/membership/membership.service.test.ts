import { Types } from 'mongoose'
import { devLogin, startTestApp, testConfig, type TestApp } from '../../../test/harness'
import { createEventsService } from '../events/events.service'
import { NotificationModel } from '../notifications/notification.model'
import { MembershipModel } from './membership.model'
import { createMembershipService } from './membership.service'

const DAY = 24 * 60 * 60 * 1000
let now = new Date('2026-01-10T02:00:00Z')
let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now })
})
afterAll(() => t.close())

const newUser = () => new Types.ObjectId()

describe('growth and levels', () => {
  it('upgrades on reaching a threshold exactly, not one short', async () => {
    const user = newUser()
    await t.services.membership.addGrowth({ userId: user, amount: 999, source: 'order', key: `a:${user}` })
    expect((await t.services.membership.view(user.toHexString())).level.key).toBe('regular')
    const res = await t.services.membership.addGrowth({ userId: user, amount: 1, source: 'checkin', key: `b:${user}` })
    expect(res).toMatchObject({ growth: 1000, upgraded: true })
    const view = await t.services.membership.view(user.toHexString())
    expect(view).toMatchObject({ growth: 1000, level: { key: 'silver', priceRatePercent: 95 }, next: { key: 'gold', growthNeeded: 4000 } })
  })

  it('upgrades once when 20 growth awards race across the threshold', async () => {
    const user = newUser()
    await t.services.membership.addGrowth({ userId: user, amount: 990, source: 'order', key: `base:${user}` })
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.services.membership.addGrowth({ userId: user, amount: 1, source: 'checkin', key: `r${i}:${user}` })),
    )
    expect(results.filter((r) => r.upgraded)).toHaveLength(1)
    expect(await NotificationModel.countDocuments({ userId: user, kind: 'level_up' })).toBe(1)
    expect((await t.services.membership.view(user.toHexString())).growth).toBe(1010)
  })

  it('never adds growth twice for one key', async () => {
    const user = newUser()
    await Promise.all([1, 2, 3].map(() => t.services.membership.addGrowth({ userId: user, amount: 5, source: 'review', key: `rev:${user}` })))
    expect((await t.services.membership.view(user.toHexString())).growth).toBe(5)
  })

  it('GET /api/membership shows the level card with every level', async () => {
    const shopper = await devLogin(t, { nickname: '会员' })
    const res = await t.http.get('/api/membership').set(shopper.auth).expect(200)
    expect(res.body).toMatchObject({ growth: 0, level: { name: '普通会员' }, next: { name: '银卡会员', growthNeeded: 1000 }, downgradeWarning: null })
    expect(res.body.levels.map((l: { name: string }) => l.name)).toEqual(['普通会员', '银卡会员', '金卡会员', '钻石会员'])
  })
})

describe('rolling retention window', () => {
  it('warns a member whose window growth is below their level, then moves them down one level, once', async () => {
    const base = testConfig().rules.levels
    const levels = { ...base, retention: { mode: 'rolling' as const, windowDays: 365, warnDaysBefore: 30 } }
    const membership = createMembershipService({ levels, events: t.services.events, clock: () => now })
    const user = newUser()
    now = new Date('2025-01-01T02:00:00Z')
    await membership.addGrowth({ userId: user, amount: 5200, source: 'order', key: `big:${user}` })
    expect((await membership.view(user.toHexString())).level.key).toBe('gold')

    now = new Date('2025-12-01T02:00:00Z')
    expect(await membership.evaluateRetention(now)).toMatchObject({ warned: 0, downgraded: 0 })
    // The next look is when the 5200 leaves the window; until then the job reads nobody.
    expect((await MembershipModel.findById(user).lean())?.retentionCheckAt).toEqual(new Date('2026-01-01T02:00:00Z'))
    expect(await membership.evaluateRetention(new Date('2025-12-31T02:00:00Z'))).toEqual({ checked: 0, warned: 0, downgraded: 0 })

    now = new Date('2026-01-05T02:00:00Z') // the 5200 fell out of the 365-day window
    const first = await Promise.all([membership.evaluateRetention(now), membership.evaluateRetention(now)])
    expect(first.reduce((n, r) => n + r.warned, 0)).toBe(1)
    expect((await membership.view(user.toHexString())).downgradeWarning).toMatchObject({ windowDays: 365 })

    now = new Date(now.getTime() + 31 * DAY)
    const second = await Promise.all([membership.evaluateRetention(now), membership.evaluateRetention(now)])
    expect(second.reduce((n, r) => n + r.downgraded, 0)).toBe(1)
    expect((await MembershipModel.findById(user).lean())?.levelRank).toBe(1)
    expect((await membership.view(user.toHexString())).level.key).toBe('silver')
    expect((await membership.evaluateRetention(now)).checked).toBe(0) // the lower level is looked at from the next run

    // Rules with another window make everyone due once.
    const shorter = createMembershipService({ levels: { ...levels, retention: { ...levels.retention, windowDays: 30 } }, events: t.services.events, clock: () => now })
    expect((await shorter.evaluateRetention(now)).checked).toBeGreaterThanOrEqual(1)
    expect((await shorter.evaluateRetention(now)).checked).toBe(0)
  })

  it('never moves anyone down in lifetime mode', async () => {
    const membership = createMembershipService({ levels: testConfig().rules.levels, events: createEventsService({ timeZone: 'Asia/Shanghai', lifecycle: testConfig().rules.lifecycle, log: t.services.log }), clock: () => now })
    expect(await membership.evaluateRetention(new Date('2030-01-01T00:00:00Z'))).toEqual({ checked: 0, warned: 0, downgraded: 0 })
  })
})
