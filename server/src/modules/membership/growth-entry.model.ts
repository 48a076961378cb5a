import { Schema, model, type Types } from 'mongoose'

/** One growth-value change (成长值), carrying the user's total after it (see `appendSequenced`). */
export interface GrowthEntry {
  /** `<ownerId>:<seq>` (see `appendSequenced`). */
  _id: string
  /** The user. */
  ownerId: Types.ObjectId
  seq: number
  key: string
  source: string
  sourceId: string | null
  amount: number
  growth: number
  createdAt: Date
}

const GrowthEntrySchema = new Schema<GrowthEntry>(
  {
    _id: { type: String, required: true },
    ownerId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    key: { type: String, required: true, unique: true },
    source: { type: String, required: true },
    sourceId: { type: String, default: null },
    amount: { type: Number, required: true },
    growth: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
)
GrowthEntrySchema.index({ ownerId: 1, createdAt: -1 })

export const GrowthEntryModel = model<GrowthEntry>('GrowthEntry', GrowthEntrySchema, 'growth_entries')
