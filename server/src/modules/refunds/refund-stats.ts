import { RefundModel } from './refund.model'

/**
 * Each refund WeChat Pay confirmed in [from, to): when, its order and the money returned, in fen.
 * Money by day (概览, 增长趋势) and by leader (团长) are summed from these rows.
 */
export async function refundsBetween(from: Date, to: Date): Promise<Array<{ succeededAt: Date; orderId: string; fen: number }>> {
  const rows = await RefundModel.find({ succeededAt: { $gte: from, $lt: to } }, { succeededAt: 1, orderId: 1, fen: 1 }).lean<Array<{ succeededAt: Date; orderId: unknown; fen?: number }>>()
  return rows.map((r) => ({ succeededAt: r.succeededAt, orderId: String(r.orderId), fen: r.fen ?? 0 }))
}
