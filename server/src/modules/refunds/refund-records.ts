import type { Types } from 'mongoose'
import { insertOnce } from '../../core/insert-once'
import { stateTable } from '../../core/state-table'
import { REFUND_TRANSITIONS, RefundModel, type Refund, type RefundState } from './refund.model'

export type { Refund } from './refund.model'

/** Every change of a refund's state goes through its table (refund.model.ts). */
export const refundStates = stateTable<RefundState, keyof typeof REFUND_TRANSITIONS>(RefundModel, REFUND_TRANSITIONS)

/** The refunds collection as the refund flow reads and writes it. */
export const refundRecords = {
  find: (id: Types.ObjectId) => RefundModel.findById(id).lean<Refund>(),
  byKey: (key: string) => RefundModel.findOne({ key }).lean<Refund>(),
  byKeys: (keys: string[]) => RefundModel.find({ key: { $in: keys } }).lean<Refund[]>(),
  byOutRefundNo: (outRefundNo: string) => RefundModel.findOne({ outRefundNo }).lean<Refund>(),
  latestOf: (orderId: Types.ObjectId) => RefundModel.findOne({ orderId }).sort({ createdAt: -1 }).lean<Refund>(),

  /** Makes a refund once per key: the one made now, or the one an earlier request made. */
  async create(doc: Record<string, unknown> & { _id: Types.ObjectId; key: string }): Promise<{ made: boolean; refund: Refund }> {
    const done = await insertOnce<Refund>(RefundModel, doc, () => RefundModel.findOne({ key: doc.key }).lean<Refund>())
    return { made: done.inserted, refund: done.inserted ? (await RefundModel.findById(doc._id).lean<Refund>())! : done.existing! }
  },

  /** WeChat Pay's answer and when to ask again, once per attempt. */
  noteStep: (id: Types.ObjectId, attemptsBefore: number, step: { status: string; attempts: number; nextAt: Date | null }) =>
    RefundModel.updateOne({ _id: id, state: 'requested', attempts: attemptsBefore }, { $set: { status: step.status, attempts: step.attempts, nextAt: step.nextAt } }),

  /** Refunds a crash or WeChat Pay left unfinished: never held or asked a minute on, due to be asked again, or succeeded and not settled. */
  due: (now: Date, stale: Date) =>
    RefundModel.find({ $or: [{ state: 'new', createdAt: { $lte: stale } }, { state: 'requested', attempts: 0, createdAt: { $lte: stale } }, { state: 'requested', nextAt: { $lte: now } }, { state: 'succeeded' }] })
      .limit(100)
      .lean<Refund[]>(),

  /** Refunds WeChat Pay could not complete (ABNORMAL, CLOSED) or that stayed unfinished after every retry, for operators. */
  async issues(limit = 50) {
    const list = await RefundModel.find({ state: 'stuck' }).sort({ createdAt: -1 }).limit(limit).lean<Refund[]>()
    return list.map((r) => ({ orderId: r.orderId.toHexString(), refundStatus: r.status ?? 'GAVE_UP', attempts: r.attempts ?? 0, amountFen: r.fen }))
  },
}
