import { addDays, orderableDays } from '@xianlin/shared'
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
    const products = await t.http.get('/api/products').query({ limit: 50 }).expect(200)
    expect(products.body.products).toHaveLength(DEMO_PRODUCTS.length)
    // Today's session of every product: order by 23:00, pick up tomorrow from 16:00.
    const [open] = orderableDays(new Date(), 23, 1, 'Asia/Shanghai')
    expect(products.body.products[0].sessions[0]).toMatchObject({ day: open, cutoffAt: `${open}T15:00:00.000Z`, pickupDay: addDays(open!, 1) })
    expect(products.body.products[0]).toMatchObject({ name: '海南贵妃芒 5 斤装', priceFen: 3990 })
    expect(await UserModel.countDocuments({ openid: 'dev:staff' })).toBe(1)
    const mall = await t.http.get('/api/mall/items').expect(200)
    expect(mall.body.items.map((i: { name: string }) => i.name).sort()).toEqual(DEMO_MALL_ITEMS.map((i) => i.name).sort())

    const staff = await devLogin(t, { role: 'staff' })
    expect(staff.user.roles).toContain('staff')
    expect(staff.user.storeIds).toHaveLength(2)
  })

  it('lists the categories in the shop’s order and filters products by one, a page at a time', async () => {
    const { categories } = (await t.http.get('/api/categories').expect(200)).body
    expect(categories.map((c: { name: string }) => c.name)).toEqual(['水果', '蔬菜', '肉禽蛋', '水产', '乳品烘焙', '粮油调味', '休闲零食'])
    expect(categories[0]).toEqual({ name: '水果', count: 5 })
    const res = await t.http.get('/api/products').query({ category: '乳品烘焙' }).expect(200)
    expect(res.body.products.map((p: { name: string }) => p.name)).toEqual(['鲜牛奶 950ml×2', '全麦吐司 400g'])
    const first = (await t.http.get('/api/products').query({ category: '水果', limit: 3 }).expect(200)).body
    const second = (await t.http.get('/api/products').query({ category: '水果', limit: 3, page: first.next }).expect(200)).body
    expect([...first.products, ...second.products]).toHaveLength(5)
    expect(second.next).toBeNull()
  })

  it('searches the whole shelf by name, pinyin, initials and near misses, and suggests categories and best sellers when nothing matches', async () => {
    const names = async (q: string) => (await t.http.get('/api/products').query({ q }).expect(200)).body.products.map((p: { name: string }) => p.name)
    expect(await names('草莓')).toEqual(['丹东红颜草莓 2 斤'])
    expect(await names('caomei')).toEqual(['丹东红颜草莓 2 斤'])
    expect(await names('cm')).toEqual(['丹东红颜草莓 2 斤'])
    expect(await names('草梅')).toEqual(['丹东红颜草莓 2 斤'])
    expect((await names('西红柿')).length).toBe(0)
    const none = (await t.http.get('/api/products').query({ q: '榴莲' }).expect(200)).body
    expect(none.products).toEqual([])
    expect(none.suggestions.categories).toContain('水果')
    expect(none.suggestions.bestSellers).toHaveLength(6)

    // The rules' pinyin switch (规则设置 → 社区团购): off, a search matches the text only.
    const admin = await operatorLogin(t)
    const current = (await t.http.get('/api/admin/rules').set(admin.auth).expect(200)).body
    await t.http.put('/api/admin/rules').set(admin.auth).send({ baseVersion: current.version, reason: '关闭拼音搜索', rules: { ...current.rules, shop: { ...current.rules.shop, pinyinSearch: false } } }).expect(200)
    expect(await names('caomei')).toEqual([])
    expect(await names('草莓')).toEqual(['丹东红颜草莓 2 斤'])
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
