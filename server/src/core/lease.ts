import { JobLeaseModel } from './lease.model'
import { isDuplicateKeyError } from '../db/errors'

/**
 * Takes the lease of job `name` for `ms` if nobody holds it, in one guarded upsert: when another
 * instance holds a live lease the filter misses, the upsert's insert hits the unique `_id`, and
 * we know we lost. Safe with any number of instances.
 */
export async function tryTakeLease(name: string, owner: string, ms: number, now: Date): Promise<boolean> {
  try {
    const doc = await JobLeaseModel.findOneAndUpdate(
      { _id: name, $or: [{ leaseUntil: { $lte: now } }, { owner }] },
      { $set: { owner, leaseUntil: new Date(now.getTime() + ms) } },
      { upsert: true, new: true },
    )
    return doc?.owner === owner
  } catch (err) {
    if (isDuplicateKeyError(err)) return false
    throw err
  }
}

/** Gives the lease back early once the run is done, recording when it ran. */
export async function releaseLease(name: string, owner: string, now: Date): Promise<void> {
  await JobLeaseModel.updateOne({ _id: name, owner }, { $set: { leaseUntil: now, lastRunAt: now } })
}
