import { Types } from 'mongoose'
import type { CreateStoreRequest, StoreView } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import { setStaffStores, toUserView } from '../users/users.service'
import { StoreModel, type StoreDoc } from './store.model'

export function toStoreView(store: StoreDoc): StoreView {
  return {
    id: store._id.toHexString(),
    name: store.name,
    address: store.address,
    hours: store.hours,
    phone: store.phone ?? null,
  }
}

export async function listStores(): Promise<StoreView[]> {
  const stores = await StoreModel.find({ active: true }).sort({ code: 1 })
  return stores.map(toStoreView)
}

/** A store's name and address by id (null when there is none), for showing where an order is picked up. */
export async function storeOf(id: string | Types.ObjectId): Promise<{ name: string; address: string } | null> {
  const store = await StoreModel.findById(id, { name: 1, address: 1 }).lean()
  return store ? { name: store.name, address: store.address } : null
}

/** Whether an open store has this id. */
export async function isActiveStore(id: string): Promise<boolean> {
  return Types.ObjectId.isValid(id) && Boolean(await StoreModel.exists({ _id: new Types.ObjectId(id), active: true }))
}

/** Creates a store, or updates the one with the same code (so a seed can run twice). */
export async function upsertStore(input: CreateStoreRequest): Promise<StoreView> {
  const store = await StoreModel.findOneAndUpdate(
    { code: input.code },
    { $set: { ...input, active: true } },
    { new: true, upsert: true },
  )
  return toStoreView(store)
}

/** Binds a user as staff of these stores (all must exist); an empty list removes the staff role. */
export async function assignStaff(userId: string, storeIds: string[], position: 'clerk' | 'manager' = 'clerk') {
  const ids = storeIds.map((id) => new Types.ObjectId(id))
  const found = await StoreModel.countDocuments({ _id: { $in: ids } })
  if (found !== ids.length) throw new AppError('NOT_FOUND', '门店不存在')
  return toUserView(await setStaffStores(userId, ids, position))
}

/** True when a staff actor may act for this store (DESIGN.md: staff act only in their own stores). */
export function staffWorksAt(actor: { roles: string[]; storeIds: string[] }, storeId: string): boolean {
  return actor.roles.includes('admin') || (actor.roles.includes('staff') && actor.storeIds.includes(storeId))
}

/** Store names by id, for showing where a voucher can be used or was redeemed. */
export async function storeNames(ids: Array<string | Types.ObjectId>): Promise<Map<string, string>> {
  const stores = await StoreModel.find({ _id: { $in: ids } }, { name: 1 }).lean()
  return new Map(stores.map((s) => [s._id.toHexString(), s.name]))
}
