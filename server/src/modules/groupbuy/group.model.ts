import { Schema, model, type InferSchemaType, type Types } from 'mongoose'

const MemberSchema = new Schema(
  { userId: { type: Schema.Types.ObjectId, required: true }, orderId: { type: Schema.Types.ObjectId, required: true }, at: { type: Date, required: true } },
  { _id: false },
)

/**
 * A group (团). `pending` until the initiator pays, then `open` for others to join; seats are
 * taken and given back with guarded updates on `free`, so members never exceed `size`.
 * `paidOrderIds` grows with `$addToSet`-style guarded pushes, so a payment counts once; the
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
    members: { type: [MemberSchema], default: [] },
    paidOrderIds: { type: [Schema.Types.ObjectId], default: [] },
    paidCount: { type: Number, default: 0 },
    expiresAt: { type: Date, required: true },
    settled: { type: Boolean, default: false },
    autoFilled: { type: Boolean, default: false },
    createdAt: { type: Date, required: true },
    endedAt: { type: Date, default: null },
  },
  { versionKey: false },
)
GroupSchema.index({ state: 1, expiresAt: 1 })

export type Group = InferSchemaType<typeof GroupSchema> & { _id: Types.ObjectId }
export const GroupModel = model('Group', GroupSchema, 'groups')
