import { Schema, model, type InferSchemaType, type Types } from 'mongoose'
import { ORDER_STATES } from '@xianlin/shared'

const PriceSchema = new Schema(
  {
    listPriceFen: Number,
    groupPriceFen: Number,
    levelDiscountFen: Number,
    levelName: String,
    couponFen: Number,
    pointsUsed: Number,
    pointsFen: Number,
    payFen: Number,
  },
  { _id: false },
)

const CoverSchema = new Schema({ emoji: String, tint: String, photo: { type: String, default: null } }, { _id: false })

/**
 * A line of an order: the product as it was sold, its session (sale day) and pickup, and its price
 * with its share of the coupon and the points (`payFen`, what refunding the line pays back).
 * Group-buys and orders from before baskets have one line without a session.
 */
const OrderLineSchema = new Schema(
  {
    productId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    subtitle: { type: String, default: '' },
    unit: { type: String, default: '' },
    cover: { type: CoverSchema, required: true },
    day: { type: String, default: null },
    pickupDay: { type: String, default: null },
    pickupFrom: { type: Date, default: null },
    quantity: { type: Number, required: true, min: 1 },
    listUnitFen: { type: Number, required: true },
    unitFen: { type: Number, required: true },
    memberUnitFen: { type: Number, required: true },
    lineFen: { type: Number, required: true },
    couponFen: { type: Number, required: true },
    pointsFen: { type: Number, required: true },
    payFen: { type: Number, required: true },
    /** Units handed over, units refunded (some of them after hand-over), and the fen refunded. */
    handedQty: { type: Number },
    refundedQty: { type: Number },
    refundedHandedQty: { type: Number },
    refundedFen: { type: Number },
    /** Units the leader or clerk marked as not received at the last hand-over (handed over later or refunded). */
    notReceivedQty: { type: Number },
  },
  { _id: false },
)
export type OrderLine = InferSchemaType<typeof OrderLineSchema>

/**
 * An order: a group-buy order (`kind: 'group'`, one unit, in a group of an activity), or a basket
 * (`'basket'`: lines of products for their sessions, no group; paid, it is confirmed with a pickup
 * code at once). `'solo'` orders (a product bought alone) are from before baskets and read as
 * one-line baskets. `product` is the first line's, for lists that show one picture.
 * `held` records each reservation checkout took (per-user slot, daily slot, stock (a basket's:
 * its sessions' units), seat, coupon, points) so that closing or refunding gives back exactly
 * those, once: each flag is cleared by a guarded update before its give-back runs.
 * The order id (24 hex) is the WeChat Pay `out_trade_no`; `RF<id>` is its `out_refund_no`.
 */
const OrderSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    openid: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    kind: { type: String, enum: ['group', 'solo', 'basket'], default: 'group' },
    quantity: { type: Number, default: 1, min: 1 },
    activityId: { type: Schema.Types.ObjectId, default: null },
    groupId: { type: Schema.Types.ObjectId, default: null },
    groupSize: { type: Number, required: true },
    title: { type: String, required: true },
    product: {
      type: new Schema({ id: String, name: String, subtitle: String, unit: String, cover: { emoji: String, tint: String, photo: { type: String, default: null } } }, { _id: false }),
      required: true,
    },
    lines: { type: [OrderLineSchema], default: undefined },
    /** The days the lines are picked up, earliest first (a basket's; search filters on them). */
    pickupDays: { type: [String], default: [] },
    storeId: { type: Schema.Types.ObjectId, default: null },
    /** Set instead of `storeId` when the order is picked up at a community leader's point. */
    leaderId: { type: Schema.Types.ObjectId, default: null },
    couponId: { type: Schema.Types.ObjectId, default: null },
    price: { type: PriceSchema, required: true },
    state: { type: String, enum: ORDER_STATES, required: true },
    held: {
      type: new Schema(
        { user: { type: Boolean, default: false }, day: { type: String, default: null }, stock: { type: Boolean, default: false }, seat: { type: Boolean, default: false }, coupon: { type: Boolean, default: false }, points: { type: Boolean, default: false } },
        { _id: false },
      ),
      default: () => ({}),
    },
    prepayId: { type: String, default: null },
    holdUntil: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    paidAt: { type: Date, default: null },
    transactionId: { type: String, default: null },
    pickupCode: { type: String, default: null },
    confirmedAt: { type: Date, default: null },
    completedAt: { type: Date, default: null },
    completedBy: { type: Schema.Types.ObjectId, default: null },
    /** Points and growth for a completed order were credited (a job finishes it after a crash). */
    credited: { type: Boolean, default: false },
    closedAt: { type: Date, default: null },
    closeReason: { type: String, default: null },
    refundedAt: { type: Date, default: null },
    /** WeChat Pay's last answer about this order's refund (see refund-retry.ts), how often we asked, and when to ask next. */
    refundStatus: { type: String, default: null },
    refundAttempts: { type: Number, default: 0 },
    refundNextAt: { type: Date, default: null },
    notified: { type: [String], default: [] },
    /** Raised by every change of the lines (hand-over, refund): such changes are guarded by it. */
    rev: { type: Number },
    /**
     * What each refund of this order (the `refunds` collection) holds, in the order they were held:
     * its units per line, fen and points, written with the units in one guarded update, so the
     * refund asks WeChat Pay for exactly what the order gave it. `refundedFen`: their sum.
     */
    refundsHeld: {
      type: [
        new Schema(
          {
            refundId: Schema.Types.ObjectId,
            lines: [new Schema({ line: Number, quantity: Number, fen: Number, handed: Number }, { _id: false })],
            fen: Number,
            points: Number,
          },
          { _id: false },
        ),
      ],
      default: undefined,
    },
    refundedFen: { type: Number },
    /** Points given back by refunds (their share of `price.pointsUsed`). */
    pointsRefunded: { type: Number },
    /**
     * What the order earns on (DESIGN.md, Fulfilment): the fen handed over and not refunded. Each
     * hand-over and each refund after one is an `earnings` event moving it; its points, growth and
     * commission follow in proportion to `earnFull` (what the whole order earns, fixed at the first
     * hand-over), keyed by the event. `credited` is false while an event's credits are not all done.
     */
    keptFen: { type: Number },
    earnFull: { type: new Schema({ points: Number, growth: Number, commissionFen: Number }, { _id: false }) },
    earnings: { type: [new Schema({ key: String, before: Number, after: Number, at: Date }, { _id: false })], default: undefined },
    /** How many `earnings` events have had their credits paid, in order. */
    earningsApplied: { type: Number },
  },
  { versionKey: false },
)
OrderSchema.index({ state: 1, holdUntil: 1 })
OrderSchema.index({ groupId: 1 })
OrderSchema.index({ leaderId: 1, state: 1 })
OrderSchema.index({ userId: 1, createdAt: -1 })
// Reports count a day's payments and hand-overs.
OrderSchema.index({ paidAt: 1 })
OrderSchema.index({ completedAt: 1 })
// Orders whose points and commission are still to be credited (the holds job's needs-work flag).
OrderSchema.index({ credited: 1 })

/** An order as read lean; `lines` is absent only on orders from before baskets not yet moved (see order-lines.ts). */
export type Order = Omit<InferSchemaType<typeof OrderSchema>, 'lines'> & { _id: Types.ObjectId; lines?: OrderLine[] }
export const OrderModel = model('Order', OrderSchema, 'orders')

/**
 * Checkout idempotency: `_id` = `<user>:<key>` → the order it placed. A separate keyed document
 * makes the replay check an `_id` lookup (the embedded database scans anything else).
 */
const OrderKeySchema = new Schema({ _id: { type: String, required: true }, orderId: { type: Schema.Types.ObjectId, required: true } }, { versionKey: false })
export const OrderKeyModel = model('OrderKey', OrderKeySchema, 'order_keys')

/** Pickup codes, `_id` = the code: unique by construction, and a pickup scan is an `_id` lookup. */
const PickupCodeSchema = new Schema({ _id: { type: String, required: true }, orderId: { type: Schema.Types.ObjectId, required: true } }, { versionKey: false })
export const PickupCodeModel = model('PickupCode', PickupCodeSchema, 'pickup_codes')
