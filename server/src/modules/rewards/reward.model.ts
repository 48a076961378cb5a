import { Schema, model } from 'mongoose'

/** Rewards paid outside the points ledger; recovery asks each one's issuer whether it was paid. */
export const PAID_ELSEWHERE = ['voucher', 'coupon'] as const
export type PaidElsewhere = (typeof PAID_ELSEWHERE)[number]

/**
 * One reward decision, keyed by the reward's idempotency key. `taken` lists the counters it
 * reserved, so a refusal or a crash can give exactly those back.
 */
const RewardGrantSchema = new Schema(
  {
    _id: { type: String, required: true },
    rule: { type: String, required: true },
    /** What the reward pays: points, or a voucher or coupon (recovery asks its issuer). */
    kind: { type: String, enum: ['points', ...PAID_ELSEWHERE], default: 'points' },
    userId: { type: Schema.Types.ObjectId, required: true },
    /** What the campaign budget counted: points, or 1 for a voucher or coupon. */
    points: { type: Number, required: true },
    state: { type: String, enum: ['reserving', 'paid', 'refused'], required: true },
    reason: { type: String, default: null },
    taken: { type: [{ _id: false, counter: String, amount: Number }], default: [] },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
)
RewardGrantSchema.index({ state: 1, createdAt: 1 })
RewardGrantSchema.index({ rule: 1, userId: 1 })

export const RewardGrantModel = model('RewardGrant', RewardGrantSchema, 'reward_grants')

/**
 * How much of a limit is used: `<rule>:budget` (points of the whole campaign) or
 * `<rule>:<user>:day:<day>` / `:week:<week>` / `:life` (rewards of one user).
 */
const RewardCounterSchema = new Schema(
  {
    _id: { type: String, required: true },
    used: { type: Number, required: true },
  },
  { versionKey: false },
)

export const RewardCounterModel = model('RewardCounter', RewardCounterSchema, 'reward_counters')
