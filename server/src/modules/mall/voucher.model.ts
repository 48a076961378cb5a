import { Schema, model, type Types } from 'mongoose'

/**
 * A points-mall voucher. `_id` is its one-time code (unguessable, what staff scan or type), so a
 * scan finds it by primary key. `key` (unique) is the redemption's idempotency key.
 *
 * Life: pending (points, stock and quota being taken, each keyed by the code: see mall.service) → active
 * (usable in store) → redeemed | cancelling → cancelled | expiring → expired. Coupon items go
 * pending → issued. A redemption that could not complete is `failed`, with what it took given back.
 */
export interface Voucher {
  _id: string
  key: string
  userId: Types.ObjectId
  itemId: Types.ObjectId
  itemName: string
  kind: 'goods' | 'coupon'
  cover: { emoji: string; tint: string }
  points: number
  storeIds: Types.ObjectId[]
  state: 'pending' | 'active' | 'redeemed' | 'cancelling' | 'cancelled' | 'expiring' | 'expired' | 'issued' | 'failed'
  failure: string | null
  expiresAt: Date | null
  createdAt: Date
  redeemedAt: Date | null
  redeemedBy: Types.ObjectId | null
  redeemedStoreId: Types.ObjectId | null
  /** Business day of the redemption, for the desk's "today" lists. */
  redeemedDay: string | null
}

const VoucherSchema = new Schema<Voucher>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true, unique: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    itemId: { type: Schema.Types.ObjectId, required: true },
    itemName: { type: String, required: true },
    kind: { type: String, enum: ['goods', 'coupon'], required: true },
    cover: { type: new Schema({ emoji: String, tint: String }, { _id: false }), required: true },
    points: { type: Number, required: true },
    storeIds: { type: [Schema.Types.ObjectId], default: [] },
    state: {
      type: String,
      enum: ['pending', 'active', 'redeemed', 'cancelling', 'cancelled', 'expiring', 'expired', 'issued', 'failed'],
      required: true,
    },
    failure: { type: String, default: null },
    expiresAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    redeemedAt: { type: Date, default: null },
    redeemedBy: { type: Schema.Types.ObjectId, default: null },
    redeemedStoreId: { type: Schema.Types.ObjectId, default: null },
    redeemedDay: { type: String, default: null },
  },
  { versionKey: false },
)
VoucherSchema.index({ userId: 1, createdAt: -1 })
VoucherSchema.index({ state: 1, expiresAt: 1 })
VoucherSchema.index({ redeemedStoreId: 1, redeemedDay: 1 })
VoucherSchema.index({ redeemedBy: 1, redeemedDay: 1 })

export const VoucherModel = model<Voucher>('Voucher', VoucherSchema, 'vouchers')
