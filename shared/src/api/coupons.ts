import { z } from 'zod'
import { ObjectIdSchema } from './common'

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

export const CouponViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['amount', 'percent']),
  amountFen: z.number().int(),
  percentOff: z.number().int(),
  minSpendFen: z.number().int(),
  scope: z.enum(COUPON_SCOPES),
  validFrom: z.string(),
  validTo: z.string(),
  state: z.enum(['usable', 'locked', 'used', 'expired']),
})
export type CouponView = z.infer<typeof CouponViewSchema>
