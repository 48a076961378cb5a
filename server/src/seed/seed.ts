import type { StoreView } from '@xianlin/shared'
import { Types } from 'mongoose'
import { DEMO_ACCOUNTS } from '../modules/auth/demo-accounts'
import { upsertProduct } from '../modules/catalog/catalog.service'
import { upsertStore } from '../modules/stores/stores.service'
import { findOrCreateByOpenid, setStaffStores } from '../modules/users/users.service'
import { DEMO_GROUPBUYS, DEMO_LEADER, DEMO_MALL_ITEMS, DEMO_PRODUCTS, DEMO_STORES } from './demo-data'
import type { Services } from '../services'

/**
 * Fills the database with the demo shop. Every write is an upsert by a stable key (store code,
 * SKU, openid), so running it on every start changes nothing the second time.
 */
export async function seedDemoData(now: Date, services?: Pick<Services, 'mall' | 'coupons' | 'groupbuy' | 'leaders'>): Promise<{ stores: number; products: number; mallItems: number; groupbuys: number; leaders: number }> {
  const stores: StoreView[] = []
  for (const store of DEMO_STORES) stores.push(await upsertStore(store))
  const productIds = new Map<string, string>()
  for (const product of DEMO_PRODUCTS) productIds.set(product.sku, (await upsertProduct(product)).id)

  const staff = DEMO_ACCOUNTS.staff
  const { user } = await findOrCreateByOpenid({ openid: staff.openid, nickname: staff.nickname, roles: staff.roles }, now)
  await setStaffStores(user._id.toHexString(), stores.slice(0, 2).map((s) => new Types.ObjectId(s.id)))
  if (services) {
    for (const item of DEMO_MALL_ITEMS) {
      const couponTemplateId =
        item.kind === 'coupon'
          ? await services.coupons.ensureTemplate(`demo:${item.key}`, { name: '5元无门槛券', kind: 'amount', amountFen: 500, minSpendFen: 0, validity: { kind: 'relative', days: 30 }, scope: 'all' })
          : undefined
      await services.mall.ensureItem(item.key, {
        name: item.name,
        description: item.description,
        kind: item.kind,
        couponTemplateId,
        category: item.category,
        pointsPrice: item.pointsPrice,
        stock: item.stock,
        perUserLimit: item.perUserLimit,
        minLevelRank: item.minLevelRank,
        availableFrom: null,
        availableTo: null,
        storeIds: item.stores.map((i) => stores[i]!.id),
        cover: item.cover,
      })
    }
    for (const g of DEMO_GROUPBUYS) {
      // Created once by key; later starts leave an existing activity (and its stock) alone.
      await services.groupbuy.createActivity({
        key: g.key,
        productId: productIds.get(g.sku)!,
        title: g.title,
        tiers: g.tiers,
        startsAt: now.toISOString(),
        endsAt: new Date(now.getTime() + 365 * 86_400_000).toISOString(),
        stock: g.stock,
        perUserLimit: g.perUserLimit,
      })
    }
    const demoLeader = DEMO_ACCOUNTS.leader
    const leaderUser = (await findOrCreateByOpenid({ openid: demoLeader.openid, nickname: demoLeader.nickname, roles: demoLeader.roles }, now)).user
    const { code } = await services.leaders.makeLeader(leaderUser._id, DEMO_LEADER.point)
    for (const nickname of DEMO_LEADER.members) {
      const { user: member, created } = await findOrCreateByOpenid({ openid: `dev:shopper:${nickname}`, nickname }, now)
      if (created) await services.leaders.bind(member._id.toHexString(), code, { switch: false })
    }
  }
  return { stores: stores.length, products: DEMO_PRODUCTS.length, mallItems: services ? DEMO_MALL_ITEMS.length : 0, groupbuys: services ? DEMO_GROUPBUYS.length : 0, leaders: services ? 1 : 0 }
}
