import { Types } from 'mongoose'
import type { Role, UserView } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import { UserModel, type UserDoc } from './user.model'
import { OpenidHintModel } from './openid-hint.model'
import { HINT_FIELDS, accountHints, rememberAccount, WITHOUT_COPIES, type AccountHints } from './account-hints'
import { moveUnshardedDirectory, pageMemberSlots, reserveMemberNumbers, writeMemberSlots } from './member-directory'

export type { UserDoc } from './user.model'
import { duplicateKeyPositions, isDuplicateKeyError } from '../../db/errors'
import { bulkUpdate } from '../../db/bulk-update'
import { releaseLease, tryTakeLease } from '../../core/lease'
import { readByIds } from '../../db/read-by-ids'

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
 * The account is found through its openid hint (see `OpenidHintModel`) when it has one.
 */
export async function findOrCreateByOpenid(input: NewUser, now: Date): Promise<{ user: UserDoc; created: boolean }> {
  const hint = await OpenidHintModel.findById(input.openid).lean()
  if (hint) {
    const user = await UserModel.findOneAndUpdate({ _id: hint.userId, openid: input.openid }, { $set: { lastLoginAt: now } }, { new: true })
    if (user) return { user, created: false }
  }
  // No hint, or a stale one: register, unless the openid has an account already (found the slow way, once).
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
    await pointHint(input.openid, user._id)
    // Numbered and listed for the console by the day's fold (`listMembers`), not in the sign-up.
    return { user, created: true }
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err
    const existing = await UserModel.findOneAndUpdate({ openid: input.openid }, { $set: { lastLoginAt: now } }, { new: true })
    if (!existing) throw err
    await pointHint(input.openid, existing._id)
    return { user: existing, created: false }
  }
}

/** Points an openid's hint at its account (an upsert; two first writers meet at the `_id`). */
async function pointHint(openid: string, userId: Types.ObjectId): Promise<void> {
  try {
    await OpenidHintModel.updateOne({ _id: openid }, { $set: { userId } }, { upsert: true })
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err
    await OpenidHintModel.updateOne({ _id: openid }, { $set: { userId } })
  }
}

export async function getUser(userId: string): Promise<UserDoc> {
  const user = Types.ObjectId.isValid(userId) ? await UserModel.findById(userId, WITHOUT_COPIES) : null
  if (!user) throw new AppError('NOT_FOUND', '用户不存在')
  return user
}

/** A member's openid, from this request's read of the account when authentication made one. */
export async function openidOf(userId: string): Promise<string> {
  const hints = Types.ObjectId.isValid(userId) ? await accountHints(userId) : null
  if (!hints) throw new AppError('NOT_FOUND', '用户不存在')
  return hints.openid
}

/** Shows the member's bound number masked (or none), in their profile and the member list. */
export async function setPhoneMasked(userId: string, masked: string | null): Promise<void> {
  const user = await UserModel.findOneAndUpdate({ _id: userId }, { $set: { phoneMasked: masked } }, { new: true })
  if (user) await refreshListing(user)
}

/** Other members signed in with this member's WeChat unionid (duplicate-account checks). */
export async function othersWithSameUnionid(userId: Types.ObjectId): Promise<Types.ObjectId[]> {
  const me = await UserModel.findById(userId, { unionid: 1 }).lean()
  if (!me?.unionid) return []
  const same = await UserModel.find({ unionid: me.unionid }, { _id: 1 }).limit(100).lean()
  return same.map((u) => u._id).filter((id) => !id.equals(userId))
}

/**
 * Account deletion (注销账号, PIPL): what identifies the person goes (WeChat ids, nickname, avatar,
 * number); the account's id stays so the ledgers (points, orders) it owns stay whole, anonymous.
 * The next sign-in of the same WeChat user is a new member. Every token stops working.
 */
export async function anonymiseUser(userId: string, at: Date): Promise<void> {
  const user = await UserModel.findOneAndUpdate(
    { _id: userId },
    {
      $set: { openid: `deleted:${userId}`, unionid: null, nickname: '已注销用户', avatarUrl: null, phoneMasked: null, roles: ['shopper'], storeIds: [], staffPosition: null, deletedAt: at },
      $inc: { sessionVersion: 1 },
    },
    { new: true },
  )
  // The hint names the openid too (a scan by account, but deletions are rare; a retry finds it still).
  await OpenidHintModel.deleteMany({ userId: new Types.ObjectId(userId) })
  if (user) await refreshListing(user)
}

/** Adds a role to a user (approval as a leader); idempotent. */
export async function grantRole(userId: string | Types.ObjectId, role: Role): Promise<void> {
  await UserModel.updateOne({ _id: userId }, { $addToSet: { roles: role } })
  await refreshListing(userId)
}

/** Makes a user staff of the given stores (or removes the staff role when the list is empty). */
export async function setStaffStores(userId: string, storeIds: Types.ObjectId[], position: 'clerk' | 'manager' = 'clerk'): Promise<UserDoc> {
  const update =
    storeIds.length > 0
      ? { $set: { storeIds, staffPosition: position }, $addToSet: { roles: 'staff' } }
      : { $set: { storeIds: [], staffPosition: null }, $pull: { roles: 'staff' } }
  const user = await UserModel.findByIdAndUpdate(userId, update, { new: true })
  if (!user) throw new AppError('NOT_FOUND', '用户不存在')
  await refreshListing(user)
  return user
}

/** Adds one store to a user's stores and makes them staff (accepting a staff invitation); idempotent. */
export async function addStaffStore(userId: string, storeId: Types.ObjectId, position: 'clerk' | 'manager'): Promise<void> {
  await UserModel.updateOne({ _id: userId }, { $addToSet: { storeIds: storeId, roles: 'staff' }, $set: { staffPosition: position } })
  await refreshListing(userId)
}

/** Takes one store from a user's stores; with none left they are staff no more. Returns the stores before. */
export async function removeStaffStore(userId: string, storeId: Types.ObjectId): Promise<Types.ObjectId[] | null> {
  const before = await UserModel.findOneAndUpdate({ _id: userId, storeIds: storeId }, { $pull: { storeIds: storeId } }).lean()
  if (!before) return null
  const after = await UserModel.findById(userId, { storeIds: 1 }).lean()
  if (after && after.storeIds.length === 0) await UserModel.updateOne({ _id: userId }, { $pull: { roles: 'staff' }, $set: { staffPosition: null } })
  await refreshListing(userId)
  return before.storeIds
}

/** Staff of these stores: who works where, for the console. */
export async function staffOfStores(storeIds: Types.ObjectId[]): Promise<Array<{ _id: Types.ObjectId; nickname: string; storeIds: Types.ObjectId[]; staffPosition?: string | null }>> {
  if (!storeIds.length) return []
  return UserModel.find({ storeIds: { $in: storeIds }, roles: 'staff' }, { nickname: 1, storeIds: 1, staffPosition: 1 }).limit(1000).lean()
}

/** What requests act with: the user's current roles, stores and session version (an `_id` read). */
export async function authorityOf(userId: string): Promise<{ roles: Role[]; storeIds: string[]; sessionVersion: number } | null> {
  const u = Types.ObjectId.isValid(userId) ? await UserModel.findById(userId, { roles: 1, storeIds: 1, sessionVersion: 1, ...HINT_FIELDS }).lean() : null
  if (!u) return null
  // The same read brings the account's copies, so the request's own reads of them are spared.
  rememberAccount(userId, u as unknown as AccountHints)
  return { roles: u.roles as Role[], storeIds: u.storeIds.map(String), sessionVersion: u.sessionVersion ?? 0 }
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
  const users = await readByIds<{ _id: Types.ObjectId; nickname: string }>(UserModel, ids, { nickname: 1 })
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

// 运营后台 → 会员: the member list (member-directory.ts keeps a numbered copy of each member).

/** Rewrites a member's listed copy after a change to what the list shows (roles, stores). */
async function refreshListing(userOrId: UserDoc | string | Types.ObjectId): Promise<void> {
  const user = typeof userOrId === 'object' && 'nickname' in userOrId ? userOrId : await UserModel.findById(userOrId)
  if (user?.memberSeq) await writeMemberSlots([{ seq: user.memberSeq, view: toUserView(user) }])
}

/**
 * Numbers and lists for the console those of `ids` not listed yet: the day's fold hands it the
 * members who registered (the sign-up leaves this to the batch). Looked up by `_id`, 500 at a time.
 */
export async function listMembers(ids: ReadonlyArray<string | Types.ObjectId>): Promise<number> {
  let listed = 0
  for (let i = 0; i < ids.length; i += 500) {
    const batch = ids.slice(i, i + 500).map((id) => new Types.ObjectId(id))
    listed += await numberAndList(await UserModel.find({ _id: { $in: batch }, memberSeq: null }).sort({ _id: 1 }))
  }
  return listed
}

/** Lists members the folds have not (from before the member list, or a crash cut short): a scan of users, so hourly. */
export async function listUnlistedMembers(batch = 500): Promise<number> {
  return numberAndList(await UserModel.find({ memberSeq: null }).sort({ _id: 1 }).limit(batch))
}

/**
 * Numbers `candidates` in registration order and lists them: one `$inc` for their numbers, their
 * copies a bucket at a time, then the numbers on the members. One listing at a time across
 * instances (a lease), each member checked again under it, so no member is numbered twice.
 */
async function numberAndList(candidates: UserDoc[]): Promise<number> {
  if (!candidates.length) return 0
  const owner = `list-${new Types.ObjectId().toHexString()}`
  if (!(await tryTakeLease(LISTING_LEASE, owner, 60_000, new Date()))) return 0
  try {
    const still = await UserModel.find({ _id: { $in: candidates.map((u) => u._id) }, memberSeq: null }).sort({ _id: 1 })
    if (!still.length) return 0
    const first = await reserveMemberNumbers(still.length)
    await writeMemberSlots(still.map((user, i) => ({ seq: first + i, view: toUserView(user) })))
    await bulkUpdate(UserModel, still.map((user, i) => ({ updateOne: { filter: { _id: user._id }, update: { $set: { memberSeq: first + i } } } })))
    return still.length
  } finally {
    await releaseLease(LISTING_LEASE, owner, new Date())
  }
}
const LISTING_LEASE = 'users:member-listing'

/**
 * Imports members in bulk (a retailer's existing members, or the benchmark's): one `$inc`
 * reserves their numbers, one insert writes them numbered, one update per bucket lists them.
 */
export async function importMembers(docs: Array<Omit<NewUser, 'storeIds'> & { createdAt: Date; _id?: Types.ObjectId }>): Promise<void> {
  if (!docs.length) return
  const first = await reserveMemberNumbers(docs.length)
  const users = docs.map((d, i) => ({
    _id: d._id ?? new Types.ObjectId(),
    openid: d.openid,
    unionid: d.unionid ?? null,
    nickname: d.nickname,
    avatarUrl: null,
    roles: d.roles ?? ['shopper'],
    storeIds: [],
    staffPosition: null,
    phoneMasked: null,
    sessionVersion: 0,
    lastLoginAt: null,
    memberSeq: first + i,
    pointsHead: { seq: 0, entry: null },
    deletedAt: null,
    createdAt: d.createdAt,
    updatedAt: d.createdAt,
  }))
  // Complete documents, so the driver writes them as they are (no per-document casting). Members
  // already there (an import replayed, or a write the driver retried) are left as they are and not listed twice.
  let skipped = new Set<number>()
  await UserModel.insertMany(users, { lean: true, ordered: false }).catch((err: unknown) => {
    skipped = duplicateKeyPositions(err) ?? rethrow(err)
  })
  const added = users.filter((_, i) => !skipped.has(i))
  // Their first sign-in then finds them by `_id`, not by scanning every member for the openid.
  await OpenidHintModel.insertMany(added.map((u) => ({ _id: u.openid, userId: u._id })), { ordered: false, lean: true }).catch((err: unknown) => {
    if (!isDuplicateKeyError(err)) throw err
  })
  await writeMemberSlots(added.map((u) => ({ seq: u.memberSeq, view: toUserView(u as unknown as UserDoc) })))
}

/** The hint that says every account from before hints has one (no openid starts with `#`). */
const ALL_HINTED = '#accounts-from-before-hints'

/**
 * Once per database, in the background at start: gives every account made before openid hints
 * existed its hint, so members signing in after an upgrade are not found by scanning the users one
 * by one (0.9 s each at 100,000 members). A hint another sign-in wrote meanwhile is kept.
 */
export async function hintAccountsFromBefore(): Promise<number> {
  if (await OpenidHintModel.exists({ _id: ALL_HINTED })) return 0
  let hinted = 0
  let batch: Array<{ _id: Types.ObjectId; openid: string }> = []
  const hint = async () => {
    hinted += await bulkUpdate(
      OpenidHintModel,
      batch.map((u) => ({ updateOne: { filter: { _id: u.openid }, update: { $setOnInsert: { userId: u._id } }, upsert: true } })),
    )
    batch = []
  }
  for await (const u of UserModel.find({ deletedAt: null }, { openid: 1 }).lean<Array<{ _id: Types.ObjectId; openid: string }>>().cursor({ batchSize: 2_000 }) as AsyncIterable<{ _id: Types.ObjectId; openid: string }>) {
    batch.push(u)
    if (batch.length >= 1_000) await hint()
  }
  await hint()
  await OpenidHintModel.updateOne({ _id: ALL_HINTED }, { $setOnInsert: { userId: new Types.ObjectId('000000000000000000000000') } }, { upsert: true })
  return hinted
}

/** When each of these members registered, by id (one read). */
export async function registrationTimes(userIds: Types.ObjectId[]): Promise<Map<string, Date>> {
  const users = await UserModel.find({ _id: { $in: userIds } }, { createdAt: 1 }).lean<Array<{ _id: Types.ObjectId; createdAt: Date }>>()
  return new Map(users.map((u) => [String(u._id), u.createdAt]))
}

/** Which of these ids are members already (an import run twice adds nobody twice). */
export async function existingUserIds(ids: Types.ObjectId[]): Promise<Set<string>> {
  const found = await UserModel.find({ _id: { $in: ids } }, { _id: 1 }).lean()
  return new Set(found.map((u) => String(u._id)))
}

/** A page of the member list, newest first (members appear once a fold has listed them: within 10 minutes of signing up). */
export const pageMembers = pageMemberSlots
/** Run once at startup, before serving: see member-directory.ts. */
export const moveUnshardedMemberList = moveUnshardedDirectory

const rethrow = (err: unknown): never => {
  throw err
}
