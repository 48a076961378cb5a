import { Types } from 'mongoose'
import { operatorLogin, startTestApp, type TestApp } from '../../../test/harness'
import { shopFixtures } from '../../../test/shop-fixtures'
import { CouponModel } from './coupon.model'

/** 领券链接: shoppers claim a template's coupon themselves, one each, never past the total. */
let t: TestApp
const f = shopFixtures(() => t)
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

const template = async (admin: { auth: Record<string, string> }, name: string) =>
  (await t.http.post('/api/admin/coupon-templates').set(admin.auth).send({ name, kind: 'amount', amountFen: 500, minSpendFen: 2000, scope: 'all', validity: { kind: 'relative', days: 7 } }).expect(201)).body.template.id as string

describe('领券链接', () => {
  it('gives 50 coupons to 200 racing members, one each; a second claim answers with the first; more can be added', async () => {
    const admin = await operatorLogin(t)
    const id = await template(admin, '社群领券 5 元')
    // Not opened yet: no claiming.
    expect((await t.http.get(`/api/coupon-claims/${id}`).expect(404)).body.error.code).toBe('CLAIM_CLOSED')
    const opened = (await t.http.put(`/api/admin/coupon-templates/${id}/claim-link`).set(admin.auth).send({ total: 50 }).expect(200)).body.claim
    expect(opened).toMatchObject({ state: 'open', total: 50, claimed: 0, mine: null, template: { name: '社群领券 5 元', amountFen: 500, minSpendFen: 2000, validity: { kind: 'relative', days: 7 } } })

    const people = await f.shoppers(200)
    const results = await Promise.all(people.map((p) => t.http.post(`/api/coupon-claims/${id}`).set(p.auth)))
    const won = results.filter((r) => r.status === 200)
    expect(won).toHaveLength(50)
    for (const r of results.filter((r) => r.status !== 200)) expect(r.body.error).toMatchObject({ code: 'CLAIM_SOLD_OUT', message: '券已经领完了，下次早点来' })
    for (const r of won) expect(r.body.claim.mine).toMatchObject({ name: '社群领券 5 元', state: 'usable' })
    expect(await CouponModel.countDocuments({ templateId: new Types.ObjectId(id) })).toBe(50)
    expect(await CouponModel.distinct('userId', { templateId: new Types.ObjectId(id) })).toHaveLength(50)

    // A winner claims again (a double tap, a second visit): the coupon they have, nothing new.
    const winner = people[results.indexOf(won[0]!)]!
    const again = (await t.http.post(`/api/coupon-claims/${id}`).set(winner.auth).expect(200)).body.claim
    expect(again.mine.id).toBe(won[0]!.body.claim.mine.id)
    expect((await t.http.get(`/api/coupon-claims/${id}`).set(winner.auth).expect(200)).body.claim).toMatchObject({ state: 'sold_out', claimed: 50, mine: { id: again.mine.id } })
    expect((await t.http.get(`/api/coupon-claims/${id}`).expect(200)).body.claim).toMatchObject({ state: 'sold_out', mine: null })

    // The operator adds ten: a member turned away before may claim now.
    await t.http.put(`/api/admin/coupon-templates/${id}/claim-link`).set(admin.auth).send({ total: 60 }).expect(200)
    const late = people[results.findIndex((r) => r.status !== 200)]!
    expect((await t.http.post(`/api/coupon-claims/${id}`).set(late.auth).expect(200)).body.claim).toMatchObject({ claimed: 51, mine: { state: 'usable' } })
    expect(await CouponModel.countDocuments({ templateId: new Types.ObjectId(id) })).toBe(51)
  })

  it('refuses the signed-out, bad ids, bad totals, and a link on a template operators stopped', async () => {
    const admin = await operatorLogin(t)
    const id = await template(admin, '停用的券')
    await t.http.put(`/api/admin/coupon-templates/${id}/claim-link`).set(admin.auth).send({ total: 5 }).expect(200)
    await t.http.post(`/api/coupon-claims/${id}`).expect(401)
    await t.http.get('/api/coupon-claims/not-an-id').expect(400)
    for (const body of [{ total: 0 }, { total: 1.5 }, { total: 5, extra: 1 }, {}]) await t.http.put(`/api/admin/coupon-templates/${id}/claim-link`).set(admin.auth).send(body).expect(400)
    const [member] = await f.shoppers(1)
    await t.http.put(`/api/admin/coupon-templates/${id}/claim-link`).set(member!.auth).send({ total: 5 }).expect(401)
    await t.http.patch(`/api/admin/coupon-templates/${id}`).set(admin.auth).send({ active: false }).expect(200)
    expect((await t.http.get(`/api/coupon-claims/${id}`).expect(200)).body.claim.state).toBe('closed')
    expect((await t.http.post(`/api/coupon-claims/${id}`).set(member!.auth).expect(404)).body.error.code).toBe('CLAIM_CLOSED')
    expect(await CouponModel.countDocuments({ templateId: new Types.ObjectId(id) })).toBe(0)
  })
})
