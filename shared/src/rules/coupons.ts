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

/** How checkout picks a coupon when the shopper has not chosen (rules `shop.couponChoice`). */
export const COUPON_CHOICES = ['best_saving', 'none'] as const
export type CouponChoice = (typeof COUPON_CHOICES)[number]

/**
 * The coupon a checkout takes unless the shopper chooses (DESIGN.md, Shop): with `best_saving`,
 * the one that takes most off this order; among equals the one that expires first (it would be
 * lost first), then the lowest id, so the choice is the same on every call. Null when none saves.
 */
export function defaultCoupon<T extends { id: string; discountFen: number; validTo: string }>(options: readonly T[], choice: CouponChoice): T | null {
  if (choice === 'none') return null
  const saving = options.filter((o) => o.discountFen > 0)
  saving.sort((a, b) => b.discountFen - a.discountFen || Date.parse(a.validTo) - Date.parse(b.validTo) || (a.id < b.id ? -1 : 1))
  return saving[0] ?? null
}
