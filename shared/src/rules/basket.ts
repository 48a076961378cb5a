import type { PriceBreakdown } from '../api/groupbuy'
import { allocateLargestRemainder } from './allocation'
import { couponDiscountFen, type CouponTerms } from './coupons'
import { memberPriceFen } from './levels'

/** The points rules a price needs: how many points make a yuan, and the most of an order they may pay. */
export interface PointsTerms {
  pointsPerYuan: number
  maxDeductionPercent: number
}

/**
 * What comes off an amount after the member discount, in order (DESIGN.md, Points; Coupons): one
 * coupon (never to below 1 fen, WeChat Pay's minimum), then points, at most `maxDeductionPercent`
 * of what is left and never the last fen. Points pay whole fen: the points used are rounded up.
 */
export function deductions(input: { afterLevelFen: number; coupon: CouponTerms | null; pointsBalance: number; usePoints: boolean; points: PointsTerms }) {
  const { afterLevelFen: afterLevel, points } = input
  const couponFen = input.coupon ? Math.min(couponDiscountFen(input.coupon, afterLevel), afterLevel - 1) : 0
  const afterCoupon = afterLevel - couponFen
  let pointsFen = 0
  let pointsUsed = 0
  if (input.usePoints && input.pointsBalance > 0) {
    const maxFen = Math.min(Math.floor((afterCoupon * points.maxDeductionPercent) / 100), afterCoupon - 1)
    pointsFen = Math.max(0, Math.min(maxFen, Math.floor((input.pointsBalance * 100) / points.pointsPerYuan)))
    pointsUsed = Math.ceil((pointsFen * points.pointsPerYuan) / 100)
  }
  return { couponFen, pointsUsed, pointsFen, payFen: afterCoupon - pointsFen }
}

/** A line of a basket as priced: `unitFen` is the session's price before the member discount. */
export interface BasketLinePrice {
  quantity: number
  listUnitFen: number
  unitFen: number
}

/**
 * A priced line: the member's unit price, the line total, and its share of the coupon and the
 * points; `payFen` is what the line was paid, which is what refunding the line pays back.
 */
export interface PricedLine {
  quantity: number
  listUnitFen: number
  memberUnitFen: number
  lineFen: number
  couponFen: number
  pointsFen: number
  payFen: number
}

/**
 * Prices a basket (DESIGN.md, Shop): each unit at the member's rate of its session price, one
 * coupon and points on the whole, then the coupon allocated to the lines in proportion to their
 * totals and the points in proportion to what each line has left, by largest remainder. Every
 * share is whole fen, no share is negative or above its line, and the lines' `payFen` add up to
 * the order's exactly.
 */
export function priceBasket(input: {
  lines: readonly BasketLinePrice[]
  level: { name: string; priceRatePercent: number }
  coupon: CouponTerms | null
  pointsBalance: number
  usePoints: boolean
  points: PointsTerms
}): { price: PriceBreakdown; lines: PricedLine[] } {
  const members = input.lines.map((l) => memberPriceFen(l.unitFen, input.level.priceRatePercent))
  const totals = input.lines.map((l, i) => members[i]! * l.quantity)
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
  const afterLevelFen = sum(totals)
  const beforeLevelFen = sum(input.lines.map((l) => l.unitFen * l.quantity))
  const d = deductions({ afterLevelFen, coupon: input.coupon, pointsBalance: input.pointsBalance, usePoints: input.usePoints, points: input.points })
  const couponShares = allocateLargestRemainder(d.couponFen, totals)
  const pointsShares = allocateLargestRemainder(d.pointsFen, totals.map((t, i) => t - couponShares[i]!))
  return {
    price: {
      listPriceFen: sum(input.lines.map((l) => l.listUnitFen * l.quantity)),
      groupPriceFen: beforeLevelFen,
      levelDiscountFen: beforeLevelFen - afterLevelFen,
      levelName: input.level.name,
      ...d,
    },
    lines: input.lines.map((l, i) => ({
      quantity: l.quantity,
      listUnitFen: l.listUnitFen,
      memberUnitFen: members[i]!,
      lineFen: totals[i]!,
      couponFen: couponShares[i]!,
      pointsFen: pointsShares[i]!,
      payFen: totals[i]! - couponShares[i]! - pointsShares[i]!,
    })),
  }
}
