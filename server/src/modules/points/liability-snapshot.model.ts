import { Schema, model } from 'mongoose'

/**
 * The 积分负债 figures the hourly job computed from the whole ledger (one document, `latest`), so
 * the report answers with one read however long the ledger grows. Points only: their value in
 * yuan follows the rate in force when the report is read.
 */
export interface LiabilitySnapshot {
  _id: 'latest'
  computedAt: Date
  /** Ledger entries read. */
  entries: number
  outstanding: number
  byExpiryMonth: Array<{ month: string; points: number }>
  /** The 24 business months up to the one it was computed in, oldest first. */
  flows: Array<{ month: string; earned: number; spent: number; expired: number; adjusted?: number }>
}

const LiabilitySnapshotSchema = new Schema<LiabilitySnapshot>(
  {
    _id: { type: String, required: true },
    computedAt: { type: Date, required: true },
    entries: { type: Number, required: true },
    outstanding: { type: Number, required: true },
    byExpiryMonth: { type: [{ _id: false, month: String, points: Number }], default: [] },
    flows: { type: [{ _id: false, month: String, earned: Number, spent: Number, expired: Number, adjusted: Number }], default: [] },
  },
  { versionKey: false },
)

export const LiabilitySnapshotModel = model<LiabilitySnapshot>('LiabilitySnapshot', LiabilitySnapshotSchema, 'points_liability')
