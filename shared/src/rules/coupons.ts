/** The terms of a coupon that decide its value on an order. */
export interface CouponTerms {
  kind: 'amount' | 'percent'
  /** For `amount`: fen off. */
  amountFen: number
  /** For `percent`: percent off (10 = 10% off, i.e. 9 折). */
  percentOff: number
  minSpendFen: number
}

/**
 * What a coupon takes off an order of `orderFen` (DESIGN.md, Coupons): nothing below its minimum
 * spend; never more than the order. Percentages round down to the fen, in the shopper's disfavour
 * by less than one fen, so totals never go fractional.
 */
export function couponDiscountFen(terms: CouponTerms, orderFen: number): number {
  if (orderFen < terms.minSpendFen) return 0
  const off = terms.kind === 'amount' ? terms.amountFen : Math.floor((orderFen * terms.percentOff) / 100)
  return Math.min(off, orderFen)
}
