import { Schema, model } from 'mongoose'

/**
 * One fixed time window of a rate limit, keyed `<bucket>:<subject>:<window start>`. Kept in the
 * database so every API instance counts together; a job removes windows past `expiresAt`.
 */
const RateWindowSchema = new Schema(
  {
    _id: { type: String, required: true },
    count: { type: Number, required: true },
    expiresAt: { type: Date, required: true, index: true },
  },
  { versionKey: false },
)

export const RateWindowModel = model('RateWindow', RateWindowSchema, 'rate_windows')
