import { Schema, model, type InferSchemaType, type Types } from 'mongoose'
import { AFTER_SALE_REASONS, AFTER_SALE_STATES } from '@xianlin/shared'

/**
 * An after-sale request's state table (DESIGN.md, Fulfilment and after-sale).
 *
 *   submitted ──approved──▶ approved ──refunded──▶ refunded
 *       └──────rejected──▶ rejected
 */
export const AFTER_SALE_TRANSITIONS = {
  /** An operator (or the point's leader below the rules' amount, or the rules themselves) approves an amount. */
  approved: { from: ['submitted'], to: 'approved', does: 'its refund is made, once, for the approved amount' },
  /** Refused with a reason the shopper reads. */
  rejected: { from: ['submitted'], to: 'rejected', does: 'the shopper is told why' },
  /** Its refund succeeded. */
  refunded: { from: ['approved'], to: 'refunded', does: 'the shopper is told the money is back' },
} as const

/**
 * 售后: a shopper's claim on some units of one line of an order they picked up, with a reason,
 * photos and a note; `fen` is the units' paid share (what approval may give at most). `key` is
 * `<user>:<idempotencyKey>`, so a retried submission is the same request.
 */
const AfterSaleSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    orderId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    leaderId: { type: Schema.Types.ObjectId, default: null },
    storeId: { type: Schema.Types.ObjectId, default: null },
    line: { type: Number, required: true },
    productName: { type: String, required: true },
    quantity: { type: Number, required: true },
    reason: { type: String, enum: AFTER_SALE_REASONS, required: true },
    note: { type: String, default: '' },
    photoIds: { type: [String], default: [] },
    fen: { type: Number, required: true },
    approvedFen: { type: Number, default: null },
    state: { type: String, enum: AFTER_SALE_STATES, required: true },
    decision: { type: String, default: null },
    decidedBy: { type: Schema.Types.ObjectId, default: null },
    createdAt: { type: Date, required: true },
    decidedAt: { type: Date, default: null },
  },
  { versionKey: false },
)
AfterSaleSchema.index({ state: 1, createdAt: -1 })
AfterSaleSchema.index({ userId: 1, createdAt: -1 })
AfterSaleSchema.index({ leaderId: 1, createdAt: -1 })

export type AfterSale = InferSchemaType<typeof AfterSaleSchema> & { _id: Types.ObjectId }
export const AfterSaleModel = model('AfterSale', AfterSaleSchema, 'after_sales')
