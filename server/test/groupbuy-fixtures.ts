import { randomBytes } from 'node:crypto'
import { upsertProduct } from '../src/modules/catalog/catalog.service'
import { devLogin, staffOf, type TestApp, operatorLogin } from './harness'

export type Person = Awaited<ReturnType<typeof devLogin>>

/** Shared set-up of the group-buy tests: a store, a product, an admin, shoppers, activities, checkout. */
export function groupbuyFixtures(t: () => TestApp, now: () => Date) {
  let seq = 0
  const fixtures = {
    admin: null as unknown as Person,
    storeId: '',
    productId: '',

    async setUp() {
      fixtures.admin = await operatorLogin(t())
      const store = await t().http.post('/api/admin/stores').set(fixtures.admin.auth).send({ code: `GB-${randomBytes(2).toString("hex").toUpperCase()}`, name: '鲜邻优选·拼团店', address: '上海', hours: '08:00-22:00' }).expect(201)
      fixtures.storeId = store.body.store.id
      fixtures.productId = (await upsertProduct({ sku: `GB-${randomBytes(3).toString('hex')}`, name: '拼团芒果', subtitle: '', category: '水果', priceFen: 3990, unit: '箱', cover: { emoji: '🥭', tint: '#fff4d6' }, tags: [], sort: 1 })).id
    },

    async otherStore(): Promise<string> {
      const store = await t().http.post('/api/admin/stores').set(fixtures.admin.auth).send({ code: `GB-${randomBytes(2).toString("hex").toUpperCase()}`, name: '鲜邻优选·别的店', address: '上海', hours: '08:00-22:00' }).expect(201)
      return store.body.store.id
    },

    staffAt: (storeId: string, nickname: string): Promise<Person> => staffOf(t(), fixtures.admin, storeId, nickname),

    shopper: (name = `团友${++seq}`) => devLogin(t(), { nickname: name }),

    /** Signs in `n` shoppers, a few at a time. */
    async shoppers(n: number): Promise<Person[]> {
      const out: Person[] = []
      for (let i = 0; i < n; i += 20) out.push(...(await Promise.all(Array.from({ length: Math.min(20, n - i) }, () => fixtures.shopper()))))
      return out
    },

    async activity(overrides: Record<string, unknown> = {}): Promise<string> {
      const res = await t()
        .http.post('/api/admin/groupbuys')
        .set(fixtures.admin.auth)
        .send({ productId: fixtures.productId, startsAt: new Date(now().getTime() - 60_000).toISOString(), endsAt: new Date(now().getTime() + 7 * 86_400_000).toISOString(), stock: 100, ...overrides })
      if (res.status !== 201) throw new Error(`activity not created: ${res.status} ${JSON.stringify(res.body)}`)
      return res.body.activity.id
    },

    checkout: (who: Person, body: Record<string, unknown>) =>
      t().http.post('/api/orders').set(who.auth).send({ storeId: fixtures.storeId, idempotencyKey: randomBytes(8).toString('hex'), ...body }),

    /** Checkout, then pay through the fake WeChat wallet; returns the order id. */
    async buy(who: Person, body: Record<string, unknown>): Promise<{ orderId: string; groupId: string }> {
      const res = await fixtures.checkout(who, body).expect(201)
      await t().fakePay!.pay(res.body.payment.package.replace('prepay_id=', ''))
      return { orderId: res.body.order.id, groupId: res.body.order.groupId }
    },

    /** One unit of the product bought alone and paid; handed over by `clerk` at the store when given. Returns the order id. */
    async soloOrder(who: Person, clerk?: Person): Promise<string> {
      const placed = (await fixtures.checkout(who, { productId: fixtures.productId, quantity: 1 }).expect(201)).body
      await t().fakePay!.pay(placed.payment.package.replace('prepay_id=', ''))
      if (clerk) {
        const code = (await t().http.get(`/api/orders/${placed.order.id}`).set(who.auth).expect(200)).body.order.pickupCode
        await t().http.post('/api/staff/pickups').set(clerk.auth).send({ code }).expect(200)
      }
      return placed.order.id as string
    },
  }
  return fixtures
}
