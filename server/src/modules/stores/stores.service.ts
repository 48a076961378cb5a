import { Types } from 'mongoose'
import type { AdminStore, CreateStoreRequest, StoreView, UpdateStoreRequest } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import { removeStaffStore, setStaffStores, staffOfStores, toUserView } from '../users/users.service'
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

/** An open store's name and address, or null (a checkout's pickup point, read once). */
export async function openStore(id: string): Promise<{ name: string; address: string } | null> {
  const store = Types.ObjectId.isValid(id) ? await StoreModel.findOne({ _id: new Types.ObjectId(id), active: true }, { name: 1, address: 1 }).lean() : null
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

// 运营后台 → 门店与店员

/** Every store (open or closed) with who works there; a retailer has tens of stores, not thousands. */
export async function adminStores(): Promise<AdminStore[]> {
  const stores = await StoreModel.find({}).sort({ code: 1 }).limit(500)
  const staff = await staffOfStores(stores.map((s) => s._id))
  return stores.map((s) => ({
    ...toStoreView(s),
    code: s.code,
    timeZone: s.timeZone ?? 'Asia/Shanghai',
    staff: staff.filter((u) => u.storeIds.some((id) => id.equals(s._id))).map((u) => ({ userId: u._id.toHexString(), nickname: u.nickname, position: (u.staffPosition as 'clerk' | 'manager' | null) ?? null })),
  }))
}

export async function adminStore(id: string): Promise<AdminStore> {
  const found = (await adminStores()).find((s) => s.id === id)
  if (!found) throw new AppError('NOT_FOUND', '门店不存在')
  return found
}

export async function updateStore(id: string, patch: UpdateStoreRequest): Promise<{ before: AdminStore; after: AdminStore }> {
  const before = await adminStore(id)
  await StoreModel.updateOne({ _id: new Types.ObjectId(id) }, { $set: patch })
  return { before, after: await adminStore(id) }
}

/** Takes a clerk off a store (they keep any other stores); NOT_FOUND when they do not work there. */
export async function removeStaff(storeId: string, userId: string): Promise<string[]> {
  const before = await removeStaffStore(userId, new Types.ObjectId(storeId))
  if (!before) throw new AppError('NOT_FOUND', '该店员不在这家门店')
  return before.map(String)
}
