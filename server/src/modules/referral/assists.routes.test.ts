import { devLogin, startTestApp, testConfig, variantApp, type TestApp } from '../../../test/harness'
import { seedDemoData } from '../../seed/seed'
import { VoucherModel } from '../mall/voucher.model'

let now = new Date('2026-11-23T02:00:00Z')
let t: TestApp
let productId: string
beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now })
  await seedDemoData(now)
  productId = (await t.http.get('/api/products').expect(200)).body.products[0].id
})
afterAll(() => t.close())

let n = 0
const person = () => devLogin(t, { nickname: `助力${++n}` })

describe('assists', () => {
  it('refuses the owner and a second help by the same friend', async () => {
    const owner = await person()
    const { assist } = (await t.http.post('/api/assists').set(owner.auth).send({ productId }).expect(201)).body
    expect((await t.http.post(`/api/assists/${assist.id}/help`).set(owner.auth).expect(409)).body.error.code).toBe('ASSIST_SELF')
    const friend = await person()
    await t.http.post(`/api/assists/${assist.id}/help`).set(friend.auth).expect(200)
    expect((await t.http.post(`/api/assists/${assist.id}/help`).set(friend.auth).expect(409)).body.error.code).toBe('ASSIST_ALREADY_HELPED')
    expect((await t.http.get(`/api/assists/${assist.id}`).set(owner.auth)).body.assist).toMatchObject({ helpers: [expect.any(String)], helpedByMe: false, state: 'open' })
    expect((await t.http.get(`/api/assists/${assist.id}`).set(friend.auth)).body.assist).toMatchObject({ isOwner: false, helpedByMe: true })
    // A friend's link, opened before signing in: product, who asks, progress; helping needs a session.
    const guest = (await t.http.get(`/api/assists/${assist.id}`).expect(200)).body.assist
    expect(guest).toMatchObject({ isOwner: false, helpedByMe: false, helpers: [expect.any(String)], voucherCode: null, product: { id: productId } })
    await t.http.post(`/api/assists/${assist.id}/help`).expect(401)
  })

  it('completes exactly once when helpers race for the last places, issuing one gift voucher', async () => {
    const owner = await person()
    const { assist } = (await t.http.post('/api/assists').set(owner.auth).send({ productId }).expect(201)).body
    const friends = await Promise.all(Array.from({ length: 6 }, () => person()))
    const results = await Promise.all(friends.map((f) => t.http.post(`/api/assists/${assist.id}/help`).set(f.auth)))
    expect(results.filter((r) => r.status === 200)).toHaveLength(3)
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array(3).fill('ASSIST_FULL'))
    const mine = (await t.http.get(`/api/assists/${assist.id}`).set(owner.auth)).body.assist
    expect(mine).toMatchObject({ state: 'completed', helpers: expect.arrayContaining([expect.any(String)]), voucherCode: expect.stringMatching(/^[0-9A-Z-]{14}$/) })
    expect(await VoucherModel.countDocuments({ userId: owner.user.id, state: 'active' })).toBe(1)
    // The owner is told, once, and the notice opens the assist with its voucher.
    const notices = (await t.http.get('/api/notices').set(owner.auth).expect(200)).body.notices
    expect(notices).toEqual([expect.objectContaining({ kind: 'assist_completed', title: '助力成功', link: `/pages/assist/index?id=${assist.id}`, body: expect.stringContaining('助力礼已放入「我的兑换」') })])
    // The gift voucher redeems at the staff desk like any mall voucher.
    const clerk = await devLogin(t, { role: 'staff' })
    await t.http.post('/api/staff/redemptions').set(clerk.auth).send({ code: mine.voucherCode, storeId: clerk.user.storeIds[0] }).expect(200)
  })

  it('fails after 24 hours without enough helpers, and issues nothing', async () => {
    const owner = await person()
    const { assist } = (await t.http.post('/api/assists').set(owner.auth).send({ productId }).expect(201)).body
    await t.http.post(`/api/assists/${assist.id}/help`).set((await person()).auth).expect(200)
    now = new Date(now.getTime() + 25 * 3600 * 1000)
    expect((await t.http.post(`/api/assists/${assist.id}/help`).set((await person()).auth).expect(409)).body.error.code).toBe('ASSIST_EXPIRED')
    expect(await t.services.assists.expireDue(now)).toBeGreaterThanOrEqual(1)
    expect((await t.http.get(`/api/assists/${assist.id}`).set(owner.auth)).body.assist).toMatchObject({ state: 'failed', voucherCode: null })
    expect(await VoucherModel.countDocuments({ userId: owner.user.id })).toBe(0)
  })

  it('refuses, with the shipped rules, a second voucher to one owner in a day and a fourth help by one friend in a day', async () => {
    const owner = await person()
    const helpers = await Promise.all([1, 2, 3].map(() => person()))
    const startAndFill = async (who: typeof owner) => {
      const { assist } = (await t.http.post('/api/assists').set(who.auth).send({ productId }).expect(201)).body
      for (const h of helpers) await t.http.post(`/api/assists/${assist.id}/help`).set(h.auth).expect(200)
      return assist.id as string
    }
    await startAndFill(owner)
    expect(await VoucherModel.countDocuments({ userId: owner.user.id })).toBe(1)
    const again = await t.http.post('/api/assists').set(owner.auth).send({ productId }).expect(409)
    expect(again.body.error).toMatchObject({ code: 'ASSIST_LIMIT_REACHED', message: '今天的助力礼已领过，明天再来' })
    // The same three friends help two more owners today; a fourth owner's assist gets no help from them.
    await startAndFill(await person())
    await startAndFill(await person())
    const fourth = await person()
    const { assist } = (await t.http.post('/api/assists').set(fourth.auth).send({ productId }).expect(201)).body
    const refused = await t.http.post(`/api/assists/${assist.id}/help`).set(helpers[0]!.auth).expect(409)
    expect(refused.body.error).toMatchObject({ code: 'ASSIST_HELP_LIMIT', message: '你今天已经帮 3 位好友助力过了，明天再来吧' })
    expect((await t.http.get(`/api/assists/${assist.id}`).set(fourth.auth).expect(200)).body.assist.helpers).toEqual([])
    now = new Date(now.getTime() + 24 * 3600 * 1000)
  })

  it('reads the assist caps: 20 completions racing against 1 voucher a day give one voucher, the rest say why', async () => {
    const rules = testConfig().rules
    const capped = { ...rules, assist: { ...rules.assist, helpersNeeded: 1, caps: { ...rules.assist.caps, perUserPerDay: 1 } } }
    const app = variantApp({}, { rules: capped }, { clock: () => now })
    const owner = await person()
    const assists = await Promise.all(Array.from({ length: 20 }, async () => (await app.post('/api/assists').set(owner.auth).send({ productId }).expect(201)).body.assist.id as string))
    const friends = await Promise.all(assists.map(() => person()))
    const helps = await Promise.all(assists.map((id, i) => app.post(`/api/assists/${id}/help`).set(friends[i].auth)))
    expect(helps.map((r) => r.status)).toEqual(Array(20).fill(200))
    expect(await VoucherModel.countDocuments({ userId: owner.user.id })).toBe(1)
    const views = await Promise.all(assists.map(async (id) => (await app.get(`/api/assists/${id}`).set(owner.auth).expect(200)).body.assist))
    expect(views.filter((v) => v.voucherCode !== null)).toHaveLength(1)
    expect(views.filter((v) => v.rewardRefused === 'DAILY_CAP')).toHaveLength(19)
    expect(views.every((v) => v.state === 'completed')).toBe(true)
    // Each completion is told as it ended: one gift, and why the others gave none.
    const notices = (await app.get('/api/notices').set(owner.auth).expect(200)).body.notices as Array<{ body: string }>
    expect(notices.filter((x) => x.body.includes('助力礼已放入'))).toHaveLength(1)
    expect(notices.filter((x) => x.body.includes('今天的助力礼已领过'))).toHaveLength(19)
    // Starting another today is refused at once, with the reason; tomorrow it may start again.
    const refused = await app.post('/api/assists').set(owner.auth).send({ productId }).expect(409)
    expect(refused.body.error).toMatchObject({ code: 'ASSIST_LIMIT_REACHED', message: '今天的助力礼已领过，明天再来' })
    now = new Date(now.getTime() + 24 * 3600 * 1000)
    await app.post('/api/assists').set(owner.auth).send({ productId }).expect(201)
  })
})
