import { Schema, model, type Types } from 'mongoose'
import { COUPON_SCOPES } from '@xianlin/shared'

const terms = {
  name: { type: String, required: true },
  kind: { type: String, enum: ['amount', 'percent'] as const, required: true },
  amountFen: { type: Number, default: 0 },
  percentOff: { type: Number, default: 0 },
  minSpendFen: { type: Number, default: 0 },
  scope: { type: String, enum: COUPON_SCOPES, default: 'all' as const },
}

/** What a coupon gives and for how long; granting copies the terms onto the coupon. */
const CouponTemplateSchema = new Schema(
  {
    ...terms,
    /** Optional stable code (the demo seed finds its templates by it). */
    code: { type: String, default: null },
    validityKind: { type: String, enum: ['fixed', 'relative'], required: true },
    validFrom: { type: Date, default: null },
    validTo: { type: Date, default: null },
    validDays: { type: Number, default: null },
    active: { type: Boolean, default: true },
    /** 领券链接: how many shoppers may claim one themselves (null: no link). */
    claimTotal: { type: Number, default: null },
  },
  { timestamps: true, versionKey: false },
)
CouponTemplateSchema.index({ code: 1 })
export const CouponTemplateModel = model('CouponTemplate', CouponTemplateSchema, 'coupon_templates')

export interface Coupon {
  _id: Types.ObjectId
  templateId: Types.ObjectId
  userId: Types.ObjectId
  key: string
  name: string
  kind: 'amount' | 'percent'
  amountFen: number
  percentOff: number
  minSpendFen: number
  scope: (typeof COUPON_SCOPES)[number]
  validFrom: Date
  validTo: Date
  /** usable → locked (on an order at checkout) → used (order paid); locked/used → usable on restore. */
  state: 'usable' | 'locked' | 'used'
  orderId: string | null
  source: string
  createdAt: Date
  usedAt: Date | null
}

/** One coupon in one user's hands. `key` (unique) makes every grant idempotent. */
const CouponSchema = new Schema<Coupon>(
  {
    templateId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    key: { type: String, required: true, unique: true },
    ...terms,
    validFrom: { type: Date, required: true },
    validTo: { type: Date, required: true },
    state: { type: String, enum: ['usable', 'locked', 'used'] as const, required: true },
    orderId: { type: String, default: null },
    source: { type: String, required: true },
    createdAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
  },
  { versionKey: false },
)
CouponSchema.index({ userId: 1, state: 1, validTo: 1 })
// The console counts a template's coupons by state.
CouponSchema.index({ templateId: 1, state: 1 })

export const CouponModel = model<Coupon>('Coupon', CouponSchema, 'coupons')

/** What a coupon gives, as its template sets it: granting copies these onto the coupon. */
export const copiedTerms = (t: { name: string; kind: 'amount' | 'percent'; amountFen: number; percentOff: number; minSpendFen: number; scope: (typeof COUPON_SCOPES)[number] }) => ({
  name: t.name,
  kind: t.kind,
  amountFen: t.amountFen,
  percentOff: t.percentOff,
  minSpendFen: t.minSpendFen,
  scope: t.scope,
})
