import { Schema, model, type Types } from 'mongoose'

/**
 * Which account an openid signed in to last: a hint found by `_id`, so a sign-in is two `_id`
 * lookups. The users collection stays the truth (its unique openid index): a hint is used only when
 * the account still has that openid, and one that is missing or stale (a deleted account, an account
 * from before hints) is put right at the next sign-in. Why: the embedded database answers any filter
 * but `_id` by scanning, so finding an openid among 100,000 users took 0.9 s, blocking the queries
 * of everyone else meanwhile.
 */
export interface OpenidHint {
  _id: string
  userId: Types.ObjectId
}

const OpenidHintSchema = new Schema<OpenidHint>(
  {
    _id: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
  },
  { versionKey: false },
)

export const OpenidHintModel = model<OpenidHint>('OpenidHint', OpenidHintSchema, 'openid_hints')
