import { RateWindowModel } from './rate-window.model'
import { isDuplicateKeyError } from '../../db/errors'

/**
 * Counts one hit for `subject` in the current window of `windowSeconds` and says whether it is
 * within `limit`. The count is one atomic upsert with `$inc`, so concurrent hits never undercount.
 */
export async function hit(bucket: string, subject: string, limit: number, windowSeconds: number, now: Date) {
  const windowMs = windowSeconds * 1000
  const start = Math.floor(now.getTime() / windowMs) * windowMs
  const _id = `${bucket}:${subject}:${start}`
  const update = { $inc: { count: 1 }, $setOnInsert: { expiresAt: new Date(start + windowMs) } }
  let doc
  try {
    doc = await RateWindowModel.findOneAndUpdate({ _id }, update, { new: true, upsert: true })
  } catch (err) {
    // Two first hits raced to insert the window; the loser counts into the winner's document.
    if (!isDuplicateKeyError(err)) throw err
    doc = await RateWindowModel.findOneAndUpdate({ _id }, { $inc: { count: 1 } }, { new: true })
  }
  const count = doc?.count ?? 1
  return { allowed: count <= limit, retryAfterSeconds: Math.ceil((start + windowMs - now.getTime()) / 1000) }
}

/** Removes windows that have ended; run by a job. */
export async function purgeExpiredWindows(now: Date): Promise<number> {
  const res = await RateWindowModel.deleteMany({ expiresAt: { $lt: now } })
  return res.deletedCount
}
