import { z } from 'zod'
import { UserViewSchema } from './auth'
import { DaySchema } from './common'
import { addDays } from '../rules/checkin'
import { LIFECYCLE_TIERS, RFM_SEGMENTS } from './reports'
import { MembershipViewSchema } from './membership'
import { PointsSummarySchema } from './points'

/**
 * 运营后台 → 会员: find a member by id (24 hex) or by the start of their nickname; or the members
 * of one group: an RFM cell (`segment`, over the window ending `day`) or a lifecycle tier (`tier`
 * on `day`) as the reports count them, a level (its key), points held at least `minPoints`, paid at
 * least `minPaidFen` in the RFM window ending `day`, not active for `inactiveDays` before `day`, or
 * registered between `registeredFrom` and `registeredTo` (a 留存 cohort); without any, every member
 * newest first. A page at a time: the cursor is the member number the page before stopped at, or
 * in a group, how many came before.
 */
const MEMBER_FILTERS = ['q', 'segment', 'tier', 'level', 'minPoints', 'minPaidFen', 'inactiveDays', 'registeredFrom'] as const
export const MemberSearchQuerySchema = z
  .strictObject({
    q: z.string().trim().min(1, '请输入会员 ID 或昵称').max(40).optional(),
    segment: z.enum(RFM_SEGMENTS, { message: '未知的分群' }).optional(),
    tier: z.enum(LIFECYCLE_TIERS, { message: '未知的分层' }).optional(),
    level: z.string().trim().min(1).max(20).regex(/^[a-z0-9_]+$/, '未知的等级').optional(),
    minPoints: z.coerce.number().int().min(1, '积分下限至少为 1').max(100_000_000).optional(),
    minPaidFen: z.coerce.number().int().min(1, '消费下限至少为 1 分').max(10_000_000_000).optional(),
    inactiveDays: z.coerce.number().int().min(1, '未活跃天数至少为 1').max(365, '未活跃天数最多 365').optional(),
    registeredFrom: DaySchema.optional(),
    registeredTo: DaySchema.optional(),
    day: DaySchema.optional(),
    cursor: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .refine((q) => MEMBER_FILTERS.filter((k) => q[k] !== undefined).length <= 1, { message: '搜索和各项筛选一次只能选一个', path: ['segment'] })
  .refine((q) => (q.registeredFrom === undefined) === (q.registeredTo === undefined), { message: '注册时间需要起止两天', path: ['registeredTo'] })
  .refine((q) => !q.registeredFrom || !q.registeredTo || (q.registeredFrom <= q.registeredTo && addDays(q.registeredFrom, 92) >= q.registeredTo), { message: '注册时间的起止需在 93 天之内，且起不晚于止', path: ['registeredTo'] })
export type MemberSearchQuery = z.infer<typeof MemberSearchQuerySchema>

/** What growth analytics knows of a member: last active day, lifecycle tier, and RFM cell (null when they paid nothing in the window). */
export const MemberGrowthSchema = z.object({
  lastActiveDay: z.string().nullable(),
  tier: z.enum(LIFECYCLE_TIERS).nullable(),
  rfm: z.object({ segment: z.enum(RFM_SEGMENTS), orders: z.number().int(), paidFen: z.number().int(), lastPaidDay: z.string() }).nullable(),
})
export type MemberGrowth = z.infer<typeof MemberGrowthSchema>

/** A row of the 会员 list: the member, their level and points, and their growth figures as of `asOf`. */
export const MemberRowSchema = UserViewSchema.extend({
  level: z.object({ key: z.string(), name: z.string() }),
  points: z.number().int(),
  growth: MemberGrowthSchema,
})
export type MemberRow = z.infer<typeof MemberRowSchema>

export const MemberListSchema = z.object({
  members: z.array(MemberRowSchema),
  nextCursor: z.string().nullable(),
  /** The day the growth figures are as of (RFM window end, tier day). */
  asOf: z.string(),
  /** The RFM window, in days (the 消费 column's). */
  rfmWindowDays: z.number().int(),
  /** How many members a cell or tier holds (null for the whole list or a search). */
  total: z.number().int().nullable(),
})

/** A member's profile for operators: who they are, their level and their points. */
export const MemberProfileSchema = z.object({ user: UserViewSchema, membership: MembershipViewSchema, points: PointsSummarySchema, growth: MemberGrowthSchema, asOf: z.string(), rfmWindowDays: z.number().int() })
export type MemberProfile = z.infer<typeof MemberProfileSchema>
