import http from 'node:http'
import { randomBytes } from 'node:crypto'
import mongoose from 'mongoose'
import supertest from 'supertest'
import { buildApp } from '../app'
import { connectDatabase, syncIndexes } from '../db/connection'
import { PAY_NOTIFY_PATH } from '../modules/orders/pay-notify'
import { upsertProduct } from '../modules/catalog/catalog.service'
import { testConfig, testDatabaseUri, operatorLogin } from '../../test/harness'
import { mongoFakePayStore, startFakePay } from './fake-pay'

/** The development server on a port of its own with its payment fake, as `npm start` runs it. */
async function devServer() {
  const fake = await startFakePay({ store: mongoFakePayStore() })
  let handle: http.RequestListener = (_req, res) => res.writeHead(503).end()
  const server = http.createServer((req, res) => handle(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = testConfig({ DEV_LOGIN: 'true' })
  const config = testConfig({ DEV_LOGIN: 'true' }, { pay: fake.config(`http://127.0.0.1:${(server.address() as { port: number }).port}${PAY_NOTIFY_PATH}`, base.wechat.appId) })
  const built = buildApp(config, { devPayer: (prepayId) => fake.pay(prepayId) })
  handle = built.app.callback()
  return {
    http: supertest(server),
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await fake.close()
    },
  }
}

beforeAll(async () => {
  await connectDatabase(testDatabaseUri('fake_pay'))
  await syncIndexes()
})
afterAll(async () => {
  await mongoose.connection.dropDatabase()
  await mongoose.disconnect()
})

describe('the development payment fake', () => {
  it('pays an order placed before a restart (its prepay ids are kept in the database)', async () => {
    const first = await devServer()
    const admin = await operatorLogin({ http: first.http } as never)
    const store = await first.http.post('/api/admin/stores').set(admin.auth).send({ code: 'FP-01', name: '重启测试店', address: '上海', hours: '08:00-22:00' }).expect(201)
    const product = await upsertProduct({ sku: `FP-${randomBytes(3).toString('hex')}`, name: '重启前的订单', subtitle: '', category: '水果', priceFen: 1990, unit: '份', cover: { emoji: '🍑', tint: '#fff' }, tags: [], sort: 1 })
    const me = (await first.http.post('/api/auth/dev').send({ nickname: '重启前下单' }).expect(200)).body
    const placed = (await first.http.post('/api/orders').set({ authorization: `Bearer ${me.accessToken}` }).send({ productId: product.id, quantity: 1, storeId: store.body.store.id, idempotencyKey: 'before-restart' }).expect(201)).body
    await first.stop()

    const second = await devServer()
    const paid = await second.http.post(`/api/dev/pay/${placed.order.id}`).set({ authorization: `Bearer ${me.accessToken}` }).expect(200)
    expect(['paid', 'confirmed']).toContain(paid.body.order.state)
    for (let i = 0; i < 50; i++) {
      const now = (await second.http.get(`/api/orders/${placed.order.id}`).set({ authorization: `Bearer ${me.accessToken}` }).expect(200)).body.order
      if (now.state === 'confirmed') break
      await new Promise((r) => setTimeout(r, 50))
    }
    expect((await second.http.get(`/api/orders/${placed.order.id}`).set({ authorization: `Bearer ${me.accessToken}` }).expect(200)).body.order.state).toBe('confirmed')
    await second.stop()
  })
})
