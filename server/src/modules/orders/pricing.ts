import { deductions, memberPriceFen, type CouponTerms, type PriceBreakdown, type Rules } from '@xianlin/shared'

/**
 * What a group-buy order costs, in fen, step by step: the tier's group price, the member level's
 * rate, then the coupon and points as every order takes them (`deductions`, shared with baskets).
 */
export function priceOrder(input: {
  listPriceFen: number
  groupPriceFen: number
  level: { name: string; priceRatePercent: number }
  coupon: CouponTerms | null
  pointsBalance: number
  usePoints: boolean
  points: Rules['points']
}): PriceBreakdown {
  const afterLevelFen = memberPriceFen(input.groupPriceFen, input.level.priceRatePercent)
  return {
    listPriceFen: input.listPriceFen,
    groupPriceFen: input.groupPriceFen,
    levelDiscountFen: input.groupPriceFen - afterLevelFen,
    levelName: input.level.name,
    ...deductions({ afterLevelFen, coupon: input.coupon, pointsBalance: input.pointsBalance, usePoints: input.usePoints, points: input.points }),
  }
}
