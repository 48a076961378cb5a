import { setTimeout as sleep } from 'node:timers/promises'
import type { Model, Types } from 'mongoose'
import { AppError } from '../http/app-error'
import { isDuplicateKeyError } from './errors'

/** The fields every sequenced ledger entry has. */
export interface SequencedEntry {
  _id: Types.ObjectId
  ownerId: Types.ObjectId
  /** 1, 2, 3… per owner; unique together with `ownerId`. */
  seq: number
  /** The idempotency key; unique across the collection. */
  key: string
}

export type Appended<E> = { entry: E; replayed: boolean }

/** What `build` decides on the latest entry: the next entry, or a refusal that writes nothing. */
export type Decision<D, R> = { draft: D; refuse?: never } | { refuse: R; draft?: never }

/**
 * Appends one entry to an owner's ledger, where each entry carries the balances after it.
 *
 * Why this shape: without multi-document transactions, an entry and a balance kept in two
 * documents can disagree after a crash between the two writes. Here the entry *is* the balance:
 * `build` sees the latest entry, decides (or refuses), and the new entry is inserted with
 * `seq + 1`. Two writers racing for the same `seq` meet at the unique `(ownerId, seq)` index and
 * the loser retries on fresh state; the same `key` twice meets at the unique `key` index and the
 * second caller gets the first entry back. One insert, so nothing is ever half-applied.
 */
export async function appendSequenced<E extends SequencedEntry, R>(
  model: Model<E>,
  ownerId: Types.ObjectId,
  key: string,
  build: (latest: E | null) => Decision<Omit<E, '_id' | 'ownerId' | 'seq' | 'key'>, R>,
): Promise<Appended<E> | { refused: R }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const existing = await model.findOne({ key }).lean<E>()
    if (existing) return { entry: existing, replayed: true }
    const latest = await model.findOne({ ownerId }).sort({ seq: -1 }).lean<E>()
    const decision = build(latest)
    if (decision.refuse !== undefined) return { refused: decision.refuse }
    const entry = { ...decision.draft!, ownerId, seq: (latest?.seq ?? 0) + 1, key }
    try {
      const created = await model.create(entry)
      return { entry: created.toObject() as E, replayed: false }
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err
      // Lost the race for this seq (or for the key): back off a little and look again.
      await sleep(1 + Math.random() * Math.min(20, attempt * 2))
    }
  }
  throw new AppError('BUSY')
}

const MAX_ATTEMPTS = 60
