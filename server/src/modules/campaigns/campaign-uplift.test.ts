import { CAMPAIGN_TEMPLATES } from '@xianlin/shared'
import { startTestApp, type TestApp } from '../../../test/harness'
import { shopFixtures, type Person } from '../../../test/shop-fixtures'
import { rollupDay } from '../events/daily-metrics'
import { CampaignTouchModel, MarketingContactModel } from './campaign.model'
import { inHoldout } from './campaigns.service'
import { newcombeInterval } from './uplift'

/**
 * A campaign's 效果 through the API, on real paid orders: both arms drawn among members the
 * campaign could reach, payments counted only after each member's (virtual) reach and within the
 * window, and no conclusion before the window has passed with enough members in each arm.
 */
let now = new Date('2026-11-02T09:00:00+08:00')
let t: TestApp
const f = shopFixtures(() => t)
beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now, fakePay: true })
  await f.setUp()
})
afterAll(() => t.close())

const setMarketing = async (change: Record<string, number>) => {
  const current = (await t.http.get('/api/admin/rules').set(f.admin.auth).expect(200)).body
  const rules = { ...current.rules, marketing: { ...current.rules.marketing, ...change } }
  await t.http.put('/api/admin/rules').set(f.admin.auth).send({ baseVersion: current.version, rules, reason: '活动效果测试' }).expect(200)
}

describe('campaign uplift on real orders', () => {
  it('draws both arms from reachable members, counts payments after each reach within the window, and says 观察中 until then', async () => {
    const productId = await f.product('赣南脐橙', 2990)
    const members: Person[] = await f.shoppers(40)
    await rollupDay('2026-11-02')
    // Half held out, so a few dozen members make two arms; five members each is enough here.
    await setMarketing({ holdoutPercent: 50, minArmMembers: 5 })
    const optedOut = members.slice(0, 4)
    for (const m of optedOut) await t.http.put('/api/me/marketing').set(m.auth).send({ optOut: true }).expect(200)

    const buy = async (who: Person, at: string) => {
      now = new Date(at)
      const placed = (await f.checkout(who, { lines: [{ productId, quantity: 1 }] }).expect(201)).body
      await f.pay(placed)
    }
    const rest = members.slice(4)
    // Pattern by index: 0 paid just before the campaign only, 1 within the week, 2 only after it, 3 never.
    for (const [i, m] of rest.entries()) if (i % 4 === 0) await buy(m, '2026-11-02T09:30:00+08:00')

    now = new Date('2026-11-02T10:00:00+08:00')
    const template = CAMPAIGN_TEMPLATES.find((c) => c.key === 'welcome')!.campaign
    const campaign = (await t.http.post('/api/admin/campaigns').set(f.admin.auth).send({ ...template, name: '新人效果', reward: { kind: 'none' }, schedule: 'once' }).expect(201)).body.campaign
    await t.http.post(`/api/admin/campaigns/${campaign.id}/run`).set(f.admin.auth).expect(200)

    // The members who opted out are in neither arm, whichever arm their hash would give them.
    const touches = await CampaignTouchModel.find({ campaignId: campaign.id }).lean()
    const groupOf = (m: Person) => touches.find((x) => String(x.userId) === m.user.id)?.group
    expect(optedOut.some((m) => inHoldout(campaign.id, m.user.id, 50))).toBe(true) // the case that matters
    for (const m of optedOut) expect(touches.find((x) => String(x.userId) === m.user.id)).toMatchObject({ group: 'skipped', reason: 'opted_out' })
    const held = rest.filter((m) => groupOf(m) === 'holdout')
    const reached = rest.filter((m) => groupOf(m) === 'reached')
    expect(held.length + reached.length).toBe(rest.length)
    expect(Math.min(held.length, reached.length)).toBeGreaterThanOrEqual(5)
    // A virtual reach takes no marketing touch: the holdout may still be touched by another campaign.
    const touchedToday = (arm: Person[]) => MarketingContactModel.countDocuments({ _id: { $in: arm.map((m) => m.user.id) }, days: '2026-11-02' })
    expect(await touchedToday(held)).toBe(0)
    expect(await touchedToday(reached)).toBe(reached.length)

    for (const [i, m] of rest.entries()) if (i % 4 === 1) await buy(m, '2026-11-05T12:00:00+08:00')
    const uplift = async () => (await t.http.get(`/api/admin/campaigns/${campaign.id}/uplift`).set(f.admin.auth).expect(200)).body

    // Three days in, with conversions already on the books: 观察中, no figures, the window's end named.
    now = new Date('2026-11-05T13:00:00+08:00')
    expect(await uplift()).toMatchObject({ status: 'observing', observingUntil: '2026-11-09T02:00:00.000Z', pending: { reached: reached.length, holdout: held.length }, difference: null, interval: null, verdict: null })

    for (const [i, m] of rest.entries()) if (i % 4 === 2) await buy(m, '2026-11-09T11:00:00+08:00') // an hour after the window
    now = new Date('2026-11-09T12:00:00+08:00')
    const result = await uplift()
    const convertedOf = (arm: Person[]) => arm.filter((m) => rest.indexOf(m) % 4 === 1).length
    const [x1, x2] = [convertedOf(reached), convertedOf(held)]
    expect(result).toMatchObject({
      status: 'concluded',
      windowDays: 7,
      minArmMembers: 5,
      method: 'Newcombe 混合 Wilson 区间（95%）',
      reached: { members: reached.length, converted: x1 },
      holdout: { members: held.length, converted: x2 },
      pending: { reached: 0, holdout: 0 },
    })
    expect(result.difference).toBeCloseTo(x1 / reached.length - x2 / held.length, 10)
    const [lo, hi] = newcombeInterval(x1, reached.length, x2, held.length)
    expect(result.interval[0]).toBeCloseTo(lo, 10)
    expect(result.interval[1]).toBeCloseTo(hi, 10)
    expect(result.verdict).toBe(lo > 0 ? 'effective' : hi < 0 ? 'harmful' : 'inconclusive')

    // The rules ask for more members than the arms hold, and every window has passed: 样本不足.
    await setMarketing({ minArmMembers: 200 })
    expect(await uplift()).toMatchObject({ status: 'insufficient', minArmMembers: 200, difference: null, verdict: null })
  })
})
