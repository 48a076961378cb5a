import { Schema, model } from 'mongoose'

/**
 * A member's current level. Absent means the first level. `levelRank` only changes through
 * guarded updates (`levelRank` in the filter), so concurrent growth upgrades once.
 */
const MembershipSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    levelRank: { type: Number, required: true },
    /** Bumped on every level change; keys the notification of that change. */
    version: { type: Number, required: true },
    /** Rolling retention: when the member was warned of a downgrade, if they are. */
    warnedAt: { type: Date, default: null },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
)
MembershipSchema.index({ levelRank: 1 })

export const MembershipModel = model('Membership', MembershipSchema, 'memberships')
