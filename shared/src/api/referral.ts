import { z } from 'zod'
import { CoverSchema } from './catalog'
import { ObjectIdSchema } from './common'

/** Why an invitation did not bind (DESIGN.md, Invitations): recorded for operators. */
/**
 * Why a binding was refused. `INVITER_NEWER`: the inviter joined after the invitee; an invitation
 * only ever runs from an earlier member to a later one, which is what makes a cycle impossible.
 */
export const BIND_REFUSALS = ['SELF', 'INVITER_NEWER', 'TOO_LATE', 'ALREADY_BOUND', 'UNKNOWN_CODE'] as const
export type BindRefusal = (typeof BIND_REFUSALS)[number]

/** An invite code: 8 symbols of Crockford base32, so `i_<code>` fits a QR `scene` easily. */
export const InviteCodeSchema = z.string().trim().toUpperCase().regex(/^[0-9A-HJKMNP-TV-Z]{8}$/, 'not an invite code')

export const BindInviterRequestSchema = z.strictObject({ inviter: InviteCodeSchema, shareId: z.string().min(1).max(64).optional() })
export type BindInviterRequest = z.infer<typeof BindInviterRequestSchema>

/** An invite link's landing: who invites (masked) and the gift a new member gets by it. */
export const InviteCodeParamsSchema = z.strictObject({ code: InviteCodeSchema })
export const InvitationViewSchema = z.object({ inviter: z.string(), inviteeCouponFen: z.number().int() })
export type InvitationView = z.infer<typeof InvitationViewSchema>

export const SHARE_PAGES = ['pages/index/index', 'pages/category/index', 'pages/mall/index', 'pages/mall-item/index', 'pages/checkin/index', 'pages/invite/index', 'pages/assist/index', 'pages/groupbuy/index', 'pages/group/index', 'pages/product/index'] as const

export const CreateShareRequestSchema = z.strictObject({
  page: z.enum(SHARE_PAGES),
  targetId: z.string().regex(/^[0-9a-zA-Z_-]{1,32}$/).optional(),
})
export type CreateShareRequest = z.infer<typeof CreateShareRequestSchema>

export const ShareParamsSchema = z.strictObject({ shareId: z.string().regex(/^[0-9A-Za-z]{16,32}$/) })

/**
 * Why an invitation's reward was refused: a duplicate account (the same number, WeChat account or
 * device as the inviter or a friend already rewarded), an operator's rejection, or a cap of the
 * invitation rule.
 */
export const INVITE_REWARD_REFUSALS = ['SAME_PHONE', 'SAME_OPENID', 'SAME_UNIONID', 'SAME_DEVICE', 'REJECTED', 'BUDGET_EXHAUSTED', 'DAILY_CAP', 'WEEKLY_CAP', 'LIFETIME_CAP'] as const
export type InviteRewardRefusal = (typeof INVITE_REWARD_REFUSALS)[number]

/**
 * One reward of a friend's invitation, as the inviter sees it: `waiting` for the friend (phone,
 * first order), `pending` (earned; `until` the first order's refund window ends, null while being
 * paid), `reviewing`, `paid`, or `refused` with the reason. `points`: paid or refused, else what
 * the rules give now.
 */
export const InviteFriendRewardSchema = z.object({
  kind: z.enum(['phone', 'first_order']),
  points: z.number().int(),
  state: z.enum(['waiting', 'pending', 'reviewing', 'paid', 'refused']),
  until: z.string().nullable(),
  reason: z.enum(INVITE_REWARD_REFUSALS).nullable(),
})
export type InviteFriendReward = z.infer<typeof InviteFriendRewardSchema>

export const InviteSummarySchema = z.object({
  code: z.string(),
  /** The path a share card opens, carrying the invite. */
  path: z.string(),
  invited: z.number().int(),
  /** Friends who paid an order. */
  ordered: z.number().int(),
  /** Friends whose first order is past its refund window (what the milestones count). */
  succeeded: z.number().int(),
  milestones: z.array(z.object({ invitations: z.number().int(), points: z.number().int(), reached: z.boolean() })),
  /** What an invitation earns, from the operator's rules, so the page never shows stale numbers. */
  rewards: z.object({ phoneBoundPoints: z.number().int(), firstOrderPoints: z.number().int(), inviteeCouponFen: z.number().int() }),
  friends: z.array(
    z.object({
      name: z.string(),
      /** How far the friend has come: signed up, bound a phone, paid an order, picked one up. */
      stage: z.enum(['registered', 'phone_bound', 'ordered', 'picked_up']),
      rewards: z.array(InviteFriendRewardSchema),
      at: z.string(),
    }),
  ),
})
export type InviteSummary = z.infer<typeof InviteSummarySchema>

/** Why an invitation waits in the review queue (velocity rules). */
export const REVIEW_REASONS = ['INVITER_VELOCITY', 'CROWDED_DEVICE'] as const

/** An invitation in the operators' review queue. */
export const InvitationReviewSchema = z.object({
  inviteeId: z.string(),
  invitee: z.string(),
  inviterId: z.string(),
  inviter: z.string(),
  boundAt: z.string(),
  reasons: z.array(z.string()),
  state: z.enum(['open', 'approved', 'rejected']),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  note: z.string().nullable(),
  phoneBound: z.boolean(),
  rewarded: z.boolean(),
})
export type InvitationReview = z.infer<typeof InvitationReviewSchema>
export const InvitationReviewQuerySchema = z.strictObject({ state: z.enum(['open', 'approved', 'rejected']).default('open') })
export const RejectInvitationRequestSchema = z.strictObject({ note: z.string().trim().min(2).max(200) })


export const CreateAssistRequestSchema = z.strictObject({ productId: ObjectIdSchema })
export type CreateAssistRequest = z.infer<typeof CreateAssistRequestSchema>

export const AssistViewSchema = z.object({
  id: z.string(),
  product: z.object({ id: z.string(), name: z.string(), priceFen: z.number().int(), cover: CoverSchema }),
  owner: z.string(),
  isOwner: z.boolean(),
  helpers: z.array(z.string()),
  helpedByMe: z.boolean(),
  helpersNeeded: z.number().int(),
  state: z.enum(['open', 'completed', 'failed']),
  expiresAt: z.string(),
  /** The owner's voucher code once the assist completed. */
  voucherCode: z.string().nullable(),
  /** Completed, but no voucher: the assist rule's cap or budget was reached (owner only). */
  rewardRefused: z.enum(['BUDGET_EXHAUSTED', 'DAILY_CAP', 'WEEKLY_CAP', 'LIFETIME_CAP']).nullable(),
})
export type AssistView = z.infer<typeof AssistViewSchema>
