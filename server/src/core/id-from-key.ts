import { createHash } from 'node:crypto'
import { Types } from 'mongoose'

/** A stable ObjectId for a key: documents made once per key (a later hand-over's commission) get the same `_id` on every retry. */
export const idFromKey = (key: string) => new Types.ObjectId(createHash('sha256').update(key).digest().subarray(0, 12))
