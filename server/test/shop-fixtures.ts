import { randomBytes } from 'node:crypto'
import { CouponModel } from '../src/modules/coupons/coupon.model'
import { devLogin, operatorLogin, type TestApp } from './harness'

export type Person = Awaited<ReturnType<typeof devLogin>>

/**
 * Shared set-up of the basket tests: an operator, a store, products made through the console API
 * with their session defaults, shoppers, coupons, and a checkout of basket lines.
 */
export function shopFixtures(t: () => TestApp) {
  let seq = 0
  const fixtures = {
    admin: null as unknown as Person,
    storeId: '',

    async setUp() {
      fixtures.admin = await operatorLogin(t())
      const store = await t().http.post('/api/admin/stores').set(fixtures.admin.auth).send({ code: `SH-${randomBytes(2).toString('hex').toUpperCase()}`, name: '鲜邻优选·团购店', address: '上海', hours: '08:00-22:00' }).expect(201)
      fixtures.storeId = store.body.store.id
    },

    /** A product on the shelf; every day's session gets `sessionQuota` units and `sessionLimit` per member. */
    async product(name: string, priceFen: number, plan: { sessionQuota?: number; sessionLimit?: number; category?: string } = {}): Promise<string> {
      const res = await t()
        .http.post('/api/admin/products')
        .set(fixtures.admin.auth)
        .send({ name, category: plan.category ?? '水果', priceFen, unit: '份', sessionQuota: plan.sessionQuota ?? 100, sessionLimit: plan.sessionLimit ?? 10 })
      if (res.status !== 201) throw new Error(`product not created: ${res.status} ${JSON.stringify(res.body)}`)
      return res.body.product.id
    },

    shopper: (name = `邻居${++seq}`) => devLogin(t(), { nickname: name }),

    async shoppers(n: number): Promise<Person[]> {
      const out: Person[] = []
      for (let i = 0; i < n; i += 20) out.push(...(await Promise.all(Array.from({ length: Math.min(20, n - i) }, () => fixtures.shopper()))))
      return out
    },

    /** Grants each shopper one coupon of a new template; returns each shopper's coupon id, in order. */
    async coupons(who: Person[], terms: { amountFen?: number; minSpendFen?: number; kind?: 'amount' | 'percent'; percentOff?: number; days?: number; name?: string } = {}): Promise<string[]> {
      const tpl = await t()
        .http.post('/api/admin/coupon-templates')
        .set(fixtures.admin.auth)
        .send({ name: terms.name ?? '满减券', kind: terms.kind ?? 'amount', ...(terms.kind === 'percent' ? { percentOff: terms.percentOff } : { amountFen: terms.amountFen ?? 500 }), minSpendFen: terms.minSpendFen ?? 0, scope: 'all', validity: { kind: 'relative', days: terms.days ?? 30 } })
        .expect(201)
      const templateId = tpl.body.template.id
      for (let i = 0; i < who.length; i += 200) {
        await t().http.post('/api/admin/coupons/grant-batch').set(fixtures.admin.auth).send({ templateId, userIds: who.slice(i, i + 200).map((p) => p.user.id), idempotencyKey: randomBytes(8).toString('hex') }).expect(200)
      }
      const coupons = await CouponModel.find({ templateId, userId: { $in: who.map((p) => p.user.id) } }).lean()
      return who.map((p) => String(coupons.find((c) => String(c.userId) === p.user.id)!._id))
    },

    checkout: (who: Person, body: Record<string, unknown>) => t().http.post('/api/orders').set(who.auth).send({ storeId: fixtures.storeId, idempotencyKey: randomBytes(8).toString('hex'), ...body }),

    /** Pays a placed order through the fake WeChat wallet. */
    pay: (placed: { payment: { package: string } }) => t().fakePay!.pay(placed.payment.package.replace('prepay_id=', '')),

    cart: async (who: Person) => (await t().http.get('/api/cart').set(who.auth).expect(200)).body.cart,
    add: (who: Person, body: Record<string, unknown>) => t().http.post('/api/cart/items').set(who.auth).send(body),
  }
  return fixtures
}
