import { Types } from 'mongoose'
import type { Role, UserView } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import { UserModel, type UserDoc } from './user.model'

export type { UserDoc } from './user.model'
import { isDuplicateKeyError } from '../../db/errors'

export interface NewUser {
  openid: string
  unionid?: string | null
  nickname: string
  roles?: Role[]
  storeIds?: Types.ObjectId[]
}

/**
 * Finds the user with this openid or creates it. Two first logins racing for one openid meet at
 * the unique index: the loser reads the winner's document. `created` says who registered.
 */
export async function findOrCreateByOpenid(input: NewUser, now: Date): Promise<{ user: UserDoc; created: boolean }> {
  const existing = await UserModel.findOneAndUpdate({ openid: input.openid }, { $set: { lastLoginAt: now } }, { new: true })
  if (existing) return { user: existing, created: false }
  try {
    const user = await UserModel.create({
      openid: input.openid,
      unionid: input.unionid ?? null,
      nickname: input.nickname,
      roles: input.roles ?? ['shopper'],
      storeIds: input.storeIds ?? [],
      lastLoginAt: now,
      // Registration time follows the service clock (the 24 h invitation window is measured from it).
      createdAt: now,
    })
    return { user, created: true }
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err
    const winner = await UserModel.findOne({ openid: input.openid })
    if (!winner) throw err
    return { user: winner, created: false }
  }
}

export async function getUser(userId: string): Promise<UserDoc> {
  const user = Types.ObjectId.isValid(userId) ? await UserModel.findById(userId) : null
  if (!user) throw new AppError('NOT_FOUND', '用户不存在')
  return user
}

/** Adds a role to a user (approval as a leader); idempotent. */
export async function grantRole(userId: string | Types.ObjectId, role: Role): Promise<void> {
  await UserModel.updateOne({ _id: userId }, { $addToSet: { roles: role } })
}

/** Makes a user staff of the given stores (or removes the staff role when the list is empty). */
export async function setStaffStores(userId: string, storeIds: Types.ObjectId[], position: 'clerk' | 'manager' = 'clerk'): Promise<UserDoc> {
  const update =
    storeIds.length > 0
      ? { $set: { storeIds, staffPosition: position }, $addToSet: { roles: 'staff' } }
      : { $set: { storeIds: [], staffPosition: null }, $pull: { roles: 'staff' } }
  const user = await UserModel.findByIdAndUpdate(userId, update, { new: true })
  if (!user) throw new AppError('NOT_FOUND', '用户不存在')
  return user
}

/** Adds one store to a user's stores and makes them staff (accepting a staff invitation); idempotent. */
export async function addStaffStore(userId: string, storeId: Types.ObjectId, position: 'clerk' | 'manager'): Promise<void> {
  await UserModel.updateOne({ _id: userId }, { $addToSet: { storeIds: storeId, roles: 'staff' }, $set: { staffPosition: position } })
}

/** Takes one store from a user's stores; with none left they are staff no more. Returns the stores before. */
export async function removeStaffStore(userId: string, storeId: Types.ObjectId): Promise<Types.ObjectId[] | null> {
  const before = await UserModel.findOneAndUpdate({ _id: userId, storeIds: storeId }, { $pull: { storeIds: storeId } }).lean()
  if (!before) return null
  const after = await UserModel.findById(userId, { storeIds: 1 }).lean()
  if (after && after.storeIds.length === 0) await UserModel.updateOne({ _id: userId }, { $pull: { roles: 'staff' }, $set: { staffPosition: null } })
  return before.storeIds
}

/** Staff of these stores: who works where, for the console. */
export async function staffOfStores(storeIds: Types.ObjectId[]): Promise<Array<{ _id: Types.ObjectId; nickname: string; storeIds: Types.ObjectId[]; staffPosition?: string | null }>> {
  if (!storeIds.length) return []
  return UserModel.find({ storeIds: { $in: storeIds }, roles: 'staff' }, { nickname: 1, storeIds: 1, staffPosition: 1 }).limit(1000).lean()
}

/** What requests act with: the user's current roles, stores and session version (an `_id` read). */
export async function authorityOf(userId: string): Promise<{ roles: Role[]; storeIds: string[]; sessionVersion: number } | null> {
  const u = Types.ObjectId.isValid(userId) ? await UserModel.findById(userId, { roles: 1, storeIds: 1, sessionVersion: 1 }).lean() : null
  return u ? { roles: u.roles as Role[], storeIds: u.storeIds.map(String), sessionVersion: u.sessionVersion ?? 0 } : null
}

/** Ends every access token issued before now (a refresh family was reused: the session is not trusted). */
export async function bumpSessionVersion(userId: string): Promise<void> {
  await UserModel.updateOne({ _id: userId }, { $inc: { sessionVersion: 1 } })
}

/** What the API shows of a user: never the openid or anything WeChat gave us in confidence. */
export function toUserView(user: UserDoc): UserView {
  return {
    id: user._id.toHexString(),
    nickname: user.nickname,
    avatarUrl: user.avatarUrl ?? null,
    roles: user.roles as Role[],
    storeIds: user.storeIds.map((id) => id.toHexString()),
    phoneMasked: user.phoneMasked ?? null,
    createdAt: (user as unknown as { createdAt: Date }).createdAt.toISOString(),
  }
}

/** Nicknames by user id, for showing who did something (staff on a redemption). */
export async function userNames(ids: Types.ObjectId[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map()
  const users = await UserModel.find({ _id: { $in: ids } }, { nickname: 1 }).lean()
  return new Map(users.map((u) => [u._id.toHexString(), u.nickname]))
}

/**
 * Members for the console's search: the one with this id (24 hex characters), else up to 20 whose
 * nickname starts with `q` (a range on the nickname, which an index can answer), newest first.
 */
export async function searchUsers(q: string): Promise<UserDoc[]> {
  if (/^[0-9a-f]{24}$/i.test(q)) return UserModel.find({ _id: new Types.ObjectId(q) }).lean<UserDoc[]>()
  return UserModel.find({ nickname: { $gte: q, $lt: `${q}\uffff` } }).sort({ createdAt: -1 }).limit(20).lean<UserDoc[]>()
}

/** Every member newest first, a page at a time: keyset on `_id` (ids grow with sign-up time). */
export async function pageUsers(page: { cursor?: string; limit: number }): Promise<{ users: UserDoc[]; nextCursor: string | null }> {
  const found = await UserModel.find(page.cursor ? { _id: { $lt: new Types.ObjectId(page.cursor) } } : {})
    .sort({ _id: -1 })
    .limit(page.limit + 1)
    .lean<UserDoc[]>()
  const users = found.slice(0, page.limit)
  return { users, nextCursor: found.length > page.limit ? users[users.length - 1]!._id.toHexString() : null }
}
