import { Schema, model, type InferSchemaType, type Types } from 'mongoose'
import { REFUND_CAUSES } from '@xianlin/shared'

export const REFUND_STATES = ['new', 'requested', 'stuck', 'succeeded', 'settled', 'refused'] as const
export type RefundState = (typeof REFUND_STATES)[number]

/**
 * A refund's state table (DESIGN.md, Fulfilment and after-sale): one refund path for every cause.
 *
 *   new ──reserved──▶ requested ──succeeded──▶ succeeded ──settled──▶ settled
 *    └──refused──▶ refused    │ ▲                 ▲
 *                        stuck │ │ retried         │
 *                             ▼ │                 │
 *                            stuck ───succeeded───┘
 */
export const REFUND_TRANSITIONS = {
  /** Its units were held on the order (no other refund can take them): WeChat Pay is asked. */
  reserved: { from: ['new'], to: 'requested', does: 'WeChat Pay is asked under the refund\'s out_refund_no, again until it answers' },
  /** The units were gone when it came to hold them (another refund took them first). */
  refused: { from: ['new'], to: 'refused', does: 'nothing was asked of WeChat Pay' },
  /** WeChat Pay answered ABNORMAL or CLOSED, or every retry failed: an operator acts. */
  stuck: { from: ['requested'], to: 'stuck', does: 'shown to operators under 退款异常' },
  /** An operator asks WeChat Pay again. */
  retried: { from: ['stuck'], to: 'requested', does: 'asked again from the first attempt' },
  /** WeChat Pay says the money went back. */
  succeeded: { from: ['requested', 'stuck'], to: 'succeeded', does: 'the order\'s lines and what they earned are taken back, the shopper is told' },
  /** Everything that follows a success is done. */
  settled: { from: ['succeeded'], to: 'settled', does: 'nothing more' },
} as const

const RefundLineSchema = new Schema(
  {
    /** The line's position in the order's `lines`. */
    line: { type: Number, required: true },
    quantity: { type: Number, required: true },
    fen: { type: Number, required: true },
    /** Of `quantity`, the units that had been handed over (what they earned is taken back). */
    handed: { type: Number, required: true },
  },
  { _id: false },
)

/**
 * A refund of an order: some units of some lines (all of them for a whole refund), an amount
 * (never more than the units' paid share), its cause and reason. `key` makes it once per cause
 * (`after_sale:<request>`, `shortage:<mark>:<order>`, `order:<order>` for a whole refund), and
 * `outRefundNo` is what WeChat Pay knows it by (`RF<order>` for a whole refund, `RF<refund>` else).
 */
const RefundSchema = new Schema(
  {
    orderId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    key: { type: String, required: true, unique: true },
    outRefundNo: { type: String, required: true, unique: true },
    cause: { type: String, enum: REFUND_CAUSES, required: true },
    reason: { type: String, required: true },
    whole: { type: Boolean, required: true },
    /** What was asked (units per line; `fen` when an amount was named), from which the units are held. */
    asked: { type: [new Schema({ line: Number, quantity: Number, fen: { type: Number, default: null } }, { _id: false })], default: [] },
    /** What the order holds for it (set when held; before that, what it would take as asked). */
    lines: { type: [RefundLineSchema], required: true },
    fen: { type: Number, required: true },
    /** Points the refunded units were paid with, given back with the money. */
    points: { type: Number, default: 0 },
    state: { type: String, enum: REFUND_STATES, required: true },
    /** WeChat Pay's last answer (see refund-retry.ts), how often we asked, and when to ask next. */
    status: { type: String, default: null },
    attempts: { type: Number, default: 0 },
    nextAt: { type: Date, default: null },
    actorId: { type: Schema.Types.ObjectId, default: null },
    createdAt: { type: Date, required: true },
    succeededAt: { type: Date, default: null },
  },
  { versionKey: false },
)
RefundSchema.index({ orderId: 1 })
// Reports count a day's refunds by when they returned.
RefundSchema.index({ succeededAt: 1 })
RefundSchema.index({ state: 1, nextAt: 1 })

export type Refund = InferSchemaType<typeof RefundSchema> & { _id: Types.ObjectId }
export const RefundModel = model('Refund', RefundSchema, 'refunds')
