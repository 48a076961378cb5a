import { couponDiscountFen, memberPriceFen, type CouponTerms, type PriceBreakdown, type Rules } from '@xianlin/shared'

/**
 * What a group-buy order costs, in fen, step by step: the tier's group price, the member level's
 * rate, one coupon, then points (at most `maxDeductionPercent` of what is left, and the payment
 * is always at least 1 fen, WeChat Pay's minimum). Integers only.
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
  const afterLevel = memberPriceFen(input.groupPriceFen, input.level.priceRatePercent)
  const couponFen = input.coupon ? Math.min(couponDiscountFen(input.coupon, afterLevel), afterLevel - 1) : 0
  const afterCoupon = afterLevel - couponFen
  let pointsFen = 0
  let pointsUsed = 0
  if (input.usePoints && input.pointsBalance > 0) {
    const maxFen = Math.min(Math.floor((afterCoupon * input.points.maxDeductionPercent) / 100), afterCoupon - 1)
    pointsFen = Math.max(0, Math.min(maxFen, Math.floor((input.pointsBalance * 100) / input.points.pointsPerYuan)))
    pointsUsed = Math.ceil((pointsFen * input.points.pointsPerYuan) / 100)
  }
  return {
    listPriceFen: input.listPriceFen,
    groupPriceFen: input.groupPriceFen,
    levelDiscountFen: input.groupPriceFen - afterLevel,
    levelName: input.level.name,
    couponFen,
    pointsUsed,
    pointsFen,
    payFen: afterCoupon - pointsFen,
  }
}
