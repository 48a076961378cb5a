import { Schema, model } from 'mongoose'

/** Invite code → its owner. Looked up by `_id` when a link is opened. */
const InviteCodeSchema = new Schema({ _id: { type: String, required: true }, userId: { type: Schema.Types.ObjectId, required: true } }, { versionKey: false })
export const InviteCodeModel = model('InviteCode', InviteCodeSchema, 'invite_codes')

/** User → their invite code (one per user: `_id` is the user). */
const InviteOwnerSchema = new Schema({ _id: { type: Schema.Types.ObjectId, required: true }, code: { type: String, required: true } }, { versionKey: false })
export const InviteOwnerModel = model('InviteOwner', InviteOwnerSchema, 'invite_owners')

/**
 * Who invited a user. `_id` is the invitee, so the first binding wins and is permanent
 * (DESIGN.md: first touch). The milestones of the invitee's journey are set once each.
 */
const ReferralBindingSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    inviterId: { type: Schema.Types.ObjectId, required: true, index: true },
    shareId: { type: String, default: null },
    at: { type: Date, required: true },
    phoneBoundAt: { type: Date, default: null },
    firstOrderAt: { type: Date, default: null },
  },
  { versionKey: false },
)
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


