import type { Model } from 'mongoose'
import { isDuplicateKeyError } from '../db/errors'

type AnyModel = Model<any> // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Inserts a document whose unique key (usually `_id`) says "this happened once": a notification,
 * an idempotency key, a share opened, a binding. A second insert of the same key is not an error:
 * it answers `inserted: false` and, when `lookUp` is given, the document already there (the
 * first request's). Any other failure is thrown. This is the one place that reads duplicate-key
 * errors as "already done"; counters that race on their first insert use `takeCapped`/`takeUnit`.
 */
export async function insertOnce<T>(model: AnyModel, doc: Record<string, unknown>, lookUp?: () => Promise<T | null>): Promise<{ inserted: boolean; existing: T | null }> {
  try {
    await model.create(doc)
    return { inserted: true, existing: null }
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err
    return { inserted: false, existing: lookUp ? await lookUp() : null }
  }
}
