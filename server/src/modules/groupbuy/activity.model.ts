import { Schema, model, type InferSchemaType } from 'mongoose'

const TierSchema = new Schema({ size: { type: Number, required: true }, priceFen: { type: Number, required: true } }, { _id: false })

/**
 * A group-buy activity (DESIGN.md, Group-buy): one product, tiers of size → price, a window,
 * activity-only stock (`stockLeft` is taken with guarded `$inc`, never below zero), an optional
 * daily cap, a per-user limit and how long a group may take to fill.
 */
const ActivitySchema = new Schema(
  {
    productId: { type: Schema.Types.ObjectId, required: true },
    title: { type: String, required: true },
    tiers: { type: [TierSchema], required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    stockTotal: { type: Number, required: true },
    stockLeft: { type: Number, required: true, min: 0 },
    /**
     * The orders holding a unit of stock, `<orderId>: 1` (see core/held-units.ts). Reads leave it
     * out with a projection (`WITHOUT_HOLDERS`); not `select: false`, which the embedded database
     * refuses on findAndModify.
     */
    stockHolders: { type: Schema.Types.Mixed, default: () => ({}) },
    dailyCap: { type: Number, default: null },
    perUserLimit: { type: Number, required: true },
    groupHours: { type: Number, required: true },
    autoFill: { type: Boolean, default: false },
    paused: { type: Boolean, default: false },
    /** Seeds find their activities again by this key (not indexed: the embedded database has no partial indexes; seeding is one process). */
    key: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
)

/** The projection every activity read uses: the holders are for guarded updates only. */
export const WITHOUT_HOLDERS = '-stockHolders'

export type Activity = InferSchemaType<typeof ActivitySchema> & { _id: import('mongoose').Types.ObjectId }
export const ActivityModel = model('GroupBuyActivity', ActivitySchema, 'groupbuy_activities')

/**
 * Counters with a ceiling, one document each: `user:<activity>:<user>` (per-user limit) and
 * `day:<activity>:<YYYY-MM-DD>` (daily cap), with the orders holding a slot in `holders`
 * (see core/held-units.ts). Looked up by `_id` only.
 */
const CounterSchema = new Schema(
  { _id: { type: String, required: true }, count: { type: Number, required: true }, holders: { type: Schema.Types.Mixed, default: () => ({}) } },
  { versionKey: false, minimize: false },
)
export const LimitCounterModel = model('GroupBuyCounter', CounterSchema, 'groupbuy_counters')
