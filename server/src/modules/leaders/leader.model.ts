import { Schema, model, type InferSchemaType, type Types } from 'mongoose'
import type { SequencedEntry } from '../../db/sequenced-ledger'

const LocationSchema = new Schema({ latitude: Number, longitude: Number }, { _id: false })
const PointFields = {
  name: { type: String, required: true },
  phone: { type: String, required: true },
  community: { type: String, required: true },
  address: { type: String, required: true },
  location: { type: LocationSchema, required: true },
  hours: { type: String, required: true },
  photoUrl: { type: String, default: null },
}

const { phone: _published, ...ApplicationFields } = PointFields

/**
 * An application to become a leader; `_id` = the applicant, so each user has one at a time. The
 * applicant's number is sealed like a member's (phone-crypto.ts) and shown masked; it becomes the
 * point's published contact number only when the application is approved.
 */
const ApplicationSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    ...ApplicationFields,
    phoneSealed: { type: new Schema({ keyId: { type: String, required: true }, sealed: { type: String, required: true } }, { _id: false }), required: true },
    phoneMasked: { type: String, required: true },
    state: { type: String, enum: ['pending', 'approved', 'rejected'], required: true },
    reason: { type: String, default: null },
    reviewedBy: { type: Schema.Types.ObjectId, default: null },
    reviewedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
)
export type LeaderApplication = InferSchemaType<typeof ApplicationSchema>
export const LeaderApplicationModel = model('LeaderApplication', ApplicationSchema, 'leader_applications')

/** An approved leader and their pickup point; `_id` = the leader's user id. */
const LeaderSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    code: { type: String, required: true },
    ...PointFields,
    state: { type: String, enum: ['active', 'suspended'], required: true },
    approvedAt: { type: Date, required: true },
  },
  { versionKey: false },
)
export type Leader = InferSchemaType<typeof LeaderSchema>
export const LeaderModel = model('Leader', LeaderSchema, 'leaders')

/** Leader codes, `_id` = the code, so opening a link is an `_id` lookup. */
export const LeaderCodeModel = model('LeaderCode', new Schema({ _id: { type: String, required: true }, leaderId: { type: Schema.Types.ObjectId, required: true } }, { versionKey: false }), 'leader_codes')

/** A member's current leader; `_id` = the member, so a member has one leader at a time. */
const BindingSchema = new Schema(
  { _id: { type: Schema.Types.ObjectId, required: true }, leaderId: { type: Schema.Types.ObjectId, required: true, index: true }, at: { type: Date, required: true } },
  { versionKey: false },
)
export const LeaderBindingModel = model('LeaderBinding', BindingSchema, 'leader_bindings')

/** Every bind and switch, for the member's history and operators. */
const BindingHistorySchema = new Schema(
  { memberId: { type: Schema.Types.ObjectId, required: true, index: true }, fromLeaderId: { type: Schema.Types.ObjectId, default: null }, toLeaderId: { type: Schema.Types.ObjectId, required: true }, at: { type: Date, required: true } },
  { versionKey: false },
)
export const LeaderBindingHistoryModel = model('LeaderBindingHistory', BindingHistorySchema, 'leader_binding_history')

/**
 * The commission ledger of a leader (sequenced like the points ledger): each entry carries the
 * pending and available balances after it; `key` makes every entry idempotent.
 */
export interface CommissionEntry extends SequencedEntry {
  type: 'earn' | 'release' | 'cancel' | 'reverse' | 'withdraw'
  amountFen: number
  orderId: Types.ObjectId | null
  pendingFen: number
  availableFen: number
  at: Date
}
const CommissionEntrySchema = new Schema<CommissionEntry>(
  {
    _id: { type: String, required: true },
    ownerId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    key: { type: String, required: true, unique: true },
    type: { type: String, enum: ['earn', 'release', 'cancel', 'reverse', 'withdraw'], required: true },
    amountFen: { type: Number, required: true },
    orderId: { type: Schema.Types.ObjectId, default: null },
    pendingFen: { type: Number, required: true },
    availableFen: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
)
export const CommissionEntryModel = model<CommissionEntry>('CommissionEntry', CommissionEntrySchema, 'commission_entries')

/**
 * A commission an order earned at a hand-over, frozen until `availableAt`: the first hand-over's
 * has `_id` = the order, a later one's an id derived from its key. A refunded line takes part of it
 * back while frozen (`takenBack`, see core/frozen-earning.ts); the release pays out what is left.
 */
const CommissionSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    orderId: { type: Schema.Types.ObjectId, default: null },
    leaderId: { type: Schema.Types.ObjectId, required: true },
    amountFen: { type: Number, required: true },
    state: { type: String, enum: ['pending', 'releasing', 'available', 'cancelling', 'cancelled'], required: true },
    availableAt: { type: Date, required: true },
    takenBack: { type: Number },
    takeBacks: { type: [new Schema({ key: String, amount: Number }, { _id: false })], default: undefined },
  },
  { versionKey: false },
)
CommissionSchema.index({ state: 1, availableAt: 1 })
export type Commission = InferSchemaType<typeof CommissionSchema> & { _id: Types.ObjectId }
export const CommissionModel = model('Commission', CommissionSchema, 'commissions')

/**
 * A withdrawal request: the amount leaves `available` at once; finance approves the payout, makes
 * the transfer outside this system and marks it paid with the transfer's reference.
 * requesting → requested → approved → paid. The request is recorded before the debit is taken,
 * so a crash between the two leaves a `requesting` request the recovery job finishes or removes.
 */
const WithdrawalSchema = new Schema(
  {
    leaderId: { type: Schema.Types.ObjectId, required: true },
    amountFen: { type: Number, required: true },
    /** `requesting` until the ledger debit is written (never listed to finance). */
    state: { type: String, enum: ['requesting', 'requested', 'approved', 'paid'], required: true },
    key: { type: String, required: true },
    createdAt: { type: Date, required: true },
    approvedAt: { type: Date, default: null },
    paidAt: { type: Date, default: null },
    /** The bank or WeChat transfer's reference, as finance typed it. */
    transferRef: { type: String, default: null },
  },
  { versionKey: false },
)
// One request per (leader, idempotency key), whatever the races.
WithdrawalSchema.index({ leaderId: 1, key: 1 }, { unique: true })
// The recovery job's requests left `requesting`.
WithdrawalSchema.index({ state: 1, createdAt: 1 })
export type Withdrawal = InferSchemaType<typeof WithdrawalSchema> & { _id: Types.ObjectId }
export const WithdrawalModel = model('Withdrawal', WithdrawalSchema, 'withdrawals')
