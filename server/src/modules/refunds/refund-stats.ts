import { RefundModel } from './refund.model'

/** Money refunds returned in [from, to) (by when WeChat Pay confirmed them), in fen (reports). */
export async function refundedBetween(from: Date, to: Date): Promise<number> {
  // Summed here, so the embedded database needs no $group.
  const rows = await RefundModel.find({ succeededAt: { $gte: from, $lt: to } }, { fen: 1 }).lean<Array<{ fen?: number }>>()
  return rows.reduce((sum, r) => sum + (r.fen ?? 0), 0)
}

/** Each refund returned in [from, to): its order and amount (reports that split refunds by where the order was picked up). */
export async function refundsBetween(from: Date, to: Date): Promise<Array<{ orderId: string; fen: number }>> {
  const rows = await RefundModel.find({ succeededAt: { $gte: from, $lt: to } }, { orderId: 1, fen: 1 }).lean<Array<{ orderId: unknown; fen?: number }>>()
  return rows.map((r) => ({ orderId: String(r.orderId), fen: r.fen ?? 0 }))
}
