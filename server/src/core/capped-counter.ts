import type { Model } from 'mongoose'
import { isDuplicateKeyError } from '../db/errors'

/** A counter document: `_id` is the counter's key, `field` holds how much of it is taken. */
type CounterModel = Model<any> // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Takes `amount` from a capped counter unless that would pass `ceiling`: one guarded `$inc`
 * (`field ≤ ceiling − amount`) that creates the counter on first use. Two first takers can race
 * to create it; the loser's duplicate-key error is not "full": it retries once as a plain guarded
 * update, which decides. Returns whether the amount was taken.
 */
export async function takeCapped(model: CounterModel, key: string, field: string, amount: number, ceiling: number): Promise<boolean> {
  if (amount > ceiling) return false
  for (const upsert of [true, false]) {
    try {
      const doc = await model.findOneAndUpdate({ _id: key, [field]: { $lte: ceiling - amount } }, { $inc: { [field]: amount } }, { upsert, new: true }).lean()
      if (doc) return true
    } catch (err) {
      // The counter exists: either it is full (the guard failed, so the upsert tried to insert)
      // or another first taker created it a moment ago. The plain update below tells which.
      if (!isDuplicateKeyError(err)) throw err
      continue
    }
    return false
  }
  return false
}

/** Gives `amount` back to a capped counter, never below zero. */
export async function giveBackCapped(model: CounterModel, key: string, field: string, amount: number): Promise<void> {
  await model.updateOne({ _id: key, [field]: { $gte: amount } }, { $inc: { [field]: -amount } })
}
