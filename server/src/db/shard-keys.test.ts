import mongoose from 'mongoose'
import { startTestApp, type TestApp } from '../../test/harness'
import { shopFixtures } from '../../test/shop-fixtures'

/**
 * The sharding plan (docs/scaling.md): the shard key each large collection would take. Every query
 * and write the hot paths send to these collections names it, so on a sharded cluster each goes
 * to one shard; the few that cannot are listed with their reason.
 */
const SHARD_KEYS: Array<{ collection: RegExp; key: string }> = [
  { collection: /^(point_entries|growth_entries)$/, key: 'ownerId' },
  { collection: /^(ledger_heads|users|memberships|member_profiles|orders)$/, key: '_id' },
  { collection: /^events_\d{4}_\d{2}_\d{2}$/, key: '_id' },
]
const SCATTERED: Array<{ collection: string; filter: RegExp; why: string }> = [
  { collection: 'orders', filter: /^\{"userId"/, why: "a shopper's own orders: every shard answers from its { userId, createdAt } index" },
]

type Sent = { collection: string; method: string; shape: Record<string, unknown> }

/** The filter or document each write and read matches by. */
function shapesOf(method: string, args: unknown[]): Array<Record<string, unknown>> {
  const first = args[0]
  if (method === 'insertOne') return [first as Record<string, unknown>]
  if (method === 'insertMany') return first as Array<Record<string, unknown>>
  if (method === 'bulkWrite') {
    return (first as Array<Record<string, { filter?: Record<string, unknown>; document?: Record<string, unknown> }>>).map((op) => {
      const inner = Object.values(op)[0]!
      return inner.filter ?? inner.document ?? {}
    })
  }
  if (method === 'aggregate') return [((first as Array<Record<string, unknown>>)[0]?.$match as Record<string, unknown>) ?? {}]
  if (/^(createIndex|createIndexes|listIndexes|drop|estimatedDocumentCount)/.test(method)) return []
  return [(first as Record<string, unknown>) ?? {}]
}

let t: TestApp
const shop = shopFixtures(() => t)
beforeAll(async () => {
  t = await startTestApp(__filename, { fakePay: true })
  await shop.setUp()
})
afterAll(() => t.close())

describe('the sharding plan', () => {
  it("names each collection's shard key in every query and write of the shoppers' hot paths", async () => {
    const products = [await shop.product('本地青菜', 390), await shop.product('土鸡蛋', 1290)]
    const sent: Sent[] = []
    mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => {
      for (const shape of shapesOf(method, args)) sent.push({ collection, method, shape })
    })
    try {
      // Sign-up, sign-in again, the home page's balance, a check-in and its settling, a basket paid, my orders.
      const shopper = await shop.shopper('分片顾客')
      await shop.shopper('分片顾客')
      await t.http.get('/api/points').set(shopper.auth).expect(200)
      await t.http.post('/api/checkins').set(shopper.auth).expect(201)
      await t.services.checkin.settle(t.services.clock())
      const placed = await shop.checkout(shopper, { lines: products.map((productId) => ({ productId, quantity: 1 })) }).expect(201)
      await shop.pay(placed.body)
      await t.http.get('/api/orders').set(shopper.auth).expect(200)
    } finally {
      mongoose.set('debug', false)
    }
    const planned = sent.filter((s) => SHARD_KEYS.some((k) => k.collection.test(s.collection)))
    const unnamed = planned.filter((s) => {
      const { key } = SHARD_KEYS.find((k) => k.collection.test(s.collection))!
      if (s.shape[key] !== undefined) return false
      return !SCATTERED.some((x) => x.collection === s.collection && x.filter.test(JSON.stringify(s.shape)))
    })
    expect(unnamed.map((s) => `${s.collection}.${s.method} ${JSON.stringify(s.shape).slice(0, 160)}`)).toEqual([])
    for (const collection of ['point_entries', 'users', 'orders']) expect(planned.some((s) => s.collection === collection)).toBe(true)
  })
})
