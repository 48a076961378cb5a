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
    /** Rolling retention: when the job next looks at this member (set by each look and each level change). */
    retentionCheckAt: { type: Date },
  },
  { versionKey: false },
)
MembershipSchema.index({ levelRank: 1 })
MembershipSchema.index({ retentionCheckAt: 1 })

export const MembershipModel = model('Membership', MembershipSchema, 'memberships')

/** The retention rules the members' next looks were set under (`_id` `rules`): others make everyone due once. */
export const RetentionRulesModel = model('RetentionRules', new Schema({ _id: { type: String, required: true }, key: { type: String, required: true } }, { versionKey: false }), 'membership_retention_rules')
