import { startTestApp, type TestApp } from '../../../test/harness'
import { groupbuyFixtures, type Person } from '../../../test/groupbuy-fixtures'
import { CouponModel } from '../coupons/coupon.model'
import { GrowthEntryModel } from '../membership/growth-entry.model'
import { NotificationModel } from '../notifications/notification.model'

let now = new Date('2026-11-23T04:00:00Z')
let t: TestApp
const f = groupbuyFixtures(() => t, () => now)
beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now, fakePay: true })
  await f.setUp()
})
afterAll(() => t.close())

/** A shopper raised to a level by growth (普通 0, 银卡 1000, 金卡 5000, 钻石 20000 in the rules file). */
async function memberWithGrowth(growth: number): Promise<Person> {
  const p = await f.shopper()
  if (growth > 0) await t.services.membership.addGrowth({ userId: p.user.id, amount: growth, source: 'admin', key: `test:growth:${p.user.id}` })
  return p
}
const couponsOf = (p: Person, source = 'perk') => CouponModel.countDocuments({ userId: p.user.id, source })

describe('birthday', () => {
  it('is set once, then changeable once a year; impossible dates are refused', async () => {
    const me = await f.shopper()
    await t.http.put('/api/me/birthday').set(me.auth).send({ month: 2, day: 30 }).expect(400)
    await t.http.put('/api/me/birthday').set(me.auth).send({ month: 3, day: 8 }).expect(200, { birthday: { month: 3, day: 8 }, changeableFrom: new Date(now.getTime() + 365 * 86_400_000).toISOString() })
    await t.http.put('/api/me/birthday').set(me.auth).send({ month: 3, day: 8 }).expect(200) // the same date: no change
    const locked = await t.http.put('/api/me/birthday').set(me.auth).send({ month: 3, day: 9 }).expect(409)
    expect(locked.body.error).toMatchObject({ code: 'BIRTHDAY_LOCKED', message: expect.stringContaining('2027-11-23') })
    expect((await t.http.get('/api/me/birthday').set(me.auth).expect(200)).body.birthday).toEqual({ month: 3, day: 8 })
  })

  it('grants the coupon at the start of the birthday in Shanghai (a UTC server), once however many runs, to 银卡 and above only', async () => {
    now = new Date('2026-12-03T04:00:00Z')
    const silver = await memberWithGrowth(1000)
    const regular = await memberWithGrowth(0)
    for (const p of [silver, regular]) await t.http.put('/api/me/birthday').set(p.auth).send({ month: 12, day: 5 }).expect(200)
    // 23:59 on the 4th in Shanghai (15:59 UTC): not yet.
    await t.services.perks.grantBirthdays(new Date('2026-12-04T15:59:00Z'))
    expect(await couponsOf(silver)).toBe(0)
    // 00:01 on the 5th in Shanghai, still the 4th in UTC: two runs at once, as on two instances.
    const at = new Date('2026-12-04T16:01:00Z')
    await Promise.all([t.services.perks.grantBirthdays(at), t.services.perks.grantBirthdays(at)])
    await t.services.perks.grantBirthdays(new Date('2026-12-05T10:00:00Z'))
    expect(await couponsOf(silver)).toBe(1)
    expect(await couponsOf(regular)).toBe(0)
    expect(await NotificationModel.countDocuments({ userId: silver.user.id, kind: 'perk' })).toBe(1)
    const coupons = (await t.http.get('/api/coupons').set(silver.auth).expect(200)).body.coupons
    expect(coupons.find((c: { name: string }) => c.name === '生日礼券')).toBeTruthy()
  })
})

describe('monthly coupons', () => {
  it('gives 金卡 and above the month\'s coupons once, whatever the runs; 银卡 gets none', async () => {
    const gold = await memberWithGrowth(5000)
    const diamond = await memberWithGrowth(20000)
    const silver = await memberWithGrowth(1000)
    const firstOfMonth = new Date('2026-11-30T16:05:00Z') // 00:05 on 1 December in Shanghai
    await Promise.all([t.services.perks.grantMonthly(firstOfMonth), t.services.perks.grantMonthly(firstOfMonth)])
    await t.services.perks.grantMonthly(new Date('2026-12-15T04:00:00Z'))
    expect([await couponsOf(gold), await couponsOf(diamond), await couponsOf(silver)]).toEqual([2, 2, 0])
    // January: two more each.
    await t.services.perks.grantMonthly(new Date('2026-12-31T16:05:00Z'))
    expect([await couponsOf(gold), await couponsOf(diamond)]).toEqual([4, 4])
  })
})

describe('钻石 early access', () => {
  it('lets 钻石 buy a new group-buy before it opens to everyone; a 普通 member is told when it opens', async () => {
    now = new Date('2026-11-23T04:00:00Z')
    const opens = new Date(now.getTime() + 10 * 3_600_000)
    const id = await f.activity({ startsAt: opens.toISOString() })
    const view = (await t.http.get(`/api/groupbuys/${id}`).expect(200)).body.activity
    expect(view).toMatchObject({ state: 'upcoming', earlyAccess: { levelName: '钻石会员', opensAt: new Date(opens.getTime() - 24 * 3_600_000).toISOString() } })
    const regular = await memberWithGrowth(0)
    const refused = await f.checkout(regular, { activityId: id, tierSize: 2 }).expect(403)
    expect(refused.body.error).toMatchObject({ code: 'EARLY_ACCESS_ONLY', message: '钻石会员优先购中，11月23日 22:00 开放购买' })
    const diamond = await memberWithGrowth(20000)
    await f.checkout(diamond, { activityId: id, tierSize: 2 }).expect(201)
    // Outside the early window, nobody buys before the opening.
    const later = await f.activity({ startsAt: new Date(now.getTime() + 30 * 3_600_000).toISOString() })
    expect((await f.checkout(diamond, { activityId: later, tierSize: 2 }).expect(409)).body.error.code).toBe('ACTIVITY_UNAVAILABLE')
  })
})

describe('首单成长值', () => {
  it('credits the first completed order\'s growth once, not for later orders', async () => {
    now = new Date('2026-11-23T04:00:00Z')
    const me = await f.shopper()
    const clerk = await f.staffAt(f.storeId, '首单店员')
    for (let i = 0; i < 2; i++) await f.soloOrder(me, clerk)
    const firsts = await GrowthEntryModel.find({ ownerId: me.user.id, source: 'first_order' }).lean()
    expect(firsts.map((g) => g.amount)).toEqual([10])
  })
})
