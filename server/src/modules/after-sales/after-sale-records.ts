import { Types } from 'mongoose'
import type { AfterSaleState } from '@xianlin/shared'
import { insertOnce } from '../../core/insert-once'
import { stateTable } from '../../core/state-table'
import { AFTER_SALE_TRANSITIONS, AfterSaleModel, type AfterSale } from './after-sale.model'

export type { AfterSale } from './after-sale.model'

/** Every change of an after-sale request's state goes through its table (after-sale.model.ts). */
export const afterSaleStates = stateTable<AfterSaleState, keyof typeof AFTER_SALE_TRANSITIONS>(AfterSaleModel, AFTER_SALE_TRANSITIONS)

/** The after-sale requests as the after-sale flow reads and writes them. */
export const afterSaleRecords = {
  find: (id: string | Types.ObjectId) => (Types.ObjectId.isValid(id) ? AfterSaleModel.findById(id).lean<AfterSale>() : Promise.resolve(null)),
  byKey: (key: string) => AfterSaleModel.findOne({ key }).lean<AfterSale>(),
  /** Makes a request once per key: the one made now, or the earlier one. */
  async create(doc: Record<string, unknown> & { _id: Types.ObjectId; key: string }): Promise<{ made: boolean; request: AfterSale }> {
    const done = await insertOnce<AfterSale>(AfterSaleModel, doc, () => AfterSaleModel.findOne({ key: doc.key }).lean<AfterSale>())
    return { made: done.inserted, request: done.inserted ? (await AfterSaleModel.findById(doc._id).lean<AfterSale>())! : done.existing! }
  },
  /** Units of a line that requests not yet refunded or rejected already claim. */
  async claimedOf(orderId: Types.ObjectId, line: number): Promise<number> {
    const open = await AfterSaleModel.find({ orderId, line, state: { $in: ['submitted', 'approved'] } }, { quantity: 1 }).lean<Array<{ quantity: number }>>()
    return open.reduce((n, a) => n + a.quantity, 0)
  },
  /** Whether the member asked for after-sale since `since` (small first claims are approved by the rules). */
  askedSince: async (userId: Types.ObjectId, since: Date) => Boolean(await AfterSaleModel.exists({ userId, createdAt: { $gt: since } })),
  list: (filter: { state?: AfterSaleState; leaderId?: string; userId?: string }, limit = 100) =>
    AfterSaleModel.find({
      ...(filter.state ? { state: filter.state } : {}),
      ...(filter.leaderId ? { leaderId: new Types.ObjectId(filter.leaderId) } : {}),
      ...(filter.userId ? { userId: new Types.ObjectId(filter.userId) } : {}),
    })
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean<AfterSale[]>(),
}
