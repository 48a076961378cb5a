import { z } from 'zod'
import { AFTER_SALE_REASONS } from '../rules/line-refunds'

const line = z.number().int().min(0).max(49)
const units = z.number().int().min(1).max(999)
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
const idempotencyKey = z.string().min(8).max(64)
const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'ID 格式不正确')

/** Units of one line of an order, by the line's position in `order.lines`. */
export const LineUnitsSchema = z.strictObject({ line, quantity: units })
export type LineUnits = z.infer<typeof LineUnitsSchema>

/** The operator's refund dialog: the lines (all that is left when absent), each amount at most the units' paid share, and why. */
export const OperatorRefundRequestSchema = z.strictObject({
  lines: z.array(LineUnitsSchema.extend({ fen: z.number().int().min(0).optional() })).min(1).max(50).optional(),
  reason: z.string().trim().min(2, '请写明退款原因').max(80),
  idempotencyKey,
})
export type OperatorRefundRequest = z.infer<typeof OperatorRefundRequestSchema>

export const AFTER_SALE_STATES = ['submitted', 'approved', 'refunded', 'rejected'] as const
export type AfterSaleState = (typeof AFTER_SALE_STATES)[number]
export const AFTER_SALE_STATE_TEXT: Record<AfterSaleState, string> = { submitted: '待审核', approved: '退款中', refunded: '已退款', rejected: '已驳回' }

/** 申请售后: one line, some of its units, why, up to the rules' photo count (uploaded first), a note. */
export const AfterSaleRequestSchema = z.strictObject({
  line,
  quantity: units,
  reason: z.enum(AFTER_SALE_REASONS),
  note: z.string().trim().max(200).default(''),
  photoIds: z.array(z.string().regex(/^[0-9a-f]{24}$/)).max(9).default([]),
  idempotencyKey,
})
export type AfterSaleRequest = z.input<typeof AfterSaleRequestSchema>

export const AfterSaleQuoteQuerySchema = z.strictObject({ line: z.coerce.number().int().min(0).max(49), quantity: z.coerce.number().int().min(1).max(999) })
/** What a request would refund, shown before it is sent, and until when after-sale is open. */
export const AfterSaleQuoteSchema = z.object({ fen: z.number().int(), points: z.number().int(), maxQuantity: z.number().int(), until: z.string() })

export const AfterSaleViewSchema = z.object({
  id: z.string(),
  orderId: z.string(),
  line: z.number().int(),
  productName: z.string(),
  quantity: z.number().int(),
  reason: z.enum(AFTER_SALE_REASONS),
  note: z.string(),
  photos: z.array(z.string()),
  /** Asked for: the units' paid share; refunded: what the operator approved. */
  fen: z.number().int(),
  state: z.enum(AFTER_SALE_STATES),
  /** Why it was rejected (the shopper reads it). */
  decision: z.string().nullable(),
  /** The member, masked, for operators and leaders. */
  member: z.string(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  /** Whether whoever asked for the list may approve it now (a leader: below the rules' amount). */
  approvable: z.boolean().default(false),
})
export type AfterSaleView = z.infer<typeof AfterSaleViewSchema>

export const AfterSaleListQuerySchema = z.strictObject({ state: z.enum(AFTER_SALE_STATES).optional() })
/** Approve the units' paid share (no body), or a smaller amount. */
export const ApproveAfterSaleRequestSchema = z.strictObject({ fen: z.number().int().min(1).optional() }).default({})
export const RejectAfterSaleRequestSchema = z.strictObject({ reason: z.string().trim().min(2, '请写明驳回原因').max(100) })

/** 缺货: N units of a product short for a session; the latest-ordered units are refunded by the line. */
/** At a pickup point (`leaderId` or `storeId`, from its arrival count), the point's latest units; else the session's. */
export const ShortageRequestSchema = z.strictObject({ day, productId: objectId, units, leaderId: objectId.optional(), storeId: objectId.optional(), note: z.string().trim().max(100).default(''), idempotencyKey })
export const ShortageViewSchema = z.object({
  id: z.string(),
  day: z.string(),
  productId: z.string(),
  productName: z.string(),
  units: z.number().int(),
  /** Units refunded (fewer than asked when fewer were ordered), by order. */
  refunded: z.array(z.object({ orderId: z.string(), quantity: z.number().int(), fen: z.number().int() })),
  state: z.enum(['allocating', 'done']),
  createdAt: z.string(),
})
export type ShortageView = z.infer<typeof ShortageViewSchema>

/** 接龙: a leader's session as a chain, the products and this leader's orders in order, names masked. */
export const ChainViewSchema = z.object({
  leader: z.object({ code: z.string(), name: z.string(), community: z.string() }),
  day: z.string(),
  products: z.array(z.object({ id: z.string(), name: z.string(), unit: z.string(), cover: z.object({ emoji: z.string(), tint: z.string(), photo: z.string().nullable() }), priceFen: z.number().int(), units: z.number().int() })),
  entries: z.array(z.object({ n: z.number().int(), member: z.string(), items: z.array(z.object({ name: z.string(), quantity: z.number().int() })), at: z.string() })),
})
export type ChainView = z.infer<typeof ChainViewSchema>
export const ChainParamsSchema = z.strictObject({ code: z.string().trim().min(4).max(32), day })
export const ChainQuerySchema = z.strictObject({ products: z.string().max(24 * 20 + 19).optional() })

/** 备货单 (a leader's) and 分拣单 (the warehouse's): per product the units, per pickup point or member what to hand over. */
export const StockListQuerySchema = z.strictObject({ day })
export const StaffStockListQuerySchema = z.strictObject({ day, storeId: objectId.optional() })
/** 未收到: units a leader could not hand over, refunded by the line. */
export const NotReceivedRequestSchema = z.strictObject({ lines: z.array(LineUnitsSchema).min(1).max(50), idempotencyKey })
export const StockListSchema = z.object({
  day: z.string(),
  /** The pickup point's name (a leader's point or a store). */
  point: z.string(),
  products: z.array(z.object({ productId: z.string(), name: z.string(), unit: z.string(), units: z.number().int(), arrived: z.number().int().nullable() })),
  /** Per member (masked) and order (its last 6 characters, as the member's order page shows it). */
  members: z.array(z.object({ member: z.string(), order: z.string(), items: z.array(z.object({ name: z.string(), quantity: z.number().int() })) })),
})
export type StockList = z.infer<typeof StockListSchema>
export const PickListSchema = z.object({
  day: z.string(),
  /** Per point; `arrived` per item once the point confirmed its arrival (到货确认), else null. */
  points: z.array(z.object({ kind: z.enum(['store', 'leader']), id: z.string(), name: z.string(), address: z.string(), items: z.array(z.object({ productId: z.string(), name: z.string(), unit: z.string(), units: z.number().int(), arrived: z.number().int().nullable().default(null) })) })),
  totals: z.array(z.object({ productId: z.string(), name: z.string(), unit: z.string(), units: z.number().int() })),
})
export type PickList = z.infer<typeof PickListSchema>

/** 到货确认: the units of each product of a session that reached the pickup point. */
export const ArrivalRequestSchema = z.strictObject({ day, storeId: objectId.optional(), products: z.array(z.strictObject({ productId: objectId, units: z.number().int().min(0).max(99999) })).min(1).max(200) })
export type ArrivalRequest = z.infer<typeof ArrivalRequestSchema>
export const ArrivalViewSchema = z.object({ day: z.string(), point: z.string(), state: z.enum(['confirmed', 'told']), products: z.array(z.object({ productId: z.string(), expected: z.number().int(), units: z.number().int() })), told: z.number().int(), at: z.string() })
export type ArrivalView = z.infer<typeof ArrivalViewSchema>
