import { setTimeout as sleep } from 'node:timers/promises'
import { Schema, model, type Model, type Types } from 'mongoose'
import { AppError } from '../core/app-error'
import { duplicateKeyPositions, isDuplicateKeyError } from './errors'
import { insertBuilt, insertBuiltMany } from './insert-built'
import { bulkUpdate } from './bulk-update'

/** The fields every sequenced ledger entry has. */
export interface SequencedEntry {
  /** `<ownerId>:<seq, zero-padded>`: unique, and found by `_id` alone. */
  _id: string
  ownerId: Types.ObjectId
  /** 1, 2, 3… per owner. */
  seq: number
  /** The idempotency key; unique across the collection (a secondary unique index). */
  key: string
}

export type Appended<E> = { entry: E; replayed: boolean }

/** What `build` decides on the latest entry: the next entry, or a refusal that writes nothing. */
export type Decision<D, R> = { draft: D; refuse?: never } | { refuse: R; draft?: never }

/**
 * Where an owner's ledger ends, as a hint: after each append `tail` becomes `{ seq, entry }` (a
 * copy of that entry) through `$max`, which compares documents field by field, so by `seq`: one
 * unconditional update (conditional ones are slow on FerretDB). It may lag (a crash right after
 * an append), never lead: readers walk forward from it by `_id`, and a writer that trusted a
 * lagging copy meets the entry it missed at the unique `_id`. `seq` alone is what older heads had.
 */
const LedgerHeadSchema = new Schema(
  { _id: { type: String, required: true }, seq: { type: Number, required: true }, tail: { type: Schema.Types.Mixed, default: null } },
  { versionKey: false },
)
const LedgerHeadModel = model('LedgerHead', LedgerHeadSchema, 'ledger_heads')

export const entryId = (ownerId: Types.ObjectId, seq: number) => `${ownerId.toHexString()}:${String(seq).padStart(10, '0')}`

/** An owner's head as a ledger keeps it: `seq`, and a copy of that entry when it has one. */
export type Head = { seq: number; tail?: { seq: number; entry: unknown } | null }

/**
 * Where a ledger keeps its owners' heads. Each is a hint (it may lag, never lead), so a store may
 * answer from a copy read earlier; `raise` must never lower what it keeps.
 */
export interface HeadStore {
  /** `fresh`: not from a copy read earlier (one that has been seen to lag, or may well). */
  read(model: Model<any>, ownerId: Types.ObjectId, opts?: { fresh?: boolean }): Promise<Head | null>
  raise(model: Model<any>, ownerId: Types.ObjectId, entry: SequencedEntry): Promise<void>
}

const headId = (model: Model<any>, ownerId: Types.ObjectId) => `${model.collection.collectionName}:${ownerId.toHexString()}`
/** The update that raises a head to `entry` (never lowers it). */
const raiseTo = (entry: SequencedEntry) => ({ $max: { seq: entry.seq, tail: { seq: entry.seq, entry } } })

/** The heads of every ledger that keeps them nowhere else: one document per owner in `ledger_heads`. */
export const headsCollection: HeadStore = {
  read: (model, ownerId) => LedgerHeadModel.findById(headId(model, ownerId)).lean<Head>(),
  async raise(model, ownerId, entry) {
    const _id = headId(model, ownerId)
    try {
      await LedgerHeadModel.updateOne({ _id }, raiseTo(entry), { upsert: true })
    } catch (err) {
      // Two first appends raced to create the head: the other one made it; raise it again.
      if (!isDuplicateKeyError(err)) throw err
      await LedgerHeadModel.updateOne({ _id }, raiseTo(entry))
    }
  },
}

/** How a ledger is kept: where its heads are, and which queue orders this process's appends. */
export interface LedgerOptions {
  heads?: HeadStore
  queue?: OwnerQueue
}

/**
 * The latest entry of an owner's ledger, found by `_id` lookups only (the head hint, then
 * forward). FerretDB answers `_id` lookups from its primary key and scans for anything else.
 */
export async function latestEntry<E extends SequencedEntry>(model: Model<E>, ownerId: Types.ObjectId, opts: LedgerOptions = {}): Promise<E | null> {
  return walkForward(model, ownerId, await (opts.heads ?? headsCollection).read(model, ownerId))
}

/** The head's copy of the latest entry it knows, if it has one. */
const copyIn = <E>(head: Head | null): E | null => (head?.tail?.seq === head?.seq ? ((head?.tail?.entry as E | undefined) ?? null) : null)

async function walkForward<E extends SequencedEntry>(model: Model<E>, ownerId: Types.ObjectId, head: Head | null): Promise<E | null> {
  let seq = head?.seq ?? 0
  let latest = seq > 0 ? (copyIn<E>(head) ?? (await model.findOne({ _id: entryId(ownerId, seq), ownerId }).lean<E>())) : null
  for (;;) {
    const next = await model.findOne({ _id: entryId(ownerId, seq + 1), ownerId }).lean<E>()
    if (!next) return latest
    latest = next
    seq++
  }
}

/**
 * Appends one entry to an owner's ledger, where each entry carries the balances after it.
 *
 * Why this shape: without multi-document transactions, an entry and a balance kept in two
 * documents can disagree after a crash between the two writes. Here the entry *is* the balance:
 * `build` sees the latest entry, decides (or refuses), and the new entry is inserted as
 * `seq + 1`. Two writers racing for the same `seq` meet at the unique `_id` and the loser
 * retries on fresh state; the same `key` twice meets at the unique `key` index and the second
 * caller gets the first entry back. One insert, so nothing is ever half-applied.
 */
export async function appendSequenced<E extends SequencedEntry, R>(
  model: Model<E>,
  ownerId: Types.ObjectId,
  key: string,
  build: (latest: E | null) => Decision<Omit<E, '_id' | 'ownerId' | 'seq' | 'key'>, R>,
  opts: LedgerOptions = {},
): Promise<Appended<E> | { refused: R }> {
  // Appends to one ledger from this process wait their turn instead of colliding at the database
  // and retrying (a shopper tapping five times); other instances still meet at the unique `_id`.
  const heads = opts.heads ?? headsCollection
  return (opts.queue ?? thisProcess).run(headId(model, ownerId), (waited) => appendRacing(model, heads, ownerId, key, build, waited))
}

/** One append of `appendToEach`: as `appendSequenced`'s arguments. */
export interface Append<E extends SequencedEntry, R> {
  ownerId: Types.ObjectId
  key: string
  build: (latest: E | null) => Decision<Omit<E, '_id' | 'ownerId' | 'seq' | 'key'>, R>
}

/**
 * One entry for each of many owners (a job's batch), in three commands for up to 50 owners: their
 * heads in one read (from `ledger_heads`), the entries in one unordered insert, the heads raised
 * in bulk writes of 50. The same guarantees as `appendSequenced`, which takes over every append
 * the batch cannot settle on trust: an owner whose head holds no copy, a refusal (decided only on
 * the true latest entry), an insert that collided (a lagging copy, or a key applied before), and
 * an owner's second append in the batch. Results come in the order of `appends`.
 */
export async function appendToEach<E extends SequencedEntry, R>(model: Model<E>, appends: Append<E, R>[]): Promise<Array<Appended<E> | { refused: R }>> {
  if (appends.length === 0) return []
  const results: Array<Appended<E> | { refused: R }> = new Array(appends.length)
  const alone: number[] = []
  const firstOfOwner = new Map<string, number>()
  appends.forEach((a, i) => (firstOfOwner.has(headId(model, a.ownerId)) ? alone.push(i) : firstOfOwner.set(headId(model, a.ownerId), i)))
  const heads = await LedgerHeadModel.find({ _id: { $in: [...firstOfOwner.keys()] } }).lean<Array<Head & { _id: string }>>()
  const headOf = new Map(heads.map((h) => [h._id, h]))
  const entries: E[] = []
  const entryOf: number[] = []
  for (const [id, i] of firstOfOwner) {
    const { ownerId, key, build } = appends[i]!
    const head = headOf.get(id) ?? null
    const latest = copyIn<E>(head)
    const decision = head !== null && latest === null ? null : build(latest)
    if (!decision || decision.refuse !== undefined) {
      alone.push(i)
      continue
    }
    const seq = (latest?.seq ?? 0) + 1
    entries.push({ ...decision.draft!, _id: entryId(ownerId, seq), ownerId, seq, key } as E)
    entryOf.push(i)
  }
  const collided = await insertBuiltMany(model, entries)
  // A key applied before (another run of the same job got there first) is found for the whole
  // batch in one query: one at a time, each would be a scan of the ledger on the embedded database.
  const applied = await entriesWithKeys(model, [...collided].map((n) => entries[n]!.key))
  const inserted = entries.filter((entry, n) => {
    const earlier = collided.has(n) ? applied.get(entry.key) : undefined
    if (earlier) results[entryOf[n]!] = { entry: earlier, replayed: true }
    else if (collided.has(n)) alone.push(entryOf[n]!)
    else results[entryOf[n]!] = { entry, replayed: false }
    return !collided.has(n)
  })
  await raiseHeads(model, inserted)
  for (const i of alone.sort((a, b) => a - b)) results[i] = await appendSequenced(model, appends[i]!.ownerId, appends[i]!.key, appends[i]!.build)
  return results
}

/**
 * The entries of `keys` a ledger has, by key: one query for a batch (the embedded database scans
 * for a key). Given their `owners`, the query names them too (on a cluster sharded by owner it
 * asks only their shards).
 */
export async function entriesWithKeys<E extends SequencedEntry>(model: Model<E>, keys: string[], owners?: ReadonlyArray<Types.ObjectId>): Promise<Map<string, E>> {
  if (keys.length === 0) return new Map()
  const found = await model.find({ key: { $in: keys }, ...(owners ? { ownerId: { $in: owners } } : {}) }).lean<E[]>()
  return new Map(found.map((e) => [e.key, e]))
}

/** `headsCollection.raise` for many entries (of distinct owners), in bulk writes (50 to a command: bulk-update.ts says why). */
async function raiseHeads(model: Model<any>, entries: SequencedEntry[]): Promise<void> {
  if (entries.length === 0) return
  try {
    await bulkUpdate(
      LedgerHeadModel,
      entries.map((entry) => ({ updateOne: { filter: { _id: headId(model, entry.ownerId) }, update: raiseTo(entry), upsert: true } })),
    )
  } catch (err) {
    // Two first appends raced to create a head: the other one made it; raise each again.
    if (!duplicateKeyPositions(err)) throw err
    for (const entry of entries) await LedgerHeadModel.updateOne({ _id: headId(model, entry.ownerId) }, raiseTo(entry))
  }
}

/**
 * Runs tasks one at a time per key, in arrival order, within one process. Each server instance
 * has its own (`thisProcess`); a test passes several to act as several instances.
 */
export class OwnerQueue {
  private readonly tails = new Map<string, Promise<unknown>>()

  /** `task` learns whether it waited for another (then what was read before it may be stale). */
  async run<T>(key: string, task: (waited: boolean) => Promise<T>): Promise<T> {
    const waiting = this.tails.get(key)
    const result = (waiting ?? Promise.resolve()).then(() => task(waiting !== undefined))
    const tail = result.catch(() => undefined)
    this.tails.set(key, tail)
    try {
      return await result
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    }
  }
}

const thisProcess = new OwnerQueue()

async function appendRacing<E extends SequencedEntry, R>(
  model: Model<E>,
  heads: HeadStore,
  ownerId: Types.ObjectId,
  key: string,
  build: (latest: E | null) => Decision<Omit<E, '_id' | 'ownerId' | 'seq' | 'key'>, R>,
  waited: boolean,
): Promise<Appended<E> | { refused: R }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    // First try: trust the head's copy of the latest entry (one read). Should the head lag, the
    // insert below meets the entry it missed at the unique `_id`, and the next try walks forward.
    // No head yet: most likely a new ledger, so try seq 1 (a crash before the first head was
    // written makes that insert collide, and the next try walks).
    // A copy read before this append waited its turn, or before it collided, is read again.
    const head = await heads.read(model, ownerId, { fresh: waited || attempt > 0 })
    const trusted = attempt === 0 && (head === null || copyIn<E>(head) !== null)
    let latest = trusted ? copyIn<E>(head) : await walkForward<E>(model, ownerId, head)
    let decision = build(latest)
    if (decision.refuse !== undefined && trusted) {
      // Refuse only on the true latest entry, never on a copy that may lag.
      latest = await walkForward<E>(model, ownerId, head && { seq: head.seq })
      decision = build(latest)
    }
    if (decision.refuse !== undefined) {
      // A retried request whose first attempt succeeded must get that result, not a refusal.
      const earlier = await model.findOne({ ownerId, key }).lean<E>()
      return earlier ? { entry: earlier, replayed: true } : { refused: decision.refuse }
    }
    const seq = (latest?.seq ?? 0) + 1
    try {
      const created = await insertBuilt(model, { ...decision.draft!, _id: entryId(ownerId, seq), ownerId, seq, key } as E)
      await heads.raise(model, ownerId, created)
      return { entry: created, replayed: false }
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err
      // Either someone took this seq, or this key was applied before. Tell them apart by `_id`.
      const taken = await model.findOne({ _id: entryId(ownerId, seq), ownerId }).lean<E>()
      if (taken?.key === key) return { entry: taken, replayed: true }
      if (!taken) {
        // The owner's own entry first (one shard when sharded by owner); a key another owner used is the rare rest.
        const earlier = (await model.findOne({ ownerId, key }).lean<E>()) ?? (await model.findOne({ key }).lean<E>())
        if (earlier) return { entry: earlier, replayed: true }
      }
      // Exponential backoff with full jitter, so contenders spread out instead of colliding again.
      await sleep(Math.random() * 2 ** Math.min(attempt, 6))
    }
  }
  throw new AppError('BUSY')
}

const MAX_ATTEMPTS = 100
