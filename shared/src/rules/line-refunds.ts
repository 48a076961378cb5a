/**
 * Refunds by the line (DESIGN.md, Fulfilment and after-sale). A line's paid share (`payFen`, after
 * its share of the coupon and points) is spread over its units so that the units' shares always
 * add up to the line: the first k units are worth ⌊payFen·k/quantity⌋, so refunding units one at a
 * time, or all at once, pays back exactly the line.
 */

/** What units `refundedBefore + 1 … refundedBefore + count` of a line paid, in fen. */
export function unitsShareFen(line: { payFen: number; quantity: number }, refundedBefore: number, count: number): number {
  const upTo = (k: number) => Math.floor((line.payFen * Math.min(k, line.quantity)) / line.quantity)
  return upTo(refundedBefore + count) - upTo(refundedBefore)
}

/**
 * What an order earns (points, growth, commission) on `keptFen` of its `payFen`: the full
 * earning in proportion, rounded down, so handing over or refunding by the line moves each
 * earning by the share of the money that moved, and the whole order earns exactly `full`.
 */
export function earnedShare(full: number, keptFen: number, payFen: number): number {
  if (payFen <= 0) return 0
  return Math.floor((full * Math.max(0, Math.min(keptFen, payFen))) / payFen)
}

/** Why a shopper asks for after-sale, and how each reads. */
export const AFTER_SALE_REASONS = ['quality', 'missing', 'wrong', 'other'] as const
export type AfterSaleReason = (typeof AFTER_SALE_REASONS)[number]
export const AFTER_SALE_REASON_TEXT: Record<AfterSaleReason, string> = { quality: '质量问题', missing: '少件', wrong: '错发', other: '其他' }

/** Why money went back, as shoppers and operators read it. */
export const REFUND_CAUSES = ['group_failed', 'paid_after_close', 'shortage', 'not_received', 'after_sale', 'operator'] as const
export type RefundCause = (typeof REFUND_CAUSES)[number]
export const REFUND_CAUSE_TEXT: Record<RefundCause, string> = {
  group_failed: '拼团未成功',
  paid_after_close: '订单已关闭',
  shortage: '缺货退款',
  not_received: '未收到货',
  after_sale: '售后退款',
  operator: '商家退款',
}
