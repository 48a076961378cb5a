import { Schema, model } from 'mongoose'
import { EVENT_NAMES } from '@xianlin/shared'

/**
 * One analytics event. `day` is the business-timezone calendar day, stored at write time because
 * reports group by it and FerretDB has no date operators in aggregations. `tier` is the member's
 * lifecycle tier at the time, so an event can be read by the tier its member was in.
 */
const EventSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, default: null },
    name: { type: String, enum: EVENT_NAMES, required: true },
    props: { type: Schema.Types.Mixed, default: {} },
    at: { type: Date, required: true },
    day: { type: String, required: true },
    /** The member's lifecycle tier when it happened (as last stamped; null: not known, or no member). */
    tier: { type: String, default: null },
  },
  { versionKey: false, minimize: false },
)
EventSchema.index({ day: 1 }) // the daily fold reads a day whole
EventSchema.index({ name: 1, day: 1 })
EventSchema.index({ userId: 1, at: -1 })

export const EventModel = model('Event', EventSchema, 'events')
