import { z } from 'zod'
import { UserViewSchema } from './auth'
import { DaySchema } from './common'
import { LIFECYCLE_TIERS, RFM_SEGMENTS } from './reports'
import { MembershipViewSchema } from './membership'
import { PointsSummarySchema } from './points'

/**
 * 运营后台 → 会员: find a member by id (24 hex) or by the start of their nickname; or the members
 * of an RFM cell (`segment`, over the window ending `day`) or a lifecycle tier (`tier` on `day`),
 * as the reports count them; without either, every member newest first. A page at a time: the
 * cursor is the member number the page before stopped at, or in a cell or tier, how many came before.
 */
export const MemberSearchQuerySchema = z
  .strictObject({
    q: z.string().trim().min(1, '请输入会员 ID 或昵称').max(40).optional(),
    segment: z.enum(RFM_SEGMENTS, { message: '未知的分群' }).optional(),
    tier: z.enum(LIFECYCLE_TIERS, { message: '未知的分层' }).optional(),
    day: DaySchema.optional(),
    cursor: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .refine((q) => [q.q, q.segment, q.tier].filter((v) => v !== undefined).length <= 1, { message: '搜索、RFM 分群和分层一次只能选一个', path: ['segment'] })
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
