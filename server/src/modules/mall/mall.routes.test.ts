import { devLogin, staffOf, startTestApp, type TestApp, operatorLogin } from '../../../test/harness'
import { AuditLogModel } from '../audit/audit-log.model'
import { PointEntryModel } from '../points/point-entry.model'
import { MallItemModel, RedemptionSlotModel } from './mall-item.model'
import { VoucherModel } from './voucher.model'

const DAY = 24 * 3600 * 1000
let now = new Date('2026-11-23T04:00:00Z')
let crash: string | null = null
let crashedAt: string | null = null
let t: TestApp
let admin: Awaited<ReturnType<typeof devLogin>>
let storeA: string
let storeB: string

beforeAll(async () => {
  t = await startTestApp(__filename, {
    clock: () => now,
    crashAt: (step) => {
      if (step !== crash) return
      crashedAt = step
      throw new Error(`simulated crash at ${step}`)
    },
  })
  admin = await operatorLogin(t)
  const store = async (code: string, name: string) =>
    (await t.http.post('/api/admin/stores').set(admin.auth).send({ code, name, address: '上海', hours: '08:00-22:00' }).expect(201)).body.store.id as string
  storeA = await store('MALL-A', '鲜邻优选·A店')
  storeB = await store('MALL-B', '鲜邻优选·B店')
})
afterAll(() => t.close())

let seq = 0
async function item(overrides: Record<string, unknown> = {}) {
  const res = await t.http
    .post('/api/admin/mall/items')
    .set(admin.auth)
    .send({ name: `环保购物袋${++seq}`, kind: 'goods', category: '生活', pointsPrice: 100, stock: 10, storeIds: [storeA], cover: { emoji: '🛍️', tint: '#e6f7e6' }, ...overrides })
    .expect(201)
  return res.body.item.id as string
}
async function shopperWith(points: number) {
  const me = await devLogin(t, { nickname: `兑换${++seq}` })
  if (points > 0) await t.services.points.earn({ userId: me.user.id, amount: points, source: 'admin', key: `seed:${me.user.id}` })
  return me
}
const balance = async (userId: string) => (await t.services.points.summary(userId)).available
const redeem = (me: { auth: Record<string, string> }, itemId: string, key = `k-${Math.random().toString(36).slice(2)}`) =>
  t.http.post(`/api/mall/items/${itemId}/redeem`).set(me.auth).send({ idempotencyKey: key })
const staffAt = (storeId: string, nickname: string) => staffOf(t, admin, storeId, nickname)

describe('redeeming under contention', () => {
  it('gives exactly 10 vouchers to 30 users racing for a stock of 10, and the losers keep their points', async () => {
    const id = await item({ stock: 10 })
    const users = await Promise.all(Array.from({ length: 30 }, () => shopperWith(150)))
    const results = await Promise.all(users.map((u) => redeem(u, id)))
    expect(results.filter((r) => r.status === 201)).toHaveLength(10)
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array(20).fill('OUT_OF_STOCK'))
    expect((await MallItemModel.findById(id).lean())!.stock).toBe(0)
    expect(await VoucherModel.countDocuments({ itemId: id, state: 'active' })).toBe(10)
    for (const [i, u] of users.entries()) expect(await balance(u.user.id)).toBe(results[i]!.status === 201 ? 50 : 150)
  })

  it('lets a user with points for two redemptions win exactly two of five concurrent ones', async () => {
    const id = await item({ stock: 50 })
    const me = await shopperWith(250)
    const results = await Promise.all(Array.from({ length: 5 }, () => redeem(me, id)))
    expect(results.filter((r) => r.status === 201)).toHaveLength(2)
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array(3).fill('INSUFFICIENT_POINTS'))
    const entries = await PointEntryModel.find({ ownerId: me.user.id }).lean()
    expect(Math.min(...entries.map((e) => e.available))).toBeGreaterThanOrEqual(0)
    expect(entries.reduce((sum, e) => sum + e.availableDelta, 0)).toBe(await balance(me.user.id))
    expect(await balance(me.user.id)).toBe(50)
    expect((await MallItemModel.findById(id).lean())!.stock).toBe(48)
  })

  it('answers a retried redemption with the same voucher', async () => {
    const id = await item()
    const me = await shopperWith(500)
    const [a, b] = await Promise.all([redeem(me, id, 'same-tap-0001'), redeem(me, id, 'same-tap-0001')])
    expect(a.body.voucher.code).toBe(b.body.voucher.code)
    expect(await balance(me.user.id)).toBe(400)
  })

  it('honours the per-user limit under concurrency', async () => {
    const id = await item({ perUserLimit: 1 })
    const me = await shopperWith(1000)
    const results = await Promise.all(Array.from({ length: 4 }, () => redeem(me, id)))
    expect(results.filter((r) => r.status === 201)).toHaveLength(1)
    expect(results.filter((r) => r.status === 409)[0]!.body.error.code).toBe('REDEMPTION_LIMIT_REACHED')
    expect(await balance(me.user.id)).toBe(900)
  })

  it('refuses a member below the minimum level with the level needed', async () => {
    const id = await item({ minLevelRank: 1 })
    const me = await shopperWith(1000)
    const res = await redeem(me, id).expect(403)
    expect(res.body.error).toMatchObject({ code: 'LEVEL_TOO_LOW', message: '该商品需银卡会员及以上才能兑换', details: { minLevel: '银卡会员' } })
    expect(await balance(me.user.id)).toBe(1000)
  })

  it('issues a coupon for a coupon item', async () => {
    const template = await t.http.post('/api/admin/coupon-templates').set(admin.auth).send({ name: '5元券', kind: 'amount', amountFen: 500, validity: { kind: 'relative', days: 30 } })
    const id = await item({ kind: 'coupon', couponTemplateId: template.body.template.id, storeIds: [] })
    const me = await shopperWith(100)
    expect((await redeem(me, id).expect(201)).body.voucher.state).toBe('issued')
    expect((await t.http.get('/api/coupons').set(me.auth)).body.coupons).toMatchObject([{ name: '5元券' }])
  })

  it('completes a redemption interrupted after the points were spent, when the recovery job runs', async () => {
    const id = await item({ stock: 5 })
    const me = await shopperWith(100)
    crash = 'redeem-after-spend'
    await redeem(me, id).expect(500)
    crash = null
    now = new Date(now.getTime() + 2 * 60_000)
    await Promise.all([t.services.mall.recover(now), t.services.mall.recover(now)])
    expect(await VoucherModel.countDocuments({ userId: me.user.id, state: 'active' })).toBe(1)
    expect(await balance(me.user.id)).toBe(0)
    expect((await MallItemModel.findById(id).lean())!.stock).toBe(4)
  })
})

describe('a redemption that dies after each of its writes is finished or undone by recovery, leaking nothing', () => {
  /** Stock left plus units held equals what was stocked, every holder and quota slot belongs to a live voucher. */
  async function mallProblems(itemId: string, stocked: number): Promise<string[]> {
    const problems: string[] = []
    const item = (await MallItemModel.findById(itemId).lean())!
    const holders = Object.keys(item.stockHolders ?? {})
    if (item.stock + holders.length !== stocked) problems.push(`stock ${item.stock} + ${holders.length} held ≠ ${stocked}`)
    const vouchers = new Map((await VoucherModel.find({ itemId }).lean()).map((v) => [v._id, v]))
    for (const h of holders) if (!['active', 'redeemed', 'issued'].includes(vouchers.get(h)?.state ?? 'missing')) problems.push(`unit held by ${vouchers.get(h)?.state ?? 'missing'} voucher ${h}`)
    for (const slot of await RedemptionSlotModel.find({ _id: { $regex: `^${itemId}:` } }).lean()) {
      if (!['active', 'redeemed', 'issued'].includes(vouchers.get(slot.voucherId)?.state ?? 'missing')) problems.push(`quota slot ${slot._id} held by a ${vouchers.get(slot.voucherId)?.state ?? 'missing'} voucher`)
    }
    return problems
  }

  it.each(['redeem-after-voucher', 'redeem-after-slot', 'redeem-after-stock', 'redeem-before-spend', 'redeem-after-spend'])('after %s', async (step) => {
    const id = await item({ stock: 4, perUserLimit: 1 })
    const me = await shopperWith(300)
    crashedAt = null
    crash = step
    await redeem(me, id, `crash-${step}`).expect(500)
    expect(crashedAt).toBe(step) // the crash really happened at this step
    crash = null
    now = new Date(now.getTime() + 2 * 60_000)
    const spent = step === 'redeem-after-spend'
    expect(await t.services.mall.recover(now)).toEqual({ completed: spent ? 1 : 0, undone: spent ? 0 : 1 })
    expect(await mallProblems(id, 4)).toEqual([])
    expect(await balance(me.user.id)).toBe(spent ? 200 : 300)
    // Undone: the quota slot came back, so the shopper (limit 1) can redeem; finished: the limit holds.
    await redeem(me, id).expect(spent ? 409 : 201)
    expect(await mallProblems(id, 4)).toEqual([])
    // Cancelling gives the unit, the slot and the points back, once.
    const mine = await VoucherModel.findOne({ userId: me.user.id, itemId: id, state: 'active' }).lean()
    await t.http.post(`/api/vouchers/${mine!._id}/cancel`).set(me.auth).expect(200)
    expect(await mallProblems(id, 4)).toEqual([])
    expect((await MallItemModel.findById(id).lean())!.stock).toBe(4)
    expect(await balance(me.user.id)).toBe(300)
  })
})

describe('replays tell what the first request came to', () => {
  it('answers ten sends of one key for a sold-out item with the refusal, never a pending voucher', async () => {
    const id = await item({ stock: 1 })
    await redeem(await shopperWith(100), id).expect(201)
    const me = await shopperWith(100)
    const results = await Promise.all(Array.from({ length: 10 }, () => t.http.post(`/api/mall/items/${id}/redeem`).set(me.auth).send({ idempotencyKey: 'sold-out-ten-times' })))
    expect(results.map((r) => [r.status, r.body.error?.code])).toEqual(Array.from({ length: 10 }, () => [409, 'OUT_OF_STOCK']))
    expect(await balance(me.user.id)).toBe(100)
  })

  it('answers a replay with its voucher after the item was taken off the shelf; a new key is refused', async () => {
    const id = await item({ stock: 3 })
    const me = await shopperWith(100)
    const first = await t.http.post(`/api/mall/items/${id}/redeem`).set(me.auth).send({ idempotencyKey: 'then-withdrawn' }).expect(201)
    await MallItemModel.updateOne({ _id: id }, { $set: { active: false } })
    const replay = await t.http.post(`/api/mall/items/${id}/redeem`).set(me.auth).send({ idempotencyKey: 'then-withdrawn' }).expect(201)
    expect(replay.body.voucher.code).toBe(first.body.voucher.code)
    expect((await t.http.post(`/api/mall/items/${id}/redeem`).set(me.auth).send({ idempotencyKey: 'too-late' }).expect(404)).body.error.code).toBe('NOT_FOUND')
    expect(await balance(me.user.id)).toBe(0)
  })

  it('answers a replay of a redemption that recovery undid with a documented error, not a 500', async () => {
    const id = await item({ stock: 3 })
    const me = await shopperWith(100)
    crash = 'redeem-before-spend'
    await t.http.post(`/api/mall/items/${id}/redeem`).set(me.auth).send({ idempotencyKey: 'interrupted' }).expect(500)
    crash = null
    now = new Date(now.getTime() + 2 * 60_000)
    expect(await t.services.mall.recover(now)).toMatchObject({ undone: 1 })
    const replay = await t.http.post(`/api/mall/items/${id}/redeem`).set(me.auth).send({ idempotencyKey: 'interrupted' }).expect(409)
    expect(replay.body.error.code).toBe('REDEMPTION_INTERRUPTED')
    expect((await MallItemModel.findById(id).lean())!.stock).toBe(3)
    expect(await balance(me.user.id)).toBe(100)
    // A new tap (a new key) redeems.
    await t.http.post(`/api/mall/items/${id}/redeem`).set(me.auth).send({ idempotencyKey: 'interrupted-again' }).expect(201)
  })
})

describe('the staff desk', () => {
  it('refuses staff of another store with 403 and logs it; of ten scans at the right store, one redeems', async () => {
    const id = await item({ storeIds: [storeB] })
    const me = await shopperWith(100)
    const code = (await redeem(me, id).expect(201)).body.voucher.code as string
    const clerkA = await staffAt(storeA, '店员A')
    const wrong = await t.http.post('/api/staff/redemptions').set(clerkA.auth).send({ code }).expect(403)
    expect(wrong.body.error.code).toBe('WRONG_STORE')
    expect(await AuditLogModel.countDocuments({ action: 'voucher.redeem', targetId: code, outcome: 'wrong_store' })).toBe(1)

    const clerkB = await staffAt(storeB, '店员B')
    const scans = await Promise.all(Array.from({ length: 10 }, () => t.http.post('/api/staff/redemptions').set(clerkB.auth).send({ code: code.toLowerCase() })))
    expect(scans.filter((r) => r.status === 200)).toHaveLength(1)
    const again = scans.filter((r) => r.status === 409)
    expect(again).toHaveLength(9)
    expect(again[0]!.body.error.code).toBe('VOUCHER_ALREADY_REDEEMED')
    expect(again[0]!.body.error.message).toMatch(/^该券已于 11月23日 \d\d:\d\d 由 店员B 在 鲜邻优选·B店 核销$/)
    expect(await AuditLogModel.countDocuments({ action: 'voucher.redeem', targetId: code })).toBe(11)

    const mine = await t.http.get(`/api/vouchers/${code}`).set(me.auth).expect(200)
    expect(mine.body.voucher).toMatchObject({ state: 'redeemed', redeemed: { staffName: '店员B', storeName: '鲜邻优选·B店' } })
    const history = await t.http.get('/api/staff/redemptions').set(clerkB.auth).expect(200)
    expect(history.body.redemptions).toMatchObject([{ kind: 'voucher', code, staffName: '店员B' }])
  })

  it('lets a manager read the store history, not a clerk; and refuses unknown codes and non-staff', async () => {
    const clerk = await staffAt(storeA, '普通店员')
    await t.http.get('/api/staff/redemptions').query({ storeId: storeA }).set(clerk.auth).expect(403)
    const manager = await devLogin(t, { nickname: '店长' })
    await t.http.put(`/api/admin/staff/${manager.user.id}`).set(admin.auth).send({ storeIds: [storeA], position: 'manager' }).expect(200)
    const managerAgain = await devLogin(t, { nickname: '店长' })
    await t.http.get('/api/staff/redemptions').query({ storeId: storeA }).set(managerAgain.auth).expect(200)
    expect((await t.http.post('/api/staff/redemptions').set(clerk.auth).send({ code: 'ZZZZ-ZZZZ-ZZZZ' }).expect(404)).body.error.code).toBe('VOUCHER_NOT_FOUND')
    const shopper = await shopperWith(0)
    await t.http.post('/api/staff/redemptions').set(shopper.auth).send({ code: 'ZZZZ-ZZZZ-ZZZZ' }).expect(403)
  })
})

describe('the staff desk looks a code up before anything happens', () => {
  it('finds the voucher however the code is typed, changes nothing by looking, names the right store, and confirming twice redeems once', async () => {
    const id = await item({ storeIds: [storeB] })
    const me = await shopperWith(100)
    const code = (await redeem(me, id).expect(201)).body.voucher.code as string
    const clerkB = await staffAt(storeB, '店员乙')
    const clerkA = await staffAt(storeA, '店员甲')
    const typed = [code.toLowerCase().replace(/-/g, ' '), code.replace(/-/g, ''), code]
    const audits = await AuditLogModel.countDocuments({})
    for (const form of typed) {
      const { preview } = (await t.http.get(`/api/staff/codes/${encodeURIComponent(form)}`).set(clerkB.auth).expect(200)).body
      expect(preview).toMatchObject({ kind: 'voucher', code, title: expect.any(String), detail: expect.stringContaining('积分兑换'), stores: [{ id: storeB, name: '鲜邻优选·B店' }], refusal: null })
    }
    const elsewhere = (await t.http.get(`/api/staff/codes/${code}`).set(clerkA.auth).expect(200)).body.preview
    expect(elsewhere.refusal).toBe('本店不能核销，请到「鲜邻优选·B店」核销')
    // Looking wrote nothing: no audit entry, the voucher still active.
    expect(await AuditLogModel.countDocuments({})).toBe(audits)
    expect((await VoucherModel.findById(code).lean())!.state).toBe('active')
    // A code nobody has costs one request and writes nothing; a malformed one is refused.
    expect((await t.http.get('/api/staff/codes/ZZZZZZZZZZZZ').set(clerkB.auth).expect(404)).body.error.code).toBe('CODE_UNKNOWN')
    expect((await t.http.get('/api/staff/codes/ABC').set(clerkB.auth).expect(400)).body.error.code).toBe('VALIDATION_FAILED')
    expect(await AuditLogModel.countDocuments({})).toBe(audits)

    await t.http.post('/api/staff/redemptions').set(clerkB.auth).send({ code: typed[0] }).expect(200)
    const twice = await t.http.post('/api/staff/redemptions').set(clerkB.auth).send({ code: typed[1] }).expect(409)
    expect(twice.body.error.code).toBe('VOUCHER_ALREADY_REDEEMED')
    expect(await AuditLogModel.countDocuments({ action: 'voucher.redeem', targetId: code, outcome: 'redeemed' })).toBe(1)
    const after = (await t.http.get(`/api/staff/codes/${code}`).set(clerkB.auth).expect(200)).body.preview
    expect(after.refusal).toBe(twice.body.error.message)
    const wrong = await t.http.post('/api/staff/redemptions').set(clerkA.auth).send({ code }).expect(403)
    expect(wrong.body.error.message).toMatch(/请到「鲜邻优选·B店」核销$/)
  })
})

describe('cancel and expiry', () => {
  it('refunds a cancelled voucher once, however often cancel is pressed', async () => {
    const id = await item({ stock: 3 })
    const me = await shopperWith(100)
    const code = (await redeem(me, id).expect(201)).body.voucher.code as string
    const results = await Promise.all([1, 2].map(() => t.http.post(`/api/vouchers/${code}/cancel`).set(me.auth)))
    expect(results.map((r) => [r.status, r.body.voucher.state])).toEqual([
      [200, 'cancelled'],
      [200, 'cancelled'],
    ])
    await t.http.post(`/api/vouchers/${code}/cancel`).set(me.auth).expect(200)
    expect(await balance(me.user.id)).toBe(100)
    expect(await PointEntryModel.countDocuments({ ownerId: me.user.id, type: 'refund' })).toBe(1)
    expect((await MallItemModel.findById(id).lean())!.stock).toBe(3)
    const redeemedCode = (await redeem(me, id).expect(201)).body.voucher.code as string
    const clerk = await staffAt(storeA, '取消测试店员')
    await t.http.post('/api/staff/redemptions').set(clerk.auth).send({ code: redeemedCode }).expect(200)
    expect((await t.http.post(`/api/vouchers/${redeemedCode}/cancel`).set(me.auth).expect(409)).body.error.code).toBe('VOUCHER_NOT_CANCELLABLE')
  })

  it('refunds an expired voucher once even when the expiry job runs twice at the same time', async () => {
    const id = await item({ stock: 3 })
    const me = await shopperWith(100)
    await redeem(me, id).expect(201)
    const later = new Date(now.getTime() + 31 * DAY)
    const runs = await Promise.all([t.services.mall.expireDue(later), t.services.mall.expireDue(later)])
    expect(runs.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1)
    expect(await balance(me.user.id)).toBe(100)
    expect(await PointEntryModel.countDocuments({ ownerId: me.user.id, type: 'refund' })).toBe(1)
    expect((await t.http.get('/api/vouchers').query({ state: 'ended' }).set(me.auth)).body.vouchers).toMatchObject([{ state: 'expired' }])
    expect((await MallItemModel.findById(id).lean())!.stock).toBe(3)
  })
})

describe('browsing the mall', () => {
  it('lists items with an affordable filter', async () => {
    const cheap = await item({ pointsPrice: 10, category: '零食' })
    await item({ pointsPrice: 99999, category: '零食' })
    await item({ pointsPrice: 10, category: '零食', minLevelRank: 1 }) // affordable, but for 银卡 and up
    const me = await shopperWith(50)
    const res = await t.http.get('/api/mall/items').query({ category: '零食', affordable: 'true' }).set(me.auth).expect(200)
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([cheap])
    expect((await t.http.get('/api/mall/items').query({ category: '零食' }).expect(200)).body.items).toHaveLength(3)
  })
})
