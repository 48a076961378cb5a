import type { Model } from 'mongoose'
import { isDuplicateKeyError } from '../db/errors'

type CounterModel = Model<any> // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A counter that remembers who holds each unit (stock left, a per-user or daily slot): the count
 * and `<holdersField>.<holder>` change in one guarded update, so taking and giving back are both
 * idempotent and checkable. A crash between "take" and "write it down" cannot leak a unit: the
 * counter itself says whether this holder took one, and giving back an untaken unit does nothing.
 *
 * `step` is how taking moves the count: +1 for a count of what is taken (kept ≤ a ceiling), −1 for
 * a count of what is left (kept ≥ 0). Holders are as many as the units ever stocked, at most.
 */
export interface HeldUnits {
  model: CounterModel
  field: string
  step: 1 | -1
  holdersField: string
  /** Creates the counter document on first take (per-user and daily counters). */
  upsert?: boolean
}

const holderPath = (c: HeldUnits, holder: string) => `${c.holdersField}.${holder}`

/** Takes one unit for `holder` unless none is left (or the ceiling is reached); true when it holds one, also when it already did. */
export async function takeUnit(c: HeldUnits, id: unknown, holder: string, ceiling = Infinity): Promise<boolean> {
  if (c.step === 1 && ceiling < 1) return false
  const filter = { _id: id, [c.field]: c.step === 1 ? { $lte: ceiling - 1 } : { $gte: 1 }, [holderPath(c, holder)]: { $exists: false } }
  const update = { $inc: { [c.field]: c.step }, $set: { [holderPath(c, holder)]: 1 } }
  for (const upsert of c.upsert ? [true, false] : [false]) {
    try {
      const res = await c.model.updateOne(filter, update, { upsert })
      if (res.modifiedCount === 1 || res.upsertedCount === 1) return true
    } catch (err) {
      // The counter exists (full, already held, or created by a racing first taker a moment ago):
      // the plain update below decides.
      if (!isDuplicateKeyError(err)) throw err
      continue
    }
    break
  }
  return holdsUnit(c, id, holder)
}

/** Gives `holder`'s unit back, once; does nothing when it holds none (never took, or already gave back). */
export async function giveBackUnit(c: HeldUnits, id: unknown, holder: string): Promise<boolean> {
  const res = await c.model.updateOne({ _id: id, [holderPath(c, holder)]: { $exists: true } }, { $inc: { [c.field]: -c.step }, $unset: { [holderPath(c, holder)]: '' } })
  return res.modifiedCount === 1
}

export async function holdsUnit(c: HeldUnits, id: unknown, holder: string): Promise<boolean> {
  return (await c.model.exists({ _id: id, [holderPath(c, holder)]: { $exists: true } })) !== null
}
