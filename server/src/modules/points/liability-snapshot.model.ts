import { Schema, model } from 'mongoose'

/**
 * The 积分负债 figures (one document, `latest`), kept by increments as ledger entries are written
 * (`tallyPointsLiability`) and recounted from the whole ledger daily as a check, so the report
 * answers with one read however long the ledger grows. Points only: their value in yuan follows
 * the rate in force when the report is read.
 */
export interface LiabilitySnapshot {
  _id: 'latest'
  computedAt: Date
  /** Entries written up to this moment are in the figures (absent on figures kept before increments). */
  talliedTo?: Date | null
  /** Ledger entries counted. */
  entries: number
  outstanding: number
  /** `YYYY-MM` → points left of the lots expiring that month. */
  expiring?: Record<string, number>
  /** `YYYY-MM` → points moved that business month by entry type (`earn`, `spend`, `expire`…). */
  flows: Record<string, Record<string, number>>
}

const LiabilitySnapshotSchema = new Schema<LiabilitySnapshot>(
  {
    _id: { type: String, required: true },
    computedAt: { type: Date, required: true },
    talliedTo: { type: Date, default: null },
    entries: { type: Number, required: true },
    outstanding: { type: Number, required: true },
    expiring: { type: Schema.Types.Mixed, default: {} },
    flows: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, minimize: false },
)

export const LiabilitySnapshotModel = model<LiabilitySnapshot>('LiabilitySnapshot', LiabilitySnapshotSchema, 'points_liability')
