import { Schema, model, type InferSchemaType } from 'mongoose'

/** Invite code → its owner. Looked up by `_id` when a link is opened. */
const InviteCodeSchema = new Schema({ _id: { type: String, required: true }, userId: { type: Schema.Types.ObjectId, required: true } }, { versionKey: false })
export const InviteCodeModel = model('InviteCode', InviteCodeSchema, 'invite_codes')

/** User → their invite code (one per user: `_id` is the user). */
const InviteOwnerSchema = new Schema({ _id: { type: Schema.Types.ObjectId, required: true }, code: { type: String, required: true } }, { versionKey: false })
export const InviteOwnerModel = model('InviteOwner', InviteOwnerSchema, 'invite_owners')

/** Why an invitation was put aside for an operator, and what they decided. */
const ReviewSchema = new Schema(
  {
    state: { type: String, enum: ['open', 'approved', 'rejected'], required: true },
    reasons: { type: [String], default: [] },
    at: { type: Date, required: true },
    decidedBy: { type: String, default: null },
    decidedAt: { type: Date, default: null },
    note: { type: String, default: null },
  },
  { _id: false },
)

/** How a reward of the invitation was settled: the points paid, or the cap that refused them. */
const RewardOutcomeSchema = new Schema({ points: { type: Number, required: true }, refused: { type: String, default: null } }, { _id: false })

/**
 * Who invited a user. `_id` is the invitee, so the first binding wins and is permanent
 * (DESIGN.md: first touch). The milestones of the invitee's journey are set once each.
 * Rewards wait until the invitee is real: the phone reward until a number is bound, the
 * first-order rewards until that order is past its refund window (`firstOrderDueAt`) as well.
 */
const ReferralBindingSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    inviterId: { type: Schema.Types.ObjectId, required: true, index: true },
    shareId: { type: String, default: null },
    at: { type: Date, required: true },
    phoneBoundAt: { type: Date, default: null },
    /** When the invitee first paid an order (what the inviter sees as 已下单). */
    firstPaidAt: { type: Date, default: null },
    /** The first completed order; cleared again when it is refunded inside the window. */
    firstOrderId: { type: String, default: null },
    firstOrderAt: { type: Date, default: null },
    firstOrderDueAt: { type: Date, default: null },
    /** When each reward was settled, paid or refused by a cap (the outcome beside it). */
    phoneRewardedAt: { type: Date, default: null },
    phoneReward: { type: RewardOutcomeSchema, default: null },
    firstOrderRewardedAt: { type: Date, default: null },
    firstOrderReward: { type: RewardOutcomeSchema, default: null },
    /** When any reward of this invitation was first settled (an "already rewarded invitee"). */
    rewardedAt: { type: Date, default: null },
    /** A duplicate account earns nothing: `SAME_PHONE`, `SAME_UNIONID` or `SAME_DEVICE`. */
    refusedReason: { type: String, default: null },
    review: { type: ReviewSchema, default: null },
  },
  { versionKey: false },
)
ReferralBindingSchema.index({ inviterId: 1, at: -1 })
ReferralBindingSchema.index({ firstOrderDueAt: 1 })
ReferralBindingSchema.index({ 'review.state': 1, at: 1 })
export type ReferralBinding = InferSchemaType<typeof ReferralBindingSchema>
export const ReferralBindingModel = model('ReferralBinding', ReferralBindingSchema, 'referral_bindings')

/** A share card a user sent: `_id` is the `shareId` carried by the card's path. */
const ShareSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true, index: true },
    page: { type: String, required: true },
    targetId: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
)
export const ShareModel = model('Share', ShareSchema, 'shares')

/** One distinct opener of a share (`<shareId>:<openerId>`): the same person twice counts once. */
const ShareOpenSchema = new Schema({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { versionKey: false })
export const ShareOpenModel = model('ShareOpen', ShareOpenSchema, 'share_opens')


