import { formatFen, type PublicRules } from '@xianlin/shared'

/**
 * Phrases about rules that more than one page says, built from the rules the server has in force
 * (useRules), so a number on a page never disagrees with the rule it describes.
 */
export const yuanText = (fen: number) => `${formatFen(fen, { trimZeros: true, symbol: false })} 元`

export const checkinBonusText = (r: PublicRules) => `连签 ${r.checkin.cycleDays} 天额外送 ${r.checkin.cycleBonusPoints} 积分`

export const pointsValueText = (r: PublicRules) => `${r.points.pointsPerYuan} 积分可抵 1 元`

export const inviteRewardText = (r: PublicRules) => `好友首单你得 ${r.referral.inviterPointsOnFirstOrder} 积分`

export const inviteeGiftText = (r: PublicRules) => `${yuanText(r.referral.inviteeCouponFen)}新人券`

export const assistText = (r: PublicRules) => `邀 ${r.assist.helpersNeeded} 位好友 ${r.assist.windowHours} 小时内助力`

export const initiatorCouponText = (r: PublicRules) => `开团人额外获得 ${yuanText(r.groupbuy.initiatorCouponFen)}无门槛券`

/** `今晚 23 点前下单，明天自提` from the rules' cut-off hour and how many days later goods are picked up. */
export const sessionRuleText = (r: PublicRules) => {
  const when = ['当天', '明天', '后天'][r.shop.pickupDaysAfter] ?? `${r.shop.pickupDaysAfter} 天后`
  return `${r.shop.cutoffHour >= 18 ? '今晚' : '今天'} ${r.shop.cutoffHour} 点前下单，${when}自提`
}
