import { AsyncLocalStorage } from 'node:async_hooks'
import { Types } from 'mongoose'
import { headsCollection, type HeadStore, type SequencedEntry } from '../../db/sequenced-ledger'
import { bulkUpdate } from '../../db/bulk-update'
import { UserModel } from './user.model'

/**
 * Copies kept on a member's account so that their next request needs fewer reads of its own:
 * authentication reads the account anyway, and brings these along. Each copy is a hint: it may
 * lag (a crash between a write and its copy; a check-in's, until its settle job raises them), never
 * lead, so it is raised with `$max` after what it copies was written, and whoever uses one either
 * checks it or only trusts what it proves.
 */
export interface AccountHints {
  /**
   * The head of the member's points ledger: the latest entry's `seq` and a copy of it (`seq: 0`,
   * `entry: null` on an account without entries). Absent on accounts from before it was kept here,
   * whose head is still in `ledger_heads`.
   */
  pointsHead?: { seq: number; entry: unknown }
  /** The latest day the member checked in (daily, not a make-up) and the streak it made. */
  lastCheckin?: { day: string; streak: number }
  /** When the account was registered (by the service clock). */
  createdAt: Date
  /** The member's openid (WeChat Pay names the payer by it). */
  openid: string
}

/** What `authorityOf` and `accountHints` read, so one read serves both. */
export const HINT_FIELDS = { pointsHead: 1, lastCheckin: 1, createdAt: 1, openid: 1 } as const

/** A projection leaving the copies out, for reads of the account that do not use them (they are most of the document). */
export const WITHOUT_COPIES = { pointsHead: 0, lastCheckin: 0 } as const

/** One request's reads of accounts: each account is read once per request. */
const perRequest = new AsyncLocalStorage<Map<string, AccountHints>>()

/** Runs one request: accounts read during it are read once. */
export function withAccountReads<T>(run: () => Promise<T>): Promise<T> {
  return perRequest.run(new Map(), run)
}

/** Keeps what authentication read of an account for the rest of the request. */
export function rememberAccount(userId: string, doc: AccountHints): void {
  perRequest.getStore()?.set(userId, { pointsHead: doc.pointsHead, lastCheckin: doc.lastCheckin, createdAt: doc.createdAt, openid: doc.openid })
}

/** An account's copies: from this request's earlier read when there was one (unless `fresh`). Null without an account. */
export async function accountHints(userId: Types.ObjectId | string, opts: { fresh?: boolean } = {}): Promise<AccountHints | null> {
  const id = String(userId)
  const scope = perRequest.getStore()
  const known = opts.fresh ? undefined : scope?.get(id)
  if (known) return known
  const doc = await UserModel.findById(id, HINT_FIELDS).lean<AccountHints>()
  if (!doc) return null
  const hints = { pointsHead: doc.pointsHead, lastCheckin: doc.lastCheckin, createdAt: doc.createdAt, openid: doc.openid }
  scope?.set(id, hints)
  return hints
}

/**
 * Drops the check-in copy (a make-up changes the streaks after the day it fills), and stamps
 * when: a check-in made before then may no longer raise its copy (`raiseCopies`). A check-in
 * made while the make-up runs may still copy its lower streak, as it may record it on its day.
 */
export async function forgetCheckin(userId: Types.ObjectId, at: Date): Promise<void> {
  const known = perRequest.getStore()?.get(userId.toHexString())
  if (known) perRequest.getStore()!.set(userId.toHexString(), { ...known, lastCheckin: undefined })
  await UserModel.collection.updateOne({ _id: userId }, { $unset: { lastCheckin: '' }, $set: { checkinCopyForgottenAt: at } })
}

/** A check-in's copies, raised after its request by the check-in's settle job (`raiseCopies`). */
export interface CheckinCopies {
  userId: Types.ObjectId
  /** When the check-in was made: a make-up since then leaves its copies unraised. */
  madeAt: Date
  /** Absent when the check-in's streak is unknown (a make-up made it so). */
  lastCheckin?: { day: string; streak: number }
  /** The check-in's points entry, when it paid any. */
  pointsEntry?: SequencedEntry
}

/**
 * Raises the copies of many check-ins, 50 accounts to a command. Until then the copies lag,
 * which every reader allows (a head is walked forward, a streak read from the days); a make-up
 * made after a check-in leaves its copies as they are (its streak may be too low now).
 */
export async function raiseCopies(checkins: CheckinCopies[]): Promise<void> {
  const raise = (c: CheckinCopies) => ({
    updateOne: {
      filter: { _id: c.userId, $or: [{ checkinCopyForgottenAt: { $exists: false } }, { checkinCopyForgottenAt: { $lt: c.madeAt } }] },
      update: { $max: { ...(c.lastCheckin ? { lastCheckin: c.lastCheckin } : {}), ...(c.pointsEntry ? { pointsHead: { seq: c.pointsEntry.seq, entry: c.pointsEntry } } : {}) } },
    },
  })
  await bulkUpdate(UserModel.collection, checkins.filter((c) => c.lastCheckin || c.pointsEntry).map(raise))
}

/** Raises the account's copy of its points head to `entry` (`$max`: documents compare field by field, so by `seq`). */
async function raiseHeadCopy(id: string, entry: SequencedEntry): Promise<boolean> {
  const pointsHead = { seq: entry.seq, entry }
  const result = await UserModel.collection.updateOne({ _id: new Types.ObjectId(id) }, { $max: { pointsHead } })
  const known = perRequest.getStore()?.get(id)
  if (known) perRequest.getStore()!.set(id, { ...known, pointsHead })
  return result.matchedCount === 1
}

/**
 * The points ledger's heads, kept on the accounts: the append after authentication needs no read
 * of its own. An account from before keeps reading `ledger_heads` until its first append here;
 * an owner without an account (tests' bare ids) keeps its head there.
 */
export const accountPointsHeads: HeadStore = {
  async read(model, ownerId, opts) {
    const head = (await accountHints(ownerId, opts))?.pointsHead
    if (!head) return headsCollection.read(model, ownerId)
    return head.seq === 0 ? null : { seq: head.seq, tail: { seq: head.seq, entry: head.entry } }
  },
  async raise(model, ownerId, entry) {
    if (!(await raiseHeadCopy(ownerId.toHexString(), entry))) await headsCollection.raise(model, ownerId, entry)
  },
}

/** The same heads, for an append whose copy a job raises soon after (a check-in's, by `raiseCopies`). */
export const accountPointsHeadsRaisedLater: HeadStore = {
  read: accountPointsHeads.read,
  raise: async () => {},
}
