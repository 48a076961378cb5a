import { RefundModel } from './refund.model'

/** Money refunds returned in [from, to) (by when WeChat Pay confirmed them), in fen (reports). */
/** Money refunded in [from, to), by business day (`dayOf`): 概览 and 增长趋势 read refunds here. */
export async function refundedByDay(from: Date, to: Date, dayOf: (at: Date) => string): Promise<Map<string, number>> {
  // Summed here, so the embedded database needs no $group.
  const rows = await RefundModel.find({ succeededAt: { $gte: from, $lt: to } }, { succeededAt: 1, fen: 1 }).lean<Array<{ succeededAt: Date; fen?: number }>>()
  const byDay = new Map<string, number>()
  for (const r of rows) byDay.set(dayOf(r.succeededAt), (byDay.get(dayOf(r.succeededAt)) ?? 0) + (r.fen ?? 0))
  return byDay
}

/** Each refund returned in [from, to): its order and amount (reports that split refunds by where the order was picked up). */
export async function refundsBetween(from: Date, to: Date): Promise<Array<{ orderId: string; fen: number }>> {
  const rows = await RefundModel.find({ succeededAt: { $gte: from, $lt: to } }, { orderId: 1, fen: 1 }).lean<Array<{ orderId: unknown; fen?: number }>>()
  return rows.map((r) => ({ orderId: String(r.orderId), fen: r.fen ?? 0 }))
}
