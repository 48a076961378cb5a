import { isDuplicateKeyError } from '../db/errors'

/**
 * Claims the first free one of `count` numbered slots (a monthly make-up quota, a per-user
 * redemption limit, an assist's helper places): slot n is a document whose `_id` is `idOf(n)`,
 * so the unique `_id` lets each number be held once, whoever races for it. `insert(id, n)`
 * writes the slot; `whenTaken(n)` runs after a slot turns out to be held and may throw to stop
 * (e.g. "you already hold one"). Returns the slot claimed, or null when all are held.
 */
export async function claimNumberedSlot(opts: {
  count: number
  idOf: (n: number) => string
  insert: (id: string, n: number) => Promise<unknown>
  whenTaken?: (n: number) => Promise<void>
}): Promise<{ id: string; n: number } | null> {
  for (let n = 1; n <= opts.count; n++) {
    const id = opts.idOf(n)
    try {
      await opts.insert(id, n)
      return { id, n }
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err
      await opts.whenTaken?.(n)
    }
  }
  return null
}
