import { z } from 'zod'
import { DaySchema, ObjectIdSchema } from './common'
import { LIFECYCLE_TIERS, RFM_SEGMENTS } from './reports'

export const COUPON_SCOPES = ['all', 'groupbuy', 'mall'] as const

export const CreateCouponTemplateRequestSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(30),
    kind: z.enum(['amount', 'percent']),
    amountFen: z.number().int().min(1).max(1_000_000).optional(),
    percentOff: z.number().int().min(1).max(90).optional(),
    minSpendFen: z.number().int().min(0).max(100_000_000).default(0),
    validity: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('fixed'), from: z.iso.datetime(), to: z.iso.datetime() }),
      z.strictObject({ kind: z.literal('relative'), days: z.number().int().min(1).max(3650) }),
    ]),
    scope: z.enum(COUPON_SCOPES).default('all'),
  })
  .refine((t) => (t.kind === 'amount' ? t.amountFen !== undefined : t.percentOff !== undefined), {
    message: 'amount coupons need amountFen, percent coupons need percentOff',
    path: ['kind'],
  })
export type CreateCouponTemplateRequest = z.infer<typeof CreateCouponTemplateRequestSchema>

export const GrantCouponRequestSchema = z.strictObject({
  templateId: ObjectIdSchema,
  userId: ObjectIdSchema,
  /** Granting twice with one key yields one coupon. */
  idempotencyKey: z.string().min(8).max(64),
})
export type GrantCouponRequest = z.infer<typeof GrantCouponRequestSchema>

export const CouponListQuerySchema = z.strictObject({ state: z.enum(['usable', 'used', 'expired']).default('usable') })
export type CouponListQuery = z.infer<typeof CouponListQuerySchema>

/** What a coupon gives, as its template sets it and every coupon of it copies it. */
const CouponTermsViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['amount', 'percent']),
  amountFen: z.number().int(),
  percentOff: z.number().int(),
  minSpendFen: z.number().int(),
  scope: z.enum(COUPON_SCOPES),
})

export const CouponViewSchema = CouponTermsViewSchema.extend({
  validFrom: z.string(),
  validTo: z.string(),
  state: z.enum(['usable', 'locked', 'used', 'expired']),
})
export type CouponView = z.infer<typeof CouponViewSchema>

/**
 * 领券: a template an operator opened for shoppers to claim themselves from a link or QR code,
 * one coupon per member, `total` in all; `mine` is the signed-in member's coupon when they have one.
 */
export const CouponClaimViewSchema = z.object({
  template: CouponTermsViewSchema.extend({ validity: z.union([z.object({ kind: z.literal('fixed'), from: z.string(), to: z.string() }), z.object({ kind: z.literal('relative'), days: z.number().int() })]) }),
  state: z.enum(['open', 'sold_out', 'closed']),
  total: z.number().int(),
  claimed: z.number().int(),
  mine: CouponViewSchema.nullable(),
})
export type CouponClaimView = z.infer<typeof CouponClaimViewSchema>
/** 领券链接: opens (or re-sizes) a template's claiming to `total` coupons in all. */
export const ClaimLinkRequestSchema = z.strictObject({ total: z.number().int().min(1, '至少 1 张').max(1_000_000, '最多 1,000,000 张') })
/** The mini-program page a claim link opens. */
export const couponClaimPath = (templateId: string) => `pages/coupon-claim/index?t=${templateId}`

// 运营后台 → 优惠券

export const AdminCouponTemplateSchema = CouponTermsViewSchema.extend({
  validity: z.union([z.object({ kind: z.literal('fixed'), from: z.string(), to: z.string() }), z.object({ kind: z.literal('relative'), days: z.number().int() })]),
  active: z.boolean(),
  createdAt: z.string(),
  /** Coupons of this template: granted in all, used, and expired unused. */
  counts: z.object({ issued: z.number().int(), used: z.number().int(), expired: z.number().int() }),
})
export type AdminCouponTemplate = z.infer<typeof AdminCouponTemplateSchema>

export const AdminCouponTemplatePageSchema = z.object({ templates: z.array(AdminCouponTemplateSchema), nextCursor: z.string().nullable() })

export const UpdateCouponTemplateRequestSchema = z.strictObject({ active: z.literal(false) })

/** Grants one coupon of a template to each member of a list (at most 200 at a time); a retry grants nobody twice. */
export const GrantCouponBatchRequestSchema = z.strictObject({
  templateId: ObjectIdSchema,
  userIds: z.array(ObjectIdSchema).min(1, '请至少填写一位会员').max(200, '一次最多 200 位会员'),
  idempotencyKey: z.string().min(8).max(64),
})
export type GrantCouponBatchRequest = z.infer<typeof GrantCouponBatchRequestSchema>

/**
 * 按分群发券: a coupon to every member of an RFM cell or a lifecycle tier on `day`, as the reports
 * and the 会员 list count them. The operator confirms the count the preview showed
 * (`expectedMembers`); a cell that changed since is refused with its new count.
 */
const SegmentFields = {
  templateId: ObjectIdSchema,
  segment: z.enum(RFM_SEGMENTS, { message: '未知的分群' }).optional(),
  tier: z.enum(LIFECYCLE_TIERS, { message: '未知的分层' }).optional(),
  day: DaySchema,
}
const oneGroup = (q: { segment?: unknown; tier?: unknown }) => (q.segment === undefined) !== (q.tier === undefined)
const ONE_GROUP = { message: '请选择一个 RFM 分群或一个分层', path: ['segment'] }
export const SegmentGrantQuerySchema = z.strictObject(SegmentFields).refine(oneGroup, ONE_GROUP)
export type SegmentGrantQuery = z.infer<typeof SegmentGrantQuerySchema>
export const SegmentGrantRequestSchema = z
  .strictObject({ ...SegmentFields, expectedMembers: z.number().int().min(1).max(5_000_000), idempotencyKey: z.string().min(8).max(64) })
  .refine(oneGroup, ONE_GROUP)
export type SegmentGrantRequest = z.infer<typeof SegmentGrantRequestSchema>
/** Before granting: how many members, and the face value the grant commits (null for a percent coupon). */
export const SegmentGrantPreviewSchema = z.object({ members: z.number().int(), templateName: z.string(), faceValueFen: z.number().int().nullable(), budgetFen: z.number().int().nullable() })
export type SegmentGrantPreview = z.infer<typeof SegmentGrantPreviewSchema>

export const CouponBatchGrantedSchema = z.object({ granted: z.number().int(), replayed: z.number().int(), missing: z.array(z.string()) })

export const COUPON_SCOPE_TEXT: Record<(typeof COUPON_SCOPES)[number], string> = { all: '全场通用', groupbuy: '拼团可用', mall: '积分商城可用' }
