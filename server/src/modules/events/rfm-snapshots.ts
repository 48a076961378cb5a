import { Schema, model } from 'mongoose'
import type { RfmReport } from '@xianlin/shared'
import { readByIds } from '../../db/read-by-ids'

/**
 * RFM's segment figures as last counted, per window end and thresholds (`rfm_snapshots`), so the
 * report reads two documents instead of a quarter's payers. A fold that rewrites a day's payers
 * moves the version (`_id: 'version'`) before and after writing; a snapshot is used only under the
 * version it was counted under, so one counted before or while a fold wrote is counted again.
 */
const SnapshotSchema = new Schema(
  {
    _id: { type: String, required: true },
    version: { type: Number, default: 0 },
    segments: { type: Schema.Types.Mixed },
  },
  { versionKey: false, minimize: false },
)
const SnapshotModel = model('RfmSnapshot', SnapshotSchema, 'rfm_snapshots')
type Snapshot = { _id: string; version?: number; segments?: RfmReport['segments'] }

const VERSION = 'version'
const idOf = (to: string, key: string) => `${to}|${key}`

const moveVersion = () => SnapshotModel.updateOne({ _id: VERSION }, { $inc: { version: 1 } }, { upsert: true })

/** Writes a day's payers with `write`: snapshots counted before, during or from a read begun before it ends are out of date. */
export async function changingPayers(write: () => Promise<void>): Promise<void> {
  await moveVersion()
  try {
    await write()
  } finally {
    await moveVersion()
  }
}

/**
 * The segment figures for the window ending `to` under thresholds `key`: kept ones when no fold has
 * written payers since they were counted, else `count()`'s, kept for the next read.
 */
export async function rfmSegments(to: string, key: string, count: () => Promise<RfmReport['segments']>): Promise<RfmReport['segments']> {
  const found = new Map((await readByIds<Snapshot>(SnapshotModel, [VERSION, idOf(to, key)])).map((d) => [d._id, d]))
  const version = found.get(VERSION)?.version ?? 0
  const kept = found.get(idOf(to, key))
  if (kept?.segments && kept.version === version) return kept.segments
  const segments = await count()
  // Kept under the version read before counting: a fold since has moved it on, and the next read counts again.
  await SnapshotModel.updateOne({ _id: idOf(to, key) }, { $set: { version, segments } }, { upsert: true })
  return segments
}
