import { Types } from 'mongoose'
import { OrderModel } from './order.model'

/**
 * Each order paid in [from, to): when, what was paid, by whom and at which leader's point. Money by
 * day (概览, 增长趋势) and by leader (团长) are summed from these rows, so the embedded database needs no $group.
 */
export async function paidOrdersBetween(from: Date, to: Date): Promise<Array<{ paidAt: Date; payFen: number; userId: string; leaderId: string | null }>> {
  const rows = await OrderModel.find({ paidAt: { $gte: from, $lt: to } }, { paidAt: 1, 'price.payFen': 1, userId: 1, leaderId: 1 }).lean<
    Array<{ paidAt: Date; price?: { payFen?: number }; userId: Types.ObjectId; leaderId?: Types.ObjectId | null }>
  >()
  return rows.map((r) => ({ paidAt: r.paidAt, payFen: r.price?.payFen ?? 0, userId: String(r.userId), leaderId: r.leaderId ? String(r.leaderId) : null }))
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
