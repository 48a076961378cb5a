import { z } from 'zod'
import { ObjectIdSchema, OneTimeCodeSchema } from './common'

export const MallItemQuerySchema = z.strictObject({
  category: z.string().min(1).max(20).optional(),
  /** `true`: only what the signed-in shopper can afford now. */
  affordable: z.enum(['true', 'false']).optional(),
})
export type MallItemQuery = z.infer<typeof MallItemQuerySchema>

export const MallItemViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  kind: z.enum(['goods', 'coupon']),
  category: z.string(),
  pointsPrice: z.number().int(),
  stock: z.number().int(),
  perUserLimit: z.number().int().nullable(),
  minLevel: z.object({ rank: z.number().int(), name: z.string() }).nullable(),
  availableFrom: z.string().nullable(),
  availableTo: z.string().nullable(),
  stores: z.array(z.object({ id: z.string(), name: z.string() })),
  cover: z.object({ emoji: z.string(), tint: z.string() }),
})
export type MallItemView = z.infer<typeof MallItemViewSchema>

export const CreateMallItemRequestSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(40),
    description: z.string().trim().max(500).default(''),
    kind: z.enum(['goods', 'coupon']),
    /** For `coupon` items: the template granted on redemption. */
    couponTemplateId: ObjectIdSchema.optional(),
    category: z.string().trim().min(1).max(20),
    pointsPrice: z.number().int().min(1).max(10_000_000),
    stock: z.number().int().min(0).max(1_000_000),
    perUserLimit: z.number().int().min(1).max(100).nullable().default(null),
    minLevelRank: z.number().int().min(0).max(20).default(0),
    availableFrom: z.iso.datetime().nullable().default(null),
    availableTo: z.iso.datetime().nullable().default(null),
    storeIds: z.array(ObjectIdSchema).max(200).default([]),
    cover: z.strictObject({ emoji: z.string().min(1).max(8), tint: z.string().regex(/^#[0-9a-fA-F]{6}$/) }),
  })
  .refine((i) => i.kind !== 'coupon' || i.couponTemplateId, { message: 'coupon items need couponTemplateId', path: ['couponTemplateId'] })
  .refine((i) => i.kind !== 'goods' || i.storeIds.length > 0, { message: 'goods need the stores that hand them over', path: ['storeIds'] })
export type CreateMallItemRequest = z.infer<typeof CreateMallItemRequestSchema>

export const UpdateMallItemRequestSchema = z.strictObject({
  active: z.boolean().optional(),
  /** Stock to add (positive) or withdraw (negative, never below what is left). */
  stockChange: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  pointsPrice: z.number().int().min(1).max(10_000_000).optional(),
})
export type UpdateMallItemRequest = z.infer<typeof UpdateMallItemRequestSchema>

export const RedeemRequestSchema = z.strictObject({
  /** Chosen by the client per tap: a retried request never redeems twice. */
  idempotencyKey: z.string().min(8).max(64),
})
export type RedeemRequest = z.infer<typeof RedeemRequestSchema>

export const VOUCHER_STATES = ['active', 'redeemed', 'cancelled', 'expired', 'issued'] as const

export const VoucherViewSchema = z.object({
  id: z.string(),
  /** The one-time code staff scan or type. */
  code: z.string(),
  item: z.object({ id: z.string(), name: z.string(), kind: z.enum(['goods', 'coupon']), cover: z.object({ emoji: z.string(), tint: z.string() }) }),
  points: z.number().int(),
  state: z.enum(['pending', ...VOUCHER_STATES, 'failed']),
  stores: z.array(z.object({ id: z.string(), name: z.string() })),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  redeemed: z.object({ at: z.string(), storeName: z.string(), staffName: z.string() }).nullable(),
})
export type VoucherView = z.infer<typeof VoucherViewSchema>

export const VoucherListQuerySchema = z.strictObject({ state: z.enum(['active', 'used', 'ended']).default('active') })
export type VoucherListQuery = z.infer<typeof VoucherListQuerySchema>

export const StaffRedeemRequestSchema = z.strictObject({
  code: OneTimeCodeSchema,
  /** Needed when the staff member works at several stores. */
  storeId: ObjectIdSchema.optional(),
})
export type StaffRedeemRequest = z.infer<typeof StaffRedeemRequestSchema>

/** A voucher redeemed or an order handed over at the staff desk. */
export const StaffRedemptionViewSchema = z.object({
  kind: z.enum(['voucher', 'pickup']),
  code: z.string(),
  itemName: z.string(),
  shopper: z.string(),
  storeName: z.string(),
  staffName: z.string(),
  at: z.string(),
})
export type StaffRedemptionView = z.infer<typeof StaffRedemptionViewSchema>

/** What a code is, before a clerk confirms it: nothing is written by looking. */
export const StaffCodeQuerySchema = z.strictObject({ storeId: ObjectIdSchema.optional() })
export const StaffCodeParamsSchema = z.strictObject({ code: OneTimeCodeSchema })
export const StaffCodePreviewSchema = z.object({
  kind: z.enum(['voucher', 'pickup']),
  code: z.string(),
  /** The item or the order's product. */
  title: z.string(),
  detail: z.string(),
  shopper: z.string(),
  /** Where it can be handed over. */
  stores: z.array(z.object({ id: z.string(), name: z.string() })),
  /** Why this clerk cannot hand it over here and now (null when they can). */
  refusal: z.string().nullable(),
  /** A pickup's order (its lines are acted on by it); null for a voucher. */
  orderId: z.string().nullable().default(null),
  /** A pickup's lines, to hand over by the line: units ordered, still to hand over, refunded. */
  lines: z.array(z.object({ line: z.number().int(), name: z.string(), unit: z.string(), quantity: z.number().int(), toHandOver: z.number().int(), refunded: z.number().int() })).default([]),
})
export type StaffCodePreview = z.infer<typeof StaffCodePreviewSchema>

export const StaffHistoryQuerySchema = z.strictObject({
  /** A manager may read their whole store's history; others see their own. */
  storeId: ObjectIdSchema.optional(),
  day: z.iso.date().optional(),
})
export type StaffHistoryQuery = z.infer<typeof StaffHistoryQuerySchema>

// 运营后台 → 积分商城

export const AdminMallItemSchema = MallItemViewSchema.extend({ active: z.boolean(), couponTemplateId: z.string().nullable() })
export type AdminMallItem = z.infer<typeof AdminMallItemSchema>
export const AdminMallItemPageSchema = z.object({ items: z.array(AdminMallItemSchema), nextCursor: z.string().nullable() })
