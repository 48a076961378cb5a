import { OrderModel } from './order.model'

/** Orders paid in [from, to) and what shoppers paid for them, in fen (reports). */
export async function paidOrdersBetween(from: Date, to: Date): Promise<{ count: number; payFen: number }> {
  // One day's paid orders, their amounts only: summed here, so the embedded database needs no $group.
  const rows = await OrderModel.find({ paidAt: { $gte: from, $lt: to } }, { 'price.payFen': 1 }).lean<Array<{ price?: { payFen?: number } }>>()
  return { count: rows.length, payFen: rows.reduce((sum, r) => sum + (r.price?.payFen ?? 0), 0) }
}
