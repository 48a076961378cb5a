import { Schema, model, type InferSchemaType } from 'mongoose'

/**
 * An arrival's state table: confirmed by the point (units per product), then its members with
 * goods waiting are told, each once (`arrival:<order>:<day>`); a crash between the two is finished
 * by the recovery job.
 *
 *   confirmed ──told──▶ told
 */
export const ARRIVAL_TRANSITIONS = {
  told: { from: ['confirmed'], to: 'told', does: 'nothing more: every member with goods waiting has a notice (and a WeChat message where they agreed)' },
} as const

/** 到货确认: one per pickup point and session day (`_id` = `<leader|store>:<point id>:<day>`). */
const ArrivalSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['leader', 'store'], required: true },
    pointId: { type: Schema.Types.ObjectId, required: true },
    day: { type: String, required: true },
    products: { type: [new Schema({ productId: Schema.Types.ObjectId, expected: Number, units: Number }, { _id: false })], default: [] },
    state: { type: String, enum: ['confirmed', 'told'], required: true },
    told: { type: Number, default: 0 },
    by: { type: Schema.Types.ObjectId, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
)
ArrivalSchema.index({ state: 1, at: 1 })

export type Arrival = InferSchemaType<typeof ArrivalSchema>
export const ArrivalModel = model('Arrival', ArrivalSchema, 'arrivals')
