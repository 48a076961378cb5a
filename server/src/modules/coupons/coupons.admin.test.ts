import { devLogin, operatorLogin, startTestApp, type TestApp } from '../../../test/harness'
import { AuditLogModel } from '../audit/audit-log.model'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

const template = async (auth: Record<string, string>, body: Record<string, unknown>) =>
  (await t.http.post('/api/admin/coupon-templates').set(auth).send({ name: '满 50 减 5', kind: 'amount', amountFen: 500, minSpendFen: 5000, validity: { kind: 'relative', days: 7 }, ...body }).expect(201)).body.template.id as string

describe('运营后台 → 优惠券', () => {
  it('grants a template to a list once however often the batch is retried, and counts issued and expired coupons', async () => {
    const ops = await operatorLogin(t, 'operations')
    const members = await Promise.all(['领券甲', '领券乙', '领券丙'].map((nickname) => devLogin(t, { nickname })))
    const id = await template(ops.auth, { name: '会员日 5 元券' })
    const batch = { templateId: id, userIds: [...members.map((m) => m.user.id), '0123456789abcdef01234567'], idempotencyKey: 'member-day-2026-12' }
    const first = (await t.http.post('/api/admin/coupons/grant-batch').set(ops.auth).send(batch).expect(200)).body
    expect(first).toEqual({ granted: 3, replayed: 0, missing: ['0123456789abcdef01234567'] })
    const again = (await t.http.post('/api/admin/coupons/grant-batch').set(ops.auth).send(batch).expect(200)).body
    expect(again).toEqual({ granted: 0, replayed: 3, missing: ['0123456789abcdef01234567'] })
    const coupons = (await t.http.get('/api/coupons').set(members[0]!.auth).expect(200)).body.coupons
    expect(coupons.filter((c: { name: string }) => c.name === '会员日 5 元券')).toHaveLength(1)

    // A template whose window has passed: what it grants counts as expired.
    const past = await template(ops.auth, { name: '过期券', validity: { kind: 'fixed', from: '2026-01-01T00:00:00Z', to: '2026-01-31T00:00:00Z' } })
    await t.http.post('/api/admin/coupons/grant').set(ops.auth).send({ templateId: past, userId: members[1]!.user.id, idempotencyKey: 'expired-one' }).expect(200)

    const page = (await t.http.get('/api/admin/coupon-templates').set(ops.auth).expect(200)).body
    expect(page.templates[0]).toMatchObject({ id: past, counts: { issued: 1, used: 0, expired: 1 } })
    expect(page.templates[1]).toMatchObject({ id, active: true, validity: { kind: 'relative', days: 7 }, counts: { issued: 3, used: 0, expired: 0 } })
  })

  it('deactivates a template: no new grants, audited with before and after, and the batch is refused naming no one', async () => {
    const ops = await operatorLogin(t, 'operations')
    const member = await devLogin(t, { nickname: '停券会员' })
    const id = await template(ops.auth, { name: '停发券' })
    const res = await t.http.patch(`/api/admin/coupon-templates/${id}`).set(ops.auth).send({ active: false }).expect(200)
    expect(res.body.template.active).toBe(false)
    expect((await AuditLogModel.findOne({ action: 'coupon.template.deactivate', targetId: id }).lean())?.details).toEqual({ before: { active: true }, after: { active: false } })
    await t.http.post('/api/admin/coupons/grant').set(ops.auth).send({ templateId: id, userId: member.user.id, idempotencyKey: 'after-deactivation' }).expect(404)
    await t.http.patch(`/api/admin/coupon-templates/${id}`).set(ops.auth).send({ active: true }).expect(400)
    const tooMany = await t.http.post('/api/admin/coupons/grant-batch').set(ops.auth).send({ templateId: id, userIds: Array(201).fill(member.user.id), idempotencyKey: 'too-many-members' }).expect(400)
    expect(tooMany.body.error.details[0].path).toBe('body.userIds')
    const finance = await operatorLogin(t, 'finance')
    await t.http.get('/api/admin/coupon-templates').set(finance.auth).expect(403)
  })
})

describe('运营后台 → 积分商城', () => {
  it('lists items newest first including those taken off sale, with their coupon template', async () => {
    const ops = await operatorLogin(t, 'operations')
    const store = (await t.http.post('/api/admin/stores').set(ops.auth).send({ code: 'MALL-ADM', name: '商城管理店', address: '上海', hours: '08:00-22:00' }).expect(201)).body.store.id
    const couponTemplate = await template(ops.auth, { name: '兑换 5 元券' })
    const goods = (await t.http.post('/api/admin/mall/items').set(ops.auth).send({ name: '帆布袋', kind: 'goods', category: '生活', pointsPrice: 100, stock: 5, storeIds: [store], cover: { emoji: '👜', tint: '#eeeeee' } }).expect(201)).body.item.id
    const coupon = (await t.http.post('/api/admin/mall/items').set(ops.auth).send({ name: '5 元券', kind: 'coupon', couponTemplateId: couponTemplate, category: '券', pointsPrice: 50, stock: 100, cover: { emoji: '🎫', tint: '#eeeeee' } }).expect(201)).body.item.id
    await t.http.patch(`/api/admin/mall/items/${goods}`).set(ops.auth).send({ active: false }).expect(200)
    const page = (await t.http.get('/api/admin/mall/items').query({ limit: 1 }).set(ops.auth).expect(200)).body
    expect(page.items).toMatchObject([{ id: coupon, active: true, couponTemplateId: couponTemplate }])
    const next = (await t.http.get('/api/admin/mall/items').query({ limit: 1, cursor: page.nextCursor }).set(ops.auth).expect(200)).body
    expect(next.items).toMatchObject([{ id: goods, active: false, stores: [{ id: store, name: '商城管理店' }] }])
    expect((await t.http.get('/api/mall/items').expect(200)).body.items.map((i: { id: string }) => i.id)).not.toContain(goods)
  })
})
