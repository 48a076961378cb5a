import { Types } from 'mongoose'
import { DEMO_ACCOUNTS } from '../modules/auth/demo-accounts'
import { upsertProduct } from '../modules/catalog/catalog.service'
import { upsertStore } from '../modules/stores/stores.service'
import { findOrCreateByOpenid, setStaffStores } from '../modules/users/users.service'
import { DEMO_PRODUCTS, DEMO_STORES } from './demo-data'

/**
 * Fills the database with the demo shop. Every write is an upsert by a stable key (store code,
 * SKU, openid), so running it on every start changes nothing the second time.
 */
export async function seedDemoData(now: Date): Promise<{ stores: number; products: number }> {
  const stores = []
  for (const store of DEMO_STORES) stores.push(await upsertStore(store))
  for (const product of DEMO_PRODUCTS) await upsertProduct(product)

  const staff = DEMO_ACCOUNTS.staff
  const { user } = await findOrCreateByOpenid({ openid: staff.openid, nickname: staff.nickname, roles: staff.roles }, now)
  await setStaffStores(user._id.toHexString(), stores.slice(0, 2).map((s) => new Types.ObjectId(s.id)))
  return { stores: stores.length, products: DEMO_PRODUCTS.length }
}
