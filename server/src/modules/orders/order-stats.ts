import { Types } from 'mongoose'
import { OrderModel } from './order.model'

/** Orders paid in [from, to) and what shoppers paid for them, in fen (reports). */
/**
 * Orders paid in [from, to), by business day (`dayOf`): how many and the amount paid. 概览 and
 * 增长趋势 both read money here. Summed here, so the embedded database needs no $group.
 */
export async function paidByDay(from: Date, to: Date, dayOf: (at: Date) => string): Promise<Map<string, { count: number; payFen: number }>> {
  const rows = await OrderModel.find({ paidAt: { $gte: from, $lt: to } }, { paidAt: 1, 'price.payFen': 1 }).lean<Array<{ paidAt: Date; price?: { payFen?: number } }>>()
  const byDay = new Map<string, { count: number; payFen: number }>()
  for (const r of rows) {
    const day = byDay.get(dayOf(r.paidAt)) ?? { count: 0, payFen: 0 }
    byDay.set(dayOf(r.paidAt), { count: day.count + 1, payFen: day.payFen + (r.price?.payFen ?? 0) })
  }
  return byDay
}

/** Orders whose hand-over completed in [from, to) (提货核销: the desk's and the leaders'). */
export const countPickups = (from: Date, to: Date): Promise<number> => OrderModel.countDocuments({ completedAt: { $gte: from, $lt: to } })

/**
 * When each of `userIds` paid for an order in [from, to) (campaign uplift): read by member in
 * batches, on the `userId` index, so a large campaign never scans the day's orders.
 */
export async function paymentTimesOf(userIds: readonly string[], from: Date, to: Date): Promise<Map<string, Date[]>> {
  const times = new Map<string, Date[]>()
  for (let i = 0; i < userIds.length; i += 1000) {
    const ids = userIds.slice(i, i + 1000).map((id) => new Types.ObjectId(id))
    const rows = await OrderModel.find({ userId: { $in: ids }, paidAt: { $gte: from, $lt: to } }, { userId: 1, paidAt: 1 }).lean<Array<{ userId: Types.ObjectId; paidAt: Date }>>()
    for (const r of rows) times.set(String(r.userId), [...(times.get(String(r.userId)) ?? []), r.paidAt])
  }
  return times
}
