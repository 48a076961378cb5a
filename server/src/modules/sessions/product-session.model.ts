import { Schema, model } from 'mongoose'

/**
 * One product's session (团期) of one sale day (DESIGN.md, Shop), `_id` = `<productId>:<day>`.
 * Written the first time an order takes from it (from the product's defaults) or when an operator
 * sets the day; until then the day follows the product and the rules. `left` is taken with guarded
 * `$inc`, never below zero, and `held` records each order's units, `<orderId>: units`, so giving
 * back is exact and happens once (see core/held-units.ts). Read by `_id` only.
 */
const ProductSessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    productId: { type: Schema.Types.ObjectId, required: true },
    day: { type: String, required: true },
    quota: { type: Number, required: true, min: 0 },
    left: { type: Number, required: true, min: 0 },
    /** Overrides of the product's price and limit and of the rules' hours; null follows them. */
    priceFen: { type: Number, default: null },
    perMemberLimit: { type: Number, default: null },
    cutoffHour: { type: Number, default: null },
    pickupHour: { type: Number, default: null },
    closed: { type: Boolean, default: false },
    /** An operator set this day (copying it forward copies these settings). */
    custom: { type: Boolean, default: false },
    held: { type: Schema.Types.Mixed, default: () => ({}) },
  },
  { versionKey: false, minimize: false },
)

export const ProductSessionModel = model('ProductSession', ProductSessionSchema, 'product_sessions')

/**
 * What one member holds of one session (the per-member limit), `_id` = `<productId>:<day>:<userId>`:
 * `count` units, by order in `holders`, taken and given back with the session's units.
 */
const SessionBuyerSchema = new Schema(
  { _id: { type: String, required: true }, count: { type: Number, required: true }, holders: { type: Schema.Types.Mixed, default: () => ({}) } },
  { versionKey: false, minimize: false },
)

export const SessionBuyerModel = model('SessionBuyer', SessionBuyerSchema, 'session_buyers')

export const sessionIdOf = (productId: string, day: string) => `${productId}:${day}`
export const buyerIdOf = (productId: string, day: string, userId: string) => `${productId}:${day}:${userId}`
