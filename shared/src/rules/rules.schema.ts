import { z } from 'zod'
import { isValidTimeZone } from '../time'
import { COUPON_CHOICES } from './coupons'

/**
 * The product's rules (DESIGN.md), as operators set them in `config/rules.json`. Every object is
 * strict: an unknown or misspelt key fails start-up with its path, so a typo never silently falls
 * back to a default. Money in fen, durations in the unit their name says.
 */
const int = z.number().int()
const nonNeg = int.min(0)
const pos = int.min(1)
const percent = int.min(0).max(100)

const RewardCapsSchema = z.strictObject({
  perUserPerDay: nonNeg.nullable(),
  perUserPerWeek: nonNeg.nullable(),
  perUserLifetime: nonNeg.nullable(),
  /** Total points (or coupons) the rule may give across all users; null = unlimited. */
  campaignBudget: nonNeg.nullable(),
})

const LevelSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]*$/),
  name: z.string().min(1),
  minGrowth: nonNeg,
  /** Price paid as a percentage of the price before the member discount (98 = 2% off). */
  priceRatePercent: percent,
  benefits: z.array(z.string().min(1)),
})

/** A coupon a perk grants (pickup shop: an amount off above a spend, never "free shipping"). */
const PerkCouponSchema = z.strictObject({ name: z.string().min(1).max(20), amountFen: pos, minSpendFen: nonNeg, validDays: pos.max(366) })
const levelKey = z.string().regex(/^[a-z][a-z0-9_]*$/)

/**
 * Member perks (DESIGN.md, Member levels), each for members at `minLevel` or above, or off (null):
 * a birthday coupon once a year, coupons on the 1st of each month, and early access to new
 * group-buys `hours` before everyone else.
 */
const PerksSchema = z.strictObject({
  birthday: z.strictObject({ minLevel: levelKey, coupon: PerkCouponSchema }).nullable(),
  monthly: z.strictObject({ minLevel: levelKey, count: pos.max(10), coupon: PerkCouponSchema }).nullable(),
  earlyAccess: z.strictObject({ minLevel: levelKey, hours: pos.max(168) }).nullable(),
})

export const RulesSchema = z.strictObject({
  business: z.strictObject({
    timeZone: z.string().refine(isValidTimeZone, 'not an IANA time zone'),
    brandName: z.string().min(1),
  }),
  levels: z.strictObject({
    retention: z.discriminatedUnion('mode', [
      z.strictObject({ mode: z.literal('lifetime') }),
      z.strictObject({ mode: z.literal('rolling'), windowDays: pos, warnDaysBefore: pos }),
    ]),
    tiers: z
      .array(LevelSchema)
      .min(1)
      .refine((t) => t[0]?.minGrowth === 0, 'the first level must start at 0 growth')
      .refine((t) => t.every((l, i) => i === 0 || l.minGrowth > t[i - 1]!.minGrowth), 'levels must rise strictly'),
  }),
  perks: PerksSchema.default({ birthday: null, monthly: null, earlyAccess: null }),
  /**
   * 用户分层 (growth analytics): a member is 新客 for `newDays` after registering, 活跃 with at least
   * `activeMinDays` active days in the last `activeWindowDays`, 沉默 after `silentAfterDays` without
   * activity (split where `silentMidDays` and `silentLateDays` begin), 流失 after `lostAfterDays`.
   */
  lifecycle: z
    .strictObject({ newDays: pos, activeWindowDays: pos, activeMinDays: pos, silentAfterDays: pos, silentMidDays: pos, silentLateDays: pos, lostAfterDays: pos })
    .refine((l) => l.silentAfterDays < l.silentMidDays && l.silentMidDays < l.silentLateDays && l.silentLateDays < l.lostAfterDays, '沉默各段与流失的天数必须依次增大')
    .refine((l) => l.activeWindowDays <= l.silentAfterDays, '活跃统计窗口不能长于沉默天数')
    .default({ newDays: 7, activeWindowDays: 30, activeMinDays: 2, silentAfterDays: 30, silentMidDays: 46, silentLateDays: 61, lostAfterDays: 90 }),
  /**
   * RFM (growth analytics): over the last `windowDays`, a member is recent when they last paid within
   * `recentDays`, frequent with at least `frequentOrders` payments, valuable with at least
   * `valuableFen` paid; the three highs and lows make the eight segments.
   */
  rfm: z
    .strictObject({ windowDays: pos, recentDays: pos, frequentOrders: pos, valuableFen: pos })
    .refine((r) => r.recentDays <= r.windowDays, '最近购买天数不能超过统计窗口')
    .default({ windowDays: 180, recentDays: 30, frequentOrders: 3, valuableFen: 50000 }),
  /**
   * 用户运营 guard rails: at most one marketing touch per member every `minDaysBetweenTouches` days
   * and `maxTouchesPer30Days` in 30 days; nothing is sent from `quietFromHour` to `quietUntilHour`
   * (business time); every campaign keeps `holdoutPercent` of its targets as an untouched holdout.
   * A campaign's effect is measured over `upliftWindowDays` after each member's (virtual) reach and
   * concluded only once each arm holds `minArmMembers` members whose window has passed.
   */
  marketing: z
    .strictObject({
      minDaysBetweenTouches: pos,
      maxTouchesPer30Days: pos,
      quietFromHour: int.min(0).max(23),
      quietUntilHour: int.min(0).max(23),
      holdoutPercent: int.min(0).max(50),
      upliftWindowDays: pos.max(60).default(7),
      minArmMembers: pos.default(200),
    })
    .default({ minDaysBetweenTouches: 3, maxTouchesPer30Days: 4, quietFromHour: 21, quietUntilHour: 9, holdoutPercent: 10, upliftWindowDays: 7, minArmMembers: 200 }),
  growth: z.strictObject({
    perYuanPaid: nonNeg,
    firstOrder: nonNeg,
    checkin: nonNeg,
    review: nonNeg,
  }),
  points: z.strictObject({
    perYuanPaid: nonNeg,
    review: nonNeg,
    expiryDays: pos,
    pendingDays: nonNeg,
    /** How many points make one yuan of cash deduction. */
    pointsPerYuan: pos,
    maxDeductionPercent: percent,
  }),
  checkin: z.strictObject({
    cycleDays: pos,
    dailyPoints: nonNeg,
    cycleBonusPoints: nonNeg,
    makeupPerMonth: nonNeg,
    makeupCostPoints: nonNeg,
    /** Business-time hour from which the daily reminder goes to those not checked in yet. */
    reminderHour: int.min(0).max(23),
    caps: RewardCapsSchema,
  }),
  share: z.strictObject({ pointsPerEffectiveShare: nonNeg, caps: RewardCapsSchema }),
  /** 评价/晒单: the text's length limit and the words refused before WeChat's own content check. */
  reviews: z.strictObject({ maxLength: pos, bannedWords: z.array(z.string().min(1).max(20)).max(500) }).default({ maxLength: 500, bannedWords: [] }),
  referral: z.strictObject({
    bindWithinHours: pos,
    inviterPointsOnPhoneBound: nonNeg,
    inviterPointsOnFirstOrder: nonNeg,
    inviteeCouponFen: nonNeg,
    milestones: z.array(z.strictObject({ invitations: pos, points: nonNeg })),
    caps: RewardCapsSchema,
    /**
     * Velocity rules: an invitation lands in the review queue instead of paying when its inviter
     * bound more than `maxInviteesPerHour` friends in the hour before it, or when the friend's
     * device already carries more than `maxAccountsPerDevice` accounts.
     */
    review: z.strictObject({ maxInviteesPerHour: pos, maxAccountsPerDevice: pos }).default({ maxInviteesPerHour: 5, maxAccountsPerDevice: 3 }),
  }),
  /**
   * 助力: `helpersNeeded` friends within `windowHours` win the owner a voucher (within `caps`, per
   * owner); a friend helps at most `helpsPerDay` assists a business day (null: no limit).
   */
  assist: z.strictObject({ helpersNeeded: pos, windowHours: pos, newUsersOnly: z.boolean(), helpsPerDay: pos.nullable().default(3), caps: RewardCapsSchema }),
  groupbuy: z.strictObject({
    defaultTiers: z.array(z.strictObject({ size: int.min(2), priceRatePercent: percent })).min(1),
    groupDurationHours: pos,
    seatHoldMinutes: pos,
    initiatorCouponFen: nonNeg,
    autoFill: z.boolean(),
  }),
  orders: z.strictObject({ refundWindowDays: nonNeg }),
  /**
   * The basket shop (社区团购): each sale day's session takes orders until `cutoffHour` and is picked
   * up `pickupDaysAfter` days later from `pickupHour` (business time); shoppers may order for the
   * open session and `orderDaysAhead` more; a basket holds at most `basketMaxLines` lines; checkout
   * takes the coupon `couponChoice` picks unless the shopper chooses; search matches pinyin and
   * initials when `pinyinSearch` is on.
   */
  shop: z
    .strictObject({
      cutoffHour: int.min(1).max(24),
      pickupHour: int.min(0).max(23),
      pickupDaysAfter: int.min(0).max(7),
      orderDaysAhead: int.min(0).max(13),
      basketMaxLines: pos.max(50),
      couponChoice: z.enum(COUPON_CHOICES),
      pinyinSearch: z.boolean(),
    })
    .default({ cutoffHour: 23, pickupHour: 16, pickupDaysAfter: 1, orderDaysAhead: 1, basketMaxLines: 50, couponChoice: 'best_saving', pinyinSearch: true }),
  mall: z.strictObject({ voucherValidDays: pos, refundExpiredVouchers: z.boolean() }),
  leaders: z.strictObject({ commissionPercent: percent, commissionFrozenDays: nonNeg }),
  /**
   * 售后: a line may be claimed within `windowHours` of its pickup with at most `maxPhotos` photos.
   * Operators approve; a leader may too when the amount is below `leaderApproveBelowFen` (null:
   * never). A request below `autoApproveBelowFen` (null: never) from a member with no earlier
   * request in `autoApproveQuietDays` is approved at once. Shortages refund `shortageOrder` first.
   */
  afterSale: z
    .strictObject({
      windowHours: pos,
      maxPhotos: int.min(0).max(9),
      leaderApproveBelowFen: nonNeg.nullable(),
      autoApproveBelowFen: nonNeg.nullable(),
      autoApproveQuietDays: pos,
      shortageOrder: z.enum(['latest_first']),
    })
    .default({ windowHours: 48, maxPhotos: 3, leaderApproveBelowFen: null, autoApproveBelowFen: 1000, autoApproveQuietDays: 30, shortageOrder: 'latest_first' }),
})

export type Rules = z.infer<typeof RulesSchema>

/** Where a rules object breaks the schema, one line per problem naming the key's path. */
/** Perks naming a level that does not exist (the schema alone cannot see across sections). */
export function perkLevelProblems(r: Rules): Array<{ path: string; message: string }> {
  const keys = new Set(r.levels.tiers.map((t) => t.key))
  return (['birthday', 'monthly', 'earlyAccess'] as const).flatMap((perk) => {
    const level = r.perks[perk]?.minLevel
    return level && !keys.has(level) ? [{ path: `perks.${perk}.minLevel`, message: `no level "${level}" in levels.tiers` }] : []
  })
}

export function describeRulesProblems(input: unknown): string[] {
  const result = RulesSchema.safeParse(input)
  if (result.success) return perkLevelProblems(result.data).map((p) => `"${p.path}": ${p.message}`)
  return result.error.issues.map((issue) => {
    const at = issue.path.length ? issue.path.join('.') : '(root)'
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => `unknown key "${[...issue.path, k].join('.')}"`).join('; ')
    }
    return `"${at}": ${issue.message}`
  })
}

/** 运营后台 → 规则设置: the rules in force and which saved version they are (0: the rules file). */
export const RulesViewSchema = z.object({
  version: z.number().int(),
  rules: RulesSchema,
  savedAt: z.string().nullable(),
  savedBy: z.string().nullable(),
  reason: z.string().nullable(),
})
export type RulesView = z.infer<typeof RulesViewSchema>

/** Saving a new version: the whole rules object, the version it was edited from, and why. */
export const SaveRulesRequestSchema = z.strictObject({
  baseVersion: z.number().int().min(0),
  rules: z.unknown(),
  reason: z.string().trim().min(2, '请写明修改原因').max(200),
})
export type SaveRulesRequest = z.infer<typeof SaveRulesRequestSchema>

export const RulesChangeSchema = z.object({ path: z.string(), before: z.unknown(), after: z.unknown() })
export const RulesHistorySchema = z.object({
  versions: z.array(z.object({ version: z.number().int(), savedAt: z.string(), savedBy: z.string(), reason: z.string(), changes: z.array(RulesChangeSchema) })),
})

/**
 * The rules a shopper's pages quote (GET /api/rules, public): every number the mini-program shows
 * about a rule comes from here, never from page copy. Caps, budgets and internal switches stay out.
 */
export const PublicRulesSchema = z.object({
  brandName: z.string(),
  checkin: RulesSchema.shape.checkin.pick({ cycleDays: true, dailyPoints: true, cycleBonusPoints: true, makeupPerMonth: true, makeupCostPoints: true }),
  points: RulesSchema.shape.points.pick({ perYuanPaid: true, review: true, expiryDays: true, pendingDays: true, pointsPerYuan: true, maxDeductionPercent: true }),
  growth: RulesSchema.shape.growth.pick({ perYuanPaid: true, firstOrder: true, checkin: true, review: true }),
  referral: RulesSchema.shape.referral.pick({ bindWithinHours: true, inviterPointsOnPhoneBound: true, inviterPointsOnFirstOrder: true, inviteeCouponFen: true, milestones: true }),
  assist: RulesSchema.shape.assist.pick({ helpersNeeded: true, windowHours: true }),
  groupbuy: RulesSchema.shape.groupbuy.pick({ groupDurationHours: true, seatHoldMinutes: true, initiatorCouponFen: true }),
  mall: RulesSchema.shape.mall.pick({ voucherValidDays: true }),
  orders: RulesSchema.shape.orders.pick({ refundWindowDays: true }),
  shop: z.object({ cutoffHour: z.number().int(), pickupHour: z.number().int(), pickupDaysAfter: z.number().int(), orderDaysAhead: z.number().int(), basketMaxLines: z.number().int() }),
  leaders: RulesSchema.shape.leaders.pick({ commissionPercent: true }),
  afterSale: z.object({ windowHours: z.number().int(), maxPhotos: z.number().int() }),
  perks: PerksSchema,
  levels: z.array(LevelSchema.pick({ key: true, name: true, minGrowth: true, priceRatePercent: true, benefits: true })),
})
export type PublicRules = z.infer<typeof PublicRulesSchema>

export function publicRules(r: Rules): PublicRules {
  const pick = <T extends object, K extends keyof T>(o: T, keys: K[]) => Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>
  return {
    brandName: r.business.brandName,
    checkin: pick(r.checkin, ['cycleDays', 'dailyPoints', 'cycleBonusPoints', 'makeupPerMonth', 'makeupCostPoints']),
    points: pick(r.points, ['perYuanPaid', 'review', 'expiryDays', 'pendingDays', 'pointsPerYuan', 'maxDeductionPercent']),
    growth: pick(r.growth, ['perYuanPaid', 'firstOrder', 'checkin', 'review']),
    referral: pick(r.referral, ['bindWithinHours', 'inviterPointsOnPhoneBound', 'inviterPointsOnFirstOrder', 'inviteeCouponFen', 'milestones']),
    assist: pick(r.assist, ['helpersNeeded', 'windowHours']),
    groupbuy: pick(r.groupbuy, ['groupDurationHours', 'seatHoldMinutes', 'initiatorCouponFen']),
    mall: pick(r.mall, ['voucherValidDays']),
    orders: pick(r.orders, ['refundWindowDays']),
    shop: pick(r.shop, ['cutoffHour', 'pickupHour', 'pickupDaysAfter', 'orderDaysAhead', 'basketMaxLines']),
    leaders: pick(r.leaders, ['commissionPercent']),
    afterSale: pick(r.afterSale, ['windowHours', 'maxPhotos']),
    perks: r.perks,
    levels: r.levels.tiers.map((l) => pick(l, ['key', 'name', 'minGrowth', 'priceRatePercent', 'benefits'])),
  }
}
