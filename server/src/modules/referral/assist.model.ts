import { Schema, model } from 'mongoose'

/**
 * An assist (助力): the owner asks friends to help; `helpersNeeded` distinct helpers before
 * `expiresAt` complete it and win the owner a gift voucher for the product.
 */
const AssistSchema = new Schema(
  {
    ownerId: { type: Schema.Types.ObjectId, required: true, index: true },
    productId: { type: Schema.Types.ObjectId, required: true },
    helpersNeeded: { type: Number, required: true },
    state: { type: String, enum: ['open', 'completed', 'failed'], required: true },
    voucherCode: { type: String, default: null },
    /** Why no voucher was issued although the assist completed: a cap or the budget. */
    rewardRefused: { type: String, enum: ['BUDGET_EXHAUSTED', 'DAILY_CAP', 'WEEKLY_CAP', 'LIFETIME_CAP', null], default: null },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
)
AssistSchema.index({ state: 1, expiresAt: 1 })
export const AssistModel = model('Assist', AssistSchema, 'assists')

/**
 * One help: `<assistId>:<n>` for n from 1 to the number needed, so at most that many helps exist
 * however many friends tap at once; `helperId` (unique per assist) makes each friend count once.
 */
const AssistHelpSchema = new Schema(
  {
    _id: { type: String, required: true },
    assistId: { type: Schema.Types.ObjectId, required: true },
    helperId: { type: Schema.Types.ObjectId, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
)
AssistHelpSchema.index({ assistId: 1, helperId: 1 }, { unique: true })
export const AssistHelpModel = model('AssistHelp', AssistHelpSchema, 'assist_helps')

/** How many assists a friend helped on a business day, `_id` = `<helper>:<day>` (the rules' `assist.helpsPerDay`). */
const AssistHelpCountSchema = new Schema({ _id: { type: String, required: true }, used: { type: Number, required: true } }, { versionKey: false })
export const AssistHelpCountModel = model('AssistHelpCount', AssistHelpCountSchema, 'assist_help_counts')
