import { startTestApp, type TestApp } from '../../../test/harness'
import { groupbuyFixtures } from '../../../test/groupbuy-fixtures'

let now = new Date('2026-11-23T04:00:00Z')
let t: TestApp
const f = groupbuyFixtures(() => t, () => now)

beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now, fakePay: true })
  await f.setUp()
})
afterAll(() => t.close())

describe('商品详情 and search', () => {
  it('finds products by any part of their name, selling point, category or tags, in any case', async () => {
    await t.http.post('/api/admin/products').set(f.admin.auth).send({ name: 'Royal Gala 苹果 3kg', subtitle: '脆甜多汁', category: '水果', priceFen: 4990, unit: '箱', tags: ['冷链'] }).expect(201)
    const names = async (q: string) => (await t.http.get('/api/products').query({ q }).expect(200)).body.products.map((p: { name: string }) => p.name)
    expect(await names('苹果')).toEqual(['Royal Gala 苹果 3kg'])
    expect(await names('gala')).toEqual(['Royal Gala 苹果 3kg'])
    expect(await names('多汁')).toEqual(['Royal Gala 苹果 3kg'])
    expect(await names('冷链')).toContain('Royal Gala 苹果 3kg')
    expect(await names('榴莲')).toEqual([])
    await t.http.get('/api/products').query({ q: '' }).expect(400)
    await t.http.get('/api/products').query({ q: 'x'.repeat(21) }).expect(400)
  })

  it("shows spec, origin, the viewer's member price, the group-buy on now with its open groups, and units sold", async () => {
    const made = (await t.http.post('/api/admin/products').set(f.admin.auth).send({ name: '阳光玫瑰葡萄', category: '水果', priceFen: 5000, unit: '盒', spec: '2 斤装', origin: '云南建水' }).expect(201)).body.product
    const guest = (await t.http.get(`/api/products/${made.id}`).expect(200)).body
    expect(guest.product).toMatchObject({ name: '阳光玫瑰葡萄', spec: '2 斤装', origin: '云南建水', soldCount: 0, priceFen: 5000, memberPriceFen: 4900, levelName: '普通会员' })
    expect(guest.activity).toBeNull()

    const previous = f.productId
    f.productId = made.id
    const activityId = await f.activity({ tiers: [{ size: 2, priceFen: 3900 }] })
    f.productId = previous
    const [opener] = await f.shoppers(1)
    const { groupId } = await f.buy(opener!, { activityId, tierSize: 2 })
    const seen = (await t.http.get(`/api/products/${made.id}`).set(opener!.auth).expect(200)).body
    expect(seen.product.soldCount).toBe(1)
    expect(seen.activity).toMatchObject({ id: activityId, tiers: [{ size: 2, priceFen: 3900 }], openGroups: [expect.objectContaining({ id: groupId, seatsLeft: 1 })] })

    await t.http.patch(`/api/admin/products/${made.id}`).set(f.admin.auth).send({ onShelf: false }).expect(200)
    await t.http.get(`/api/products/${made.id}`).expect(404)
    await t.http.get('/api/products/not-an-id').expect(400)
  })
})
