import { Schema, model, type InferSchemaType, type Types } from 'mongoose'

/**
 * A shortage's state table: its units are allocated to orders when it is recorded (latest-ordered
 * units first, DESIGN.md), then each order's refund is made; `done` once all are.
 *
 *   allocating ──refunded──▶ done
 */
export const SHORTAGE_TRANSITIONS = {
  refunded: { from: ['allocating'], to: 'done', does: 'nothing more: every allocated order has its refund' },
} as const

/**
 * 缺货: N units of a product short for a session (at the warehouse, or from a leader's arrival
 * count). `allocations` are fixed when it is recorded, so a retry or a restart refunds exactly
 * the same units; each order's refund is keyed `shortage:<id>:<order>`.
 */
const ShortageSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    day: { type: String, required: true },
    productId: { type: Schema.Types.ObjectId, required: true },
    productName: { type: String, required: true },
    units: { type: Number, required: true },
    note: { type: String, default: '' },
    /** Short at one pickup point (from its arrival count): only its orders are refunded. */
    leaderId: { type: Schema.Types.ObjectId, default: null },
    storeId: { type: Schema.Types.ObjectId, default: null },
    allocations: { type: [new Schema({ orderId: Schema.Types.ObjectId, line: Number, quantity: Number }, { _id: false })], default: [] },
    state: { type: String, enum: ['allocating', 'done'], required: true },
    actorId: { type: Schema.Types.ObjectId, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
)
ShortageSchema.index({ day: 1, productId: 1 })
ShortageSchema.index({ state: 1, createdAt: 1 })

export type Shortage = InferSchemaType<typeof ShortageSchema> & { _id: Types.ObjectId }
export const ShortageModel = model('Shortage', ShortageSchema, 'shortages')
