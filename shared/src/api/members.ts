import { z } from 'zod'
import { UserViewSchema } from './auth'
import { MembershipViewSchema } from './membership'
import { PointsSummarySchema } from './points'

/**
 * 运营后台 → 会员: find a member by id (24 hex) or by the start of their nickname; without `q`,
 * every member newest first, a page at a time (the cursor is the member number the page before
 * stopped at).
 */
export const MemberSearchQuerySchema = z.strictObject({
  q: z.string().trim().min(1, '请输入会员 ID 或昵称').max(40).optional(),
  cursor: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})
export type MemberSearchQuery = z.infer<typeof MemberSearchQuerySchema>

export const MemberListSchema = z.object({ members: z.array(UserViewSchema), nextCursor: z.string().nullable() })

/** A member's profile for operators: who they are, their level and their points. */
export const MemberProfileSchema = z.object({ user: UserViewSchema, membership: MembershipViewSchema, points: PointsSummarySchema })
export type MemberProfile = z.infer<typeof MemberProfileSchema>
