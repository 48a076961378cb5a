import { devLogin, startTestApp, type TestApp, operatorLogin } from '../../../test/harness'
import { seedDemoData } from '../../seed/seed'
import { DEMO_MALL_ITEMS, DEMO_PRODUCTS, DEMO_STORES } from '../../seed/demo-data'
import { UserModel } from '../users/user.model'
import { StoreModel } from './store.model'

let t: TestApp

beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

describe('demo data', () => {
  it('seeds stores, products and a staff account, and a second run changes nothing', async () => {
    const now = new Date('2026-11-23T02:00:00Z')
    await seedDemoData(now, t.services)
    await seedDemoData(now, t.services)
    const stores = await t.http.get('/api/stores').expect(200)
    expect(stores.body.stores).toHaveLength(DEMO_STORES.length)
    const products = await t.http.get('/api/products').expect(200)
    expect(products.body.products).toHaveLength(DEMO_PRODUCTS.length)
    expect(products.body.products[0]).toMatchObject({ name: '海南贵妃芒 5 斤装', priceFen: 3990 })
    expect(await UserModel.countDocuments({ openid: 'dev:staff' })).toBe(1)
    const mall = await t.http.get('/api/mall/items').expect(200)
    expect(mall.body.items.map((i: { name: string }) => i.name).sort()).toEqual(DEMO_MALL_ITEMS.map((i) => i.name).sort())

    const staff = await devLogin(t, { role: 'staff' })
    expect(staff.user.roles).toContain('staff')
    expect(staff.user.storeIds).toHaveLength(2)
  })

  it('filters products by category', async () => {
    const res = await t.http.get('/api/products').query({ category: '蛋奶' }).expect(200)
    expect(res.body.products.map((p: { category: string }) => p.category)).toEqual(['蛋奶', '蛋奶'])
  })
})

describe('admin store management', () => {
  it('lets an admin create a store and bind a staff member, whose next token carries the store', async () => {
    const admin = await operatorLogin(t)
    const created = await t.http
      .post('/api/admin/stores')
      .set(admin.auth)
      .send({ code: 'HZ-XH-09', name: '鲜邻优选·杭州西湖店', address: '杭州市西湖区文三路 1 号', hours: '08:00-21:00' })
      .expect(201)
    const clerk = await devLogin(t, { nickname: '新店员' })
    const bound = await t.http
      .put(`/api/admin/staff/${clerk.user.id}`)
      .set(admin.auth)
      .send({ storeIds: [created.body.store.id] })
      .expect(200)
    expect(bound.body.user).toMatchObject({ roles: ['shopper', 'staff'], storeIds: [created.body.store.id] })
    const again = await devLogin(t, { nickname: '新店员' })
    expect(again.user.storeIds).toEqual([created.body.store.id])
  })

  it('refuses a store that does not exist and an invalid store body, writing nothing', async () => {
    const admin = await operatorLogin(t)
    const clerk = await devLogin(t, { nickname: '无店' })
    await t.http.put(`/api/admin/staff/${clerk.user.id}`).set(admin.auth).send({ storeIds: ['0123456789abcdef01234567'] }).expect(404)
    const before = await StoreModel.countDocuments()
    const bad = await t.http.post('/api/admin/stores').set(admin.auth).send({ code: 'bad code', name: '', address: 'x', hours: 'y', timeZone: 'Asia/Nowhere' }).expect(400)
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.code', 'body.name', 'body.timeZone'])
    expect(await StoreModel.countDocuments()).toBe(before)
    expect((await t.http.get(`/api/me`).set(clerk.auth)).body.user.roles).toEqual(['shopper'])
  })

  it('answers 403 to staff calling admin routes', async () => {
    const staff = await devLogin(t, { role: 'staff' })
    await t.http.post('/api/admin/stores').set(staff.auth).send({ code: 'XX-01', name: 'x', address: 'x', hours: 'x' }).expect(401)
  })
})
