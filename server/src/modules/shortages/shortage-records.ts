import type { Types } from 'mongoose'
import { insertOnce } from '../../core/insert-once'
import { stateTable } from '../../core/state-table'
import { SHORTAGE_TRANSITIONS, ShortageModel, type Shortage } from './shortage.model'

export type { Shortage } from './shortage.model'

/** Every change of a shortage's state goes through its table (shortage.model.ts). */
export const shortageStates = stateTable<'allocating' | 'done', keyof typeof SHORTAGE_TRANSITIONS>(ShortageModel, SHORTAGE_TRANSITIONS)

/** Shortages as the shortage flow reads and writes them. */
export const shortageRecords = {
  find: (id: Types.ObjectId) => ShortageModel.findById(id).lean<Shortage>(),
  byKey: (key: string) => ShortageModel.findOne({ key }).lean<Shortage>(),
  /** Records a shortage once per key: the one made now, or the earlier one. */
  async create(doc: Record<string, unknown> & { key: string }): Promise<{ made: boolean; shortage: Shortage }> {
    const done = await insertOnce<Shortage>(ShortageModel, doc, () => ShortageModel.findOne({ key: doc.key }).lean<Shortage>())
    return { made: done.inserted, shortage: done.existing ?? (await ShortageModel.findOne({ key: doc.key }).lean<Shortage>())! }
  },
  ofDay: (day: string) => ShortageModel.find({ day }).sort({ createdAt: -1 }).lean<Shortage[]>(),
  /** Shortages still allocating a minute after they were recorded (a crash before their refunds). */
  unfinished: (stale: Date) => ShortageModel.find({ state: 'allocating', createdAt: { $lte: stale } }).limit(20).lean<Shortage[]>(),
}
