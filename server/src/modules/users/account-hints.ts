import { AsyncLocalStorage } from 'node:async_hooks'
import { Types } from 'mongoose'
import { headsCollection, type HeadStore } from '../../db/sequenced-ledger'
import { UserModel } from './user.model'

/**
 * Copies kept on a member's account so that their next request needs fewer reads of its own:
 * authentication reads the account anyway, and brings these along. Each copy is a hint: it may
 * lag (a crash between a write and its copy), never lead, so it is raised with `$max` after what
 * it copies was written, and whoever uses one either checks it or only trusts what it proves.
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
}

type Raisable = Partial<Pick<AccountHints, 'pointsHead' | 'lastCheckin'>>

/** What `authorityOf` and `accountHints` read, so one read serves both. */
export const HINT_FIELDS = { pointsHead: 1, lastCheckin: 1, createdAt: 1 } as const

/** A projection leaving the copies out, for reads of the account that do not use them (they are most of the document). */
export const WITHOUT_COPIES = { pointsHead: 0, lastCheckin: 0 } as const

/**
 * One request's copies: what it read of each account, and copies to write that may ride on the
 * next write to the same account (a check-in's on its points entry's), else written at its end.
 */
interface RequestReads {
  read: Map<string, AccountHints>
  pending: Map<string, Raisable>
}
const perRequest = new AsyncLocalStorage<RequestReads>()

/** Runs one request: accounts read during it are read once; copies still pending are written before it answers. */
export async function withAccountReads<T>(run: () => Promise<T>): Promise<T> {
  const scope: RequestReads = { read: new Map(), pending: new Map() }
  return perRequest.run(scope, async () => {
    try {
      return await run()
    } finally {
      for (const [id, hints] of scope.pending) await writeHints(id, hints)
      scope.pending.clear()
    }
  })
}

/** Keeps what authentication read of an account for the rest of the request. */
export function rememberAccount(userId: string, doc: Pick<AccountHints, 'pointsHead' | 'lastCheckin' | 'createdAt'>): void {
  perRequest.getStore()?.read.set(userId, { pointsHead: doc.pointsHead, lastCheckin: doc.lastCheckin, createdAt: doc.createdAt })
}

/** An account's copies: from this request's earlier read when there was one (unless `fresh`). Null without an account. */
export async function accountHints(userId: Types.ObjectId | string, opts: { fresh?: boolean } = {}): Promise<AccountHints | null> {
  const id = String(userId)
  const scope = perRequest.getStore()
  const known = opts.fresh ? undefined : scope?.read.get(id)
  if (known) return known
  const doc = await UserModel.findById(id, HINT_FIELDS).lean<AccountHints>()
  if (!doc) return null
  const hints = { pointsHead: doc.pointsHead, lastCheckin: doc.lastCheckin, createdAt: doc.createdAt }
  scope?.read.set(id, hints)
  return hints
}

/**
 * Records a check-in's copy. In a request it waits for the request's next write to the account
 * (the points entry's head), so a check-in costs no write of its own; else it is written now.
 */
export async function noteCheckin(userId: Types.ObjectId, lastCheckin: { day: string; streak: number }): Promise<void> {
  const scope = perRequest.getStore()
  if (!scope) return void (await writeHints(userId.toHexString(), { lastCheckin }))
  const id = userId.toHexString()
  scope.pending.set(id, { ...scope.pending.get(id), lastCheckin })
}

/**
 * Drops the check-in copy (a make-up changes the streaks after the day it fills). A check-in
 * racing the make-up may raise it again with its lower streak, as it may write that streak.
 */
export async function forgetCheckin(userId: Types.ObjectId): Promise<void> {
  const id = userId.toHexString()
  const scope = perRequest.getStore()
  const pending = scope?.pending.get(id)
  if (pending) delete pending.lastCheckin
  const known = scope?.read.get(id)
  if (known) scope!.read.set(id, { ...known, lastCheckin: undefined })
  await UserModel.collection.updateOne({ _id: userId }, { $unset: { lastCheckin: '' } })
}

/** `$max` of each copy (documents compare field by field: a head by `seq`, a check-in by `day`). */
async function writeHints(id: string, hints: Raisable): Promise<boolean> {
  if (!hints.pointsHead && !hints.lastCheckin) return true
  const result = await UserModel.collection.updateOne({ _id: new Types.ObjectId(id) }, { $max: hints })
  const known = perRequest.getStore()?.read.get(id)
  if (known) perRequest.getStore()!.read.set(id, { ...known, ...hints })
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
    const id = ownerId.toHexString()
    const scope = perRequest.getStore()
    const riding = scope?.pending.get(id)
    scope?.pending.delete(id)
    if (!(await writeHints(id, { ...riding, pointsHead: { seq: entry.seq, entry } }))) await headsCollection.raise(model, ownerId, entry)
  },
}
