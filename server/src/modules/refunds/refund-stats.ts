import { RefundModel } from './refund.model'

/** Money refunds returned in [from, to) (by when WeChat Pay confirmed them), in fen (reports). */
export async function refundedBetween(from: Date, to: Date): Promise<number> {
  // Summed here, so the embedded database needs no $group.
  const rows = await RefundModel.find({ succeededAt: { $gte: from, $lt: to } }, { fen: 1 }).lean<Array<{ fen?: number }>>()
  return rows.reduce((sum, r) => sum + (r.fen ?? 0), 0)
}
