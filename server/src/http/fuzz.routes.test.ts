import { createHash } from 'node:crypto'
import fc from 'fast-check'
import mongoose from 'mongoose'
import { ERRORS } from '@xianlin/shared'
import { devLogin, startTestApp, type TestApp, operatorLogin } from '../../test/harness'
import { startFakeWechat, type FakeWechat } from '../../test/fake-wechat'
import { upsertProduct } from '../modules/catalog/catalog.service'
import { UserModel } from '../modules/users/user.model'

/**
 * Property-based fuzzing of every route (ISSUE: hardening): arbitrary params, query and JSON
 * bodies, sent anonymously, as a shopper and as a person holding every role. Whatever comes in:
 * no 5xx, every error is our JSON shape with a known code, and a refusal (4xx) changes nothing
 * in the database (audit entries and rate-limit windows are what a refusal is allowed to write).
 */
jest.setTimeout(600_000)

let t: TestApp
let wx: FakeWechat
const actors: Record<string, Record<string, string>> = { anonymous: {} }
const UNCHANGED_BY_REFUSALS_EXCEPT = new Set(['audit_logs', 'rate_windows'])

beforeAll(async () => {
  // WeChat's side answers as its contract says (a real 502 when it is unreachable is no fuzz finding).
  wx = await startFakeWechat()
  t = await startTestApp(__filename, { env: { WECHAT_API_BASE: wx.baseUrl, WECHAT_APPID: wx.appId, WECHAT_SECRET: wx.secret } })
  const admin = await operatorLogin(t)
  const store = await t.http.post('/api/admin/stores').set(admin.auth).send({ code: 'FZ-01', name: '鲜邻优选·模糊测试店', address: '上海', hours: '08:00-22:00' }).expect(201)
  const product = await upsertProduct({ sku: 'FZ-1', name: '测试苹果', subtitle: '', category: '水果', priceFen: 1990, unit: '袋', cover: { emoji: '🍎', tint: '#fff' }, tags: [], sort: 1 })
  await t.http.post('/api/admin/groupbuys').set(admin.auth).send({ productId: product.id, startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 86_400_000).toISOString(), stock: 10 }).expect(201)
  const everyone = await devLogin(t, { nickname: '全角色' })
  await t.http.post('/api/leaders/applications').set(everyone.auth).send({ name: '全角色', phone: '13800138077', community: '测试小区', address: '测试路 1 号', location: { latitude: 31.2, longitude: 121.4 }, hours: '08:00-20:00' }).expect(201)
  await t.http.post(`/api/admin/leaders/applications/${everyone.user.id}/approve`).set(admin.auth).expect(200)
  await UserModel.updateOne({ _id: everyone.user.id }, { $set: { roles: ['shopper', 'staff', 'leader', 'admin'], storeIds: [new mongoose.Types.ObjectId(store.body.store.id as string)] } })
  actors.shopper = (await devLogin(t, { nickname: '模糊顾客' })).auth
  actors.everyRole = everyone.auth
})
afterAll(async () => {
  await t.close()
  await wx.close()
})

/** A digest of every document a refusal must not touch. */
async function stateDigest(): Promise<string> {
  const hash = createHash('sha256')
  const db = mongoose.connection.db!
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => !UNCHANGED_BY_REFUSALS_EXCEPT.has(n)).sort()
  for (const name of names) {
    hash.update(name)
    for (const doc of await db.collection(name).find({}).sort({ _id: 1 }).toArray()) hash.update(JSON.stringify(doc))
  }
  return hash.digest('hex')
}

const KNOWN_CODES = new Set(Object.keys(ERRORS))
const segment = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 24, maxLength: 24 }),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('..', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%00', '%E0%A4%A', '$where', 'ABCD-EFGH-JKLM', 'null', '-1', '1e999'),
)
const key = fc.oneof(fc.constantFrom('code', 'storeId', 'activityId', 'groupId', 'tierSize', 'amount', 'idempotencyKey', 'nickname', 'productId', 'state', 'page', '$gt', 'a.b', '__proto__', 'constructor'), fc.string({ maxLength: 12 }))
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), tie('object'), fc.array(tie('value'), { maxLength: 4 })),
  object: fc.dictionary(key, tie('value'), { maxKeys: 6 }),
})).value
const deep = fc.integer({ min: 19, max: 3000 }).map((n) => '['.repeat(n) + ']'.repeat(n))
const query = fc.dictionary(key, fc.oneof(fc.string({ maxLength: 30 }), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 })), { maxKeys: 3 })
const encoding = fc.constantFrom(undefined, undefined, undefined, 'gzip', 'deflate', 'br', 'identity, gzip')

const request = fc.record({
  actor: fc.constantFrom('anonymous', 'shopper', 'everyRole'),
  params: fc.array(segment, { minLength: 4, maxLength: 4 }),
  query,
  body: fc.oneof(fc.constant(undefined), jsonish.map((v) => JSON.stringify(v)), deep, fc.string({ maxLength: 200 })),
  encoding,
})

describe('every route, fuzzed', () => {
  it('answers arbitrary input without a 5xx, in the JSON error shape, and refusals change nothing', async () => {
    const routes = t.routes.filter(([, path]) => path !== '/api/dev/pay/:id')
    expect(routes.length).toBeGreaterThan(40)
    let digest = await stateDigest()
    const seen = new Map<number, number>()
    for (const [n, [method, path]] of routes.entries()) {
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          let i = 0
          const url = path.replace(/:\w+/g, () => encodeURIComponent(r.params[i++]!).replace(/%25/g, '%'))
          const qs = new URLSearchParams()
          for (const [k, v] of Object.entries(r.query)) for (const one of [v].flat()) qs.append(k, one)
          let req = t.http[method as 'get'](`${url}${qs.size ? `?${qs}` : ''}`).set(actors[r.actor]!)
          if (r.encoding) req = req.set('content-encoding', r.encoding)
          const res = r.body === undefined ? await req : await req.set('content-type', 'application/json').send(r.body)
          seen.set(res.status, (seen.get(res.status) ?? 0) + 1)
          const where = `${method.toUpperCase()} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`
          if (res.status >= 500) throw new Error(where)
          if (res.status >= 400 && path !== '/api/pay/notify') {
            if (!/application\/json/.test(res.headers['content-type'] ?? '') || !KNOWN_CODES.has(res.body?.error?.code)) throw new Error(`not our error shape: ${where}`)
          }
          const after = await stateDigest()
          if (res.status >= 400 && after !== digest) throw new Error(`a refusal changed the database: ${where}`)
          digest = after
        }),
        { numRuns: 8, seed: 20261123 + n },
      )
    }
    // Most answers are refusals; some inputs get through (public lists, dev login).
    expect([...seen.keys()].some((s) => s >= 400)).toBe(true)
    expect([...seen.keys()].some((s) => s < 300)).toBe(true)
  })
})
