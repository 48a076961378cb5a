import { Schema, model, type InferSchemaType, type Types } from 'mongoose'

/**
 * One held seat: the order that holds it and when it was taken. `refundedAt`: the order was
 * refunded after the group succeeded; the seat stays counted, the shopper is no longer listed.
 */
export interface Seat {
  orderId: Types.ObjectId
  at: Date
  refundedAt?: Date
}

/**
 * A group (团). `pending` until the initiator pays, then `open` for others to join.
 * Seats are `seats.<userId hex>` → {orderId, at}: taking one sets that key and decrements `free`
 * in one guarded update (`$exists: false` refuses a second seat for the same shopper), giving it
 * back unsets the key and increments `free`. So members always equal `size − free`, with no
 * array operator: `$ne` on an array path and `$pull` with a condition do not behave as in
 * MongoDB on the embedded database (see db/conformance).
 * `paidOrderIds` grows by guarded pushes (`$ne` on a scalar array), so a payment counts once; the
 * group succeeds when it holds `size` of them. `settled` marks outcomes done (jobs resume them).
 */
const GroupSchema = new Schema(
  {
    activityId: { type: Schema.Types.ObjectId, required: true, index: true },
    initiatorId: { type: Schema.Types.ObjectId, required: true },
    size: { type: Number, required: true },
    priceFen: { type: Number, required: true },
    state: { type: String, enum: ['pending', 'open', 'succeeded', 'failed', 'cancelled'], required: true },
    free: { type: Number, required: true, min: 0 },
    seats: { type: Schema.Types.Mixed, default: () => ({}) },
    paidOrderIds: { type: [Schema.Types.ObjectId], default: [] },
    paidCount: { type: Number, default: 0 },
    expiresAt: { type: Date, required: true },
    settled: { type: Boolean, default: false },
    autoFilled: { type: Boolean, default: false },
    createdAt: { type: Date, required: true },
    endedAt: { type: Date, default: null },
  },
  // `minimize: false` keeps `seats: {}` when the last seat is given back.
  { versionKey: false, minimize: false },
)
GroupSchema.index({ state: 1, expiresAt: 1 })
// Ended groups whose orders are still to be settled.
GroupSchema.index({ settled: 1, state: 1 })

export type Group = Omit<InferSchemaType<typeof GroupSchema>, 'seats'> & { _id: Types.ObjectId; seats: Record<string, Seat> }

/** The path of one shopper's seat, for guards and updates. */
export const seatPath = (userId: string | Types.ObjectId) => `seats.${String(userId)}`

/** Seats in the order they were taken. */
export const seatsOf = (g: Pick<Group, 'seats'>) =>
  Object.entries(g.seats ?? {})
    .map(([userId, seat]) => ({ userId, ...seat }))
    .sort((a, b) => a.at.getTime() - b.at.getTime())
export const GroupModel = model('Group', GroupSchema, 'groups')
