import { Schema, model, type Types } from 'mongoose'

export interface MallItem {
  _id: Types.ObjectId
  /** Optional stable code (the demo seed upserts by it). */
  code: string | null
  name: string
  description: string
  kind: 'goods' | 'coupon'
  couponTemplateId: Types.ObjectId | null
  category: string
  pointsPrice: number
  /** What is left; only ever changed by guarded `$inc`, so it never goes below zero. */
  stock: number
  perUserLimit: number | null
  minLevelRank: number
  availableFrom: Date | null
  availableTo: Date | null
  /** The stores that hand the goods over. */
  storeIds: Types.ObjectId[]
  cover: { emoji: string; tint: string }
  active: boolean
  sort: number
  /** The vouchers holding a unit of stock, `<code>: 1` (core/held-units.ts); reads leave it out (`WITHOUT_HOLDERS`). */
  stockHolders?: Record<string, 1>
}

/** The projection item reads use: the holders are for guarded updates only. */
export const WITHOUT_HOLDERS = '-stockHolders'

const MallItemSchema = new Schema<MallItem>(
  {
    code: { type: String, default: null },
    name: { type: String, required: true },
    description: { type: String, default: '' },
    kind: { type: String, enum: ['goods', 'coupon'], required: true },
    couponTemplateId: { type: Schema.Types.ObjectId, default: null },
    category: { type: String, required: true },
    pointsPrice: { type: Number, required: true, min: 1 },
    stock: { type: Number, required: true, min: 0 },
    perUserLimit: { type: Number, default: null },
    minLevelRank: { type: Number, default: 0 },
    availableFrom: { type: Date, default: null },
    availableTo: { type: Date, default: null },
    storeIds: { type: [Schema.Types.ObjectId], default: [] },
    cover: { type: new Schema({ emoji: String, tint: String }, { _id: false }), required: true },
    active: { type: Boolean, default: true },
    sort: { type: Number, default: 0 },
    stockHolders: { type: Schema.Types.Mixed, default: () => ({}) },
  },
  { timestamps: true, versionKey: false, minimize: false },
)

export const MallItemModel = model<MallItem>('MallItem', MallItemSchema, 'mall_items')

/**
 * One of a user's redemptions of an item (`<itemId>:<userId>:<n>`, n up to the per-user limit):
 * claiming a slot is an insert, so concurrent redemptions never pass the limit.
 */
const RedemptionSlotSchema = new Schema({ _id: { type: String, required: true }, voucherId: { type: String, required: true } }, { versionKey: false })
export const RedemptionSlotModel = model('RedemptionSlot', RedemptionSlotSchema, 'mall_redemption_slots')
