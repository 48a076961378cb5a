import { Types } from 'mongoose'
import { OrderModel } from './order.model'

/** Orders paid in [from, to) and what shoppers paid for them, in fen (reports). */
export async function paidOrdersBetween(from: Date, to: Date): Promise<{ count: number; payFen: number }> {
  // One day's paid orders, their amounts only: summed here, so the embedded database needs no $group.
  const rows = await OrderModel.find({ paidAt: { $gte: from, $lt: to } }, { 'price.payFen': 1 }).lean<Array<{ price?: { payFen?: number } }>>()
  return { count: rows.length, payFen: rows.reduce((sum, r) => sum + (r.price?.payFen ?? 0), 0) }
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
