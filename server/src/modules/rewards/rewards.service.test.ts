import { Types } from 'mongoose'
import { devLogin, startTestApp, testConfig, variantApp, type TestApp } from '../../../test/harness'
import { PointEntryModel } from '../points/point-entry.model'
import { RewardCounterModel, RewardGrantModel } from './reward.model'

let now = new Date('2026-11-23T02:00:00Z')
let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now })
})
afterAll(() => t.close())

const noCaps = { perUserPerDay: null, perUserPerWeek: null, perUserLifetime: null, campaignBudget: null }
const pointsOf = async (userId: Types.ObjectId) => (await t.services.points.summary(userId.toHexString())).available

describe('reward budgets and caps', () => {
  it('pays exactly what a campaign budget allows among concurrent rewards, refusing the rest whole', async () => {
    const users = Array.from({ length: 6 }, () => new Types.ObjectId())
    const outcomes = await Promise.all(
      users.map((u) => t.services.rewards.payPoints({ rule: 'launch', caps: { ...noCaps, campaignBudget: 25 }, userId: u, amount: 10, key: `launch:${u}`, source: 'share' })),
    )
    expect(outcomes.filter((o) => o.paid)).toHaveLength(2)
    expect(outcomes.filter((o) => !o.paid).map((o) => !o.paid && o.reason)).toEqual(Array(4).fill('BUDGET_EXHAUSTED'))
    expect(await RewardCounterModel.findById('launch:budget').lean()).toMatchObject({ used: 20 })
    expect(await PointEntryModel.countDocuments({ source: 'share', ownerId: { $in: users } })).toBe(2)
  })

  it('stops at a daily cap, and pays again the next day', async () => {
    const user = new Types.ObjectId()
    const pay = (i: number) =>
      t.services.rewards.payPoints({ rule: 'share', caps: { ...noCaps, perUserPerDay: 3 }, userId: user, amount: 10, key: `share:${user}:${now.toISOString()}:${i}`, source: 'share' })
    const today = await Promise.all([1, 2, 3, 4, 5].map(pay))
    expect(today.filter((o) => o.paid)).toHaveLength(3)
    expect(today.find((o) => !o.paid)).toEqual({ paid: false, reason: 'DAILY_CAP' })
    expect(await pointsOf(user)).toBe(30)
    now = new Date(now.getTime() + 24 * 3600 * 1000)
    expect(await pay(6)).toEqual({ paid: true, points: 10 })
  })

  it('answers a repeated key with its first outcome, paid or refused', async () => {
    const user = new Types.ObjectId()
    const input = { rule: 'once', caps: { ...noCaps, perUserLifetime: 1 }, userId: user, amount: 5, source: 'invite' }
    expect(await t.services.rewards.payPoints({ ...input, key: `once:a:${user}` })).toEqual({ paid: true, points: 5 })
    expect(await t.services.rewards.payPoints({ ...input, key: `once:a:${user}` })).toEqual({ paid: true, points: 5 })
    expect(await t.services.rewards.payPoints({ ...input, key: `once:b:${user}` })).toEqual({ paid: false, reason: 'LIFETIME_CAP' })
    expect(await t.services.rewards.payPoints({ ...input, key: `once:b:${user}` })).toEqual({ paid: false, reason: 'LIFETIME_CAP' })
    expect(await pointsOf(user)).toBe(5)
  })

  it('gives back the counters of a grant a crash left half-done', async () => {
    const user = new Types.ObjectId()
    await RewardCounterModel.create({ _id: 'crashy:budget', used: 10 })
    await RewardGrantModel.create({ _id: `crashy:${user}`, rule: 'crashy', userId: user, points: 10, state: 'reserving', taken: [{ counter: 'crashy:budget', amount: 10 }], createdAt: now })
    expect(await t.services.rewards.recover(new Date(now.getTime() + 2 * 60_000))).toEqual({ completed: 0, undone: 1 })
    expect(await RewardCounterModel.findById('crashy:budget').lean()).toMatchObject({ used: 0 })
    expect(await RewardGrantModel.countDocuments({ _id: `crashy:${user}` })).toBe(0)
  })
})

describe('check-in under a budget', () => {
  it('counts the check-in but pays nothing once the check-in budget is spent, and says why', async () => {
    const rules = testConfig().rules
    const capped = { ...rules, checkin: { ...rules.checkin, caps: { ...noCaps, campaignBudget: 1 } } }
    const app = variantApp({}, { rules: capped }, { clock: () => now })
    const first = await devLogin(t, { nickname: '预算内' })
    const second = await devLogin(t, { nickname: '预算外' })
    expect((await app.post('/api/checkins').set(first.auth).expect(201)).body.checkin).toMatchObject({ points: 1, rewardRefused: null })
    const late = await app.post('/api/checkins').set(second.auth).expect(201)
    expect(late.body.checkin).toMatchObject({ points: 0, rewardRefused: 'BUDGET_EXHAUSTED', streak: 1 })
    expect((await app.get('/api/points').set(second.auth)).body.available).toBe(0)
  })
})
