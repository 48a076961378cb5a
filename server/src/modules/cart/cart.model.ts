import { Schema, model, type Types } from 'mongoose'

const CartLineSchema = new Schema(
  {
    productId: { type: Schema.Types.ObjectId, required: true },
    /** The sale day of the session the line is for. */
    day: { type: String, required: true },
    quantity: { type: Number, required: true, min: 1 },
    selected: { type: Boolean, default: true },
    addedAt: { type: Date, required: true },
  },
  { _id: false },
)

/**
 * A member's basket (购物车), `_id` = the member: a line per product and session, at most the
 * rules' `shop.basketMaxLines`. No prices are kept: every read prices the lines afresh. `version`
 * guards each change, so two devices changing the basket at once both count.
 */
const CartSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    lines: { type: [CartLineSchema], default: [] },
    version: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
)

export interface CartLineDoc {
  productId: Types.ObjectId
  day: string
  quantity: number
  selected: boolean
  addedAt: Date
}

export const CartModel = model('Cart', CartSchema, 'carts')
