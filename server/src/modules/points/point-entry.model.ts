import { Schema, model, type Types } from 'mongoose'

export const POINT_ENTRY_TYPES = ['earn', 'spend', 'refund', 'expire', 'adjust', 'release', 'cancel', 'clawback'] as const
export type PointEntryType = (typeof POINT_ENTRY_TYPES)[number]

/**
 * One line of a user's points ledger, carrying the balances after it (see `appendSequenced`).
 * `available` is spendable; `pending` is earned but waiting for its release date.
 * `credited`/`debited` are running totals of what entered and left `available`: with them, what
 * is left of any lot under oldest-first spending is `clamp(lot's credited - debited now, 0, lot)`.
 */
export interface PointEntry {
  /** `<ownerId>:<seq>` (see `appendSequenced`). */
  _id: string
  /** The user whose ledger this is. */
  ownerId: Types.ObjectId
  seq: number
  key: string
  type: PointEntryType
  source: string
  sourceId: string | null
  /** The change shown to the user: positive in, negative out. */
  amount: number
  availableDelta: number
  pendingDelta: number
  available: number
  pending: number
  credited: number
  debited: number
  /** A lot: points credited to `available` that expire, oldest spent first. */
  lotAmount: number
  lotExpiresAt: Date | null
  /** True once the lot has been looked at by the expiry job (or when there is no lot). */
  lotSettled: boolean
  /** For pending earnings: when they become available, and whether that (or a cancel) happened. */
  pendingUntil: Date | null
  pendingSettled: boolean
  /** A pending earning's release was claimed: from then on nothing is taken back from it (see frozen-earning.ts). */
  releaseClaimed?: boolean
  /** What refunds by the line took back of a pending earning, in all and by take-back key. */
  takenBack?: number
  takeBacks?: Array<{ key: string; amount: number }>
  note: string | null
  actorId: Types.ObjectId | null
  createdAt: Date
}

const PointEntrySchema = new Schema<PointEntry>(
  {
    _id: { type: String, required: true },
    ownerId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    key: { type: String, required: true, unique: true },
    type: { type: String, enum: POINT_ENTRY_TYPES, required: true },
    source: { type: String, required: true },
    sourceId: { type: String, default: null },
    amount: { type: Number, required: true },
    availableDelta: { type: Number, required: true },
    pendingDelta: { type: Number, required: true },
    available: { type: Number, required: true },
    pending: { type: Number, required: true },
    credited: { type: Number, required: true },
    debited: { type: Number, required: true },
    lotAmount: { type: Number, default: 0 },
    lotExpiresAt: { type: Date, default: null },
    lotSettled: { type: Boolean, required: true },
    pendingUntil: { type: Date, default: null },
    pendingSettled: { type: Boolean, required: true },
    releaseClaimed: { type: Boolean },
    takenBack: { type: Number },
    takeBacks: { type: [new Schema({ key: String, amount: Number }, { _id: false })], default: undefined },
    note: { type: String, default: null },
    actorId: { type: Schema.Types.ObjectId, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
)
PointEntrySchema.index({ ownerId: 1, seq: -1 })
PointEntrySchema.index({ lotSettled: 1, lotExpiresAt: 1 })
PointEntrySchema.index({ pendingSettled: 1, pendingUntil: 1 })
// 积分负债's tally reads the entries written since its last run.
PointEntrySchema.index({ createdAt: 1 })

export const PointEntryModel = model<PointEntry>('PointEntry', PointEntrySchema, 'point_entries')
