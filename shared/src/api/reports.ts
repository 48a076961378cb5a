import { z } from 'zod'
import { CHANNELS } from './events'
import { DaySchema } from './common'

/** The key figures of one business day (运营后台 → 概览). */
export const DayFiguresSchema = z.object({
  day: z.string(),
  newMembers: z.number().int(),
  checkins: z.number().int(),
  paidOrders: z.number().int(),
  paidFen: z.number().int(),
  /** Money refunds returned that day (by the day WeChat Pay confirmed them), whatever day the order was paid. */
  refundedFen: z.number().int(),
  /** `paidFen - refundedFen`. */
  netFen: z.number().int(),
  groupsSucceeded: z.number().int(),
  /** 兑换券核销: points-mall vouchers redeemed in store. */
  redemptions: z.number().int(),
  /** 提货核销: orders whose last line was handed over (at a store's desk or a leader's point). */
  pickups: z.number().int(),
})
export type DayFigures = z.infer<typeof DayFiguresSchema>

export const OverviewQuerySchema = z.strictObject({ days: z.coerce.number().int().min(2).max(31).default(14) })
export type OverviewQuery = z.infer<typeof OverviewQuerySchema>

/** Oldest day first; the last is today, the one before it yesterday. */
export const OverviewSchema = z.object({ timeZone: z.string(), days: z.array(DayFiguresSchema) })
export type Overview = z.infer<typeof OverviewSchema>

/** 概览 trend (#16): per business day, from the event rollups. */
export const GrowthTrendSchema = z.object({
  from: z.string(),
  to: z.string(),
  days: z.array(
    z.object({
      day: z.string(),
      dau: z.number().int(),
      wau: z.number().int(),
      mau: z.number().int(),
      newMembers: z.number().int(),
      payingMembers: z.number().int(),
      /** Paying members who had paid on an earlier day: divided by `payingMembers`, the repurchase rate. */
      repeatPayingMembers: z.number().int(),
      /** Money from the orders and refunds of the day, as 概览's cards: paid, refunded, and paid less refunded. */
      paidFen: z.number().int(),
      refundedFen: z.number().int(),
      netFen: z.number().int(),
      averageOrderFen: z.number().int(),
    }),
  ),
})
export type GrowthTrend = z.infer<typeof GrowthTrendSchema>
/** A range of at most `days` days, from ≤ to, with the console's wording. */
const withinDays =
  (days: number) =>
  (q: { from: string; to: string }, ctx: z.RefinementCtx): void => {
    if (q.from > q.to) ctx.addIssue({ code: 'custom', message: '开始日期不能晚于结束日期', path: ['from'] })
    else if ((Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 > days - 1) ctx.addIssue({ code: 'custom', message: `一次最多查询 ${days} 天`, path: ['to'] })
  }
const RANGE = { from: DaySchema, to: DaySchema }

export const GrowthTrendQuerySchema = z.strictObject(RANGE).superRefine(withinDays(93))

/**
 * What a member did on a business day, as the rollups keep it (one set of members per day and
 * kind): what retention and funnels are counted from.
 */
export const ACTIVITY_KINDS = ['any', 'register', 'visit', 'product_view', 'cart', 'group', 'order', 'payment', 'pickup', 'checkin'] as const
export type ActivityKind = (typeof ACTIVITY_KINDS)[number]
export const ACTIVITY_KIND_LABELS: Record<ActivityKind, string> = {
  any: '任意活跃',
  register: '注册',
  visit: '访问',
  product_view: '浏览商品',
  cart: '加购',
  group: '开团/参团',
  order: '下单',
  payment: '支付',
  pickup: '提货',
  checkin: '签到',
}

/** 留存: the returning activity a retained member did, D1/D7/D30 after registering. */
export const RETURNING_KINDS = ['any', 'checkin', 'payment'] as const
export const RETENTION_OFFSETS = [1, 7, 30] as const
export const RetentionQuerySchema = z.strictObject({ ...RANGE, returning: z.enum(RETURNING_KINDS).default('any') }).superRefine(withinDays(182))
export const RetentionReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  returning: z.enum(RETURNING_KINDS),
  /** Weekly cohorts of registration (Monday first), oldest first. */
  cohorts: z.array(
    z.object({
      week: z.string(),
      /** The Monday of the week. */
      start: z.string(),
      size: z.number().int(),
      /** Per offset: members whose day N is complete (`eligible`), and of them who came back that day. */
      offsets: z.array(z.object({ offset: z.number().int(), eligible: z.number().int(), retained: z.number().int(), rate: z.number().nullable() })),
    }),
  ),
})
export type RetentionReport = z.infer<typeof RetentionReportSchema>

/** 转化漏斗: ordered steps, each within `windowDays` of entering the funnel (the first step). */
export const FUNNEL_STEP_KINDS = ACTIVITY_KINDS.filter((k) => k !== 'any')
export const DEFAULT_FUNNEL = ['visit', 'product_view', 'cart', 'order', 'payment', 'pickup'] as const
export const FunnelQuerySchema = z
  .strictObject({
    ...RANGE,
    steps: z
      .string()
      .default(DEFAULT_FUNNEL.join(','))
      .transform((s) => s.split(','))
      .pipe(z.array(z.enum(ACTIVITY_KINDS.filter((k) => k !== 'any') as [ActivityKind, ...ActivityKind[]], { message: '未知的漏斗步骤' })).min(2, '漏斗至少两步').max(6, '漏斗最多六步')),
    windowDays: z.coerce.number().int().min(1, '转化窗口至少 1 天').max(30, '转化窗口最多 30 天').default(7),
  })
  .superRefine(withinDays(93))
export const FUNNEL_CHANNELS = [...CHANNELS, 'unknown'] as const
export const CHANNEL_LABELS: Record<(typeof FUNNEL_CHANNELS)[number], string> = {
  invite: '好友邀请',
  share_card: '分享卡片',
  poster: '海报扫码',
  leader: '团长链接',
  organic: '自然进入',
  unknown: '未知（统计上线前注册）',
}
export const FunnelReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  steps: z.array(z.enum(ACTIVITY_KINDS)),
  windowDays: z.number().int(),
  /** Members who reached each step, in step order (the first is everyone who entered). */
  reached: z.array(z.number().int()),
  byChannel: z.array(z.object({ channel: z.enum(FUNNEL_CHANNELS), reached: z.array(z.number().int()) })),
})
export type FunnelReport = z.infer<typeof FunnelReportSchema>

/** 用户分层: lifecycle tiers, thresholds from the rules (`lifecycle`). */
export const LIFECYCLE_TIERS = ['new', 'active', 'occasional', 'silent_early', 'silent_mid', 'silent_late', 'lost'] as const
export type LifecycleTier = (typeof LIFECYCLE_TIERS)[number]
/** Short names of the tiers (filters, tags); the report's own labels add the rules' day counts. */
export const LIFECYCLE_TIER_NAMES: Record<LifecycleTier, string> = { new: '新客', active: '活跃', occasional: '低频', silent_early: '沉默（初期）', silent_mid: '沉默（中期）', silent_late: '沉默（后期）', lost: '流失' }
export const LifecycleQuerySchema = z.strictObject(RANGE).superRefine(withinDays(182))
const TierSchema = z.enum(LIFECYCLE_TIERS)
export const LifecycleReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** The tiers in order, named with the rules' numbers (沉默 30–45 天…). */
  tiers: z.array(z.object({ key: TierSchema, label: z.string() })),
  /** Weekly points ending on `to`: members in each tier that day. */
  points: z.array(z.object({ day: z.string(), counts: z.record(TierSchema, z.number().int()) })),
  /** From each point to the next: members by the tier they were in and the tier they moved to (stayers included). */
  flows: z.array(z.object({ from: z.string(), to: z.string(), moves: z.array(z.object({ from: TierSchema, to: TierSchema, members: z.number().int() })) })),
})
export type LifecycleReport = z.infer<typeof LifecycleReportSchema>

/** 签到: streak lengths as operators read them. */
export const STREAK_BUCKETS = [
  { key: '1', label: '1 天', min: 1 },
  { key: '2-3', label: '2–3 天', min: 2 },
  { key: '4-6', label: '4–6 天', min: 4 },
  { key: '7-13', label: '7–13 天', min: 7 },
  { key: '14-29', label: '14–29 天', min: 14 },
  { key: '30+', label: '30 天以上', min: 30 },
] as const
export type StreakBucket = (typeof STREAK_BUCKETS)[number]['key']
/** The bucket a check-in's streak (counting that day) falls in. */
export const streakBucketOf = (streak: number): StreakBucket => [...STREAK_BUCKETS].reverse().find((b) => streak >= b.min)?.key ?? '1'
const StreakCountsSchema = z.record(z.enum(STREAK_BUCKETS.map((b) => b.key) as [StreakBucket, ...StreakBucket[]]), z.number().int())

export const CheckinReportQuerySchema = z.strictObject(RANGE).superRefine(withinDays(93))
export const CheckinReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** Per day: check-ins by the streak they reached, and make-ups done that day. */
  days: z.array(z.object({ day: z.string(), checkins: z.number().int(), makeups: z.number().int(), byStreak: StreakCountsSchema })),
  byStreak: StreakCountsSchema,
  /** Members who checked in within the range, and of them who paid within `windowDays` of their first check-in there. */
  conversion: z.object({ windowDays: z.number().int(), checkedIn: z.number().int(), paid: z.number().int() }),
})
export type CheckinReport = z.infer<typeof CheckinReportSchema>

/** 拼团: groups that ended in the range, by activity and size. */
export const GroupbuyReportQuerySchema = z.strictObject(RANGE).superRefine(withinDays(93))
export const GroupbuyReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  rows: z.array(
    z.object({
      activityId: z.string(),
      /** The activity's title, or null when it no longer exists. */
      title: z.string().nullable(),
      size: z.number().int(),
      succeeded: z.number().int(),
      failed: z.number().int(),
      /** Of the succeeded, how many the 差一人自动成团 rule completed. */
      autoFilled: z.number().int(),
      /** Average minutes from opening to filling, over the succeeded; null when none. */
      averageFillMinutes: z.number().int().nullable(),
    }),
  ),
})
export type GroupbuyReport = z.infer<typeof GroupbuyReportSchema>

/** 邀请裂变: channels through which a friend brought the member (everything but organic). */
export const REFERRAL_CHANNELS: readonly (typeof CHANNELS)[number][] = CHANNELS.filter((c) => c !== 'organic')
export const InvitationReportQuerySchema = z.strictObject(RANGE).superRefine(withinDays(182))
export const InvitationReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** Per week (Monday first, clipped to the range). */
  weeks: z.array(
    z.object({
      week: z.string(),
      start: z.string(),
      shares: z.number().int(),
      shareOpens: z.number().int(),
      /** New members who came through a friend (invite, share card, poster, leader link). */
      referredMembers: z.number().int(),
      /** Members who came through a friend and paid for the first time that week. */
      referredFirstOrders: z.number().int(),
      activeMembers: z.number().int(),
      /** Viral coefficient: friends brought in per active member that week. */
      kFactor: z.number().nullable(),
    }),
  ),
  /** Who shared the most opened cards in the range. */
  topSharers: z.array(z.object({ userId: z.string(), nickname: z.string().nullable(), opens: z.number().int() })),
})
export type InvitationReport = z.infer<typeof InvitationReportSchema>

/** RFM: the eight segments of high/low recency, frequency and monetary value. */
export const RFM_SEGMENTS = ['champion', 'promising_big', 'loyal_lapsing', 'big_lapsing', 'loyal_small', 'newcomer', 'regular_lapsing', 'lapsed_small'] as const
export type RfmSegment = (typeof RFM_SEGMENTS)[number]
export const RFM_SEGMENT_LABELS: Record<RfmSegment, { name: string; hint: string }> = {
  champion: { name: '重要价值（高价值）', hint: '近期买过、常买、花得多：重点维护' },
  promising_big: { name: '重要发展', hint: '近期买过、花得多但不常买：提高购买频次' },
  loyal_lapsing: { name: '重要保持', hint: '常买、花得多但近期没来：及时召回' },
  big_lapsing: { name: '重要挽留', hint: '花得多但不常买、近期没来：重点挽留' },
  loyal_small: { name: '一般价值', hint: '近期买过、常买但客单低：提升客单价' },
  newcomer: { name: '一般发展（潜力）', hint: '近期买过、次数少、金额低：培养复购' },
  regular_lapsing: { name: '一般保持', hint: '常买但金额低、近期没来' },
  lapsed_small: { name: '一般挽留', hint: '近期没来、次数少、金额低' },
}
/** The segment of high (true) or low recency, frequency and monetary value. */
export function rfmSegment(recent: boolean, frequent: boolean, valuable: boolean): RfmSegment {
  if (valuable) return recent ? (frequent ? 'champion' : 'promising_big') : frequent ? 'loyal_lapsing' : 'big_lapsing'
  return recent ? (frequent ? 'loyal_small' : 'newcomer') : frequent ? 'regular_lapsing' : 'lapsed_small'
}

export const RfmQuerySchema = z.strictObject({ to: DaySchema })
export const RfmReportSchema = z.object({
  to: z.string(),
  /** The window and thresholds used (from the rules). */
  windowDays: z.number().int(),
  recentDays: z.number().int(),
  frequentOrders: z.number().int(),
  valuableFen: z.number().int(),
  segments: z.array(z.object({ segment: z.enum(RFM_SEGMENTS), members: z.number().int(), paidFen: z.number().int() })),
})
export type RfmReport = z.infer<typeof RfmReportSchema>
export const RfmMembersQuerySchema = z.strictObject({
  to: DaySchema,
  segment: z.enum(RFM_SEGMENTS, { message: '未知的分群' }),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})
export const RfmMembersSchema = z.object({
  segment: z.enum(RFM_SEGMENTS),
  total: z.number().int(),
  /** Highest paid first. */
  members: z.array(z.object({ userId: z.string(), nickname: z.string().nullable(), lastPaidDay: z.string(), orders: z.number().int(), paidFen: z.number().int() })),
})
export type RfmMembers = z.infer<typeof RfmMembersSchema>

/** 积分负债: points held and not yet expired, and the monthly flows. */
export const PointsLiabilityQuerySchema = z.strictObject({ months: z.coerce.number().int().min(1, '至少 1 个月').max(24, '最多 24 个月').default(6) })
export const PointsLiabilitySchema = z.object({
  /** The business day of `computedAt`. */
  asOf: z.string(),
  /** When the hourly job last read the ledger (ISO); null before its first run. */
  computedAt: z.string().nullable(),
  pointsPerYuan: z.number().int(),
  /** Their value if all were spent at the rules' rate, in fen. */
  outstanding: z.object({ points: z.number().int(), fen: z.number().int() }),
  byExpiryMonth: z.array(z.object({ month: z.string(), points: z.number().int(), fen: z.number().int() })),
  /**
   * Per month, oldest first: earned, spent net of points given back, expired, and the rest
   * (`adjusted`: operators' adjustments, points taken back after a refund, pending points
   * cancelled; negative when more left than came). earned − spent − expired + adjusted is the
   * month's change in the points members hold.
   */
  flows: z.array(z.object({ month: z.string(), earned: z.number().int(), spent: z.number().int(), expired: z.number().int(), adjusted: z.number().int() })),
})
export type PointsLiability = z.infer<typeof PointsLiabilitySchema>
/** 重新统计: the job runs now (202); the report shows its figures once `computedAt` moves on. */
export const PointsLiabilityRefreshSchema = z.object({ refreshing: z.literal(true) })

/** 团长: each leader's members, new members, orders, amount paid and commission in the range. */
export const LeaderReportQuerySchema = z.strictObject(RANGE).superRefine(withinDays(93))
export const LeaderReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** Most paid first. */
  leaders: z.array(
    z.object({
      leaderId: z.string(),
      name: z.string(),
      community: z.string(),
      state: z.enum(['active', 'suspended']),
      /** Members bound to the leader now. */
      members: z.number().int(),
      newMembers: z.number().int(),
      orders: z.number().int(),
      /** Members who paid for an order at the leader's point. */
      buyers: z.number().int(),
      paidFen: z.number().int(),
      /** Refunds returned in the range for orders at the leader's point (by when they returned), and paid − refunded. */
      refundedFen: z.number().int(),
      netFen: z.number().int(),
      commissionFen: z.number().int(),
    }),
  ),
})
export type LeaderReport = z.infer<typeof LeaderReportSchema>
