import { z } from 'zod'
import { CoverSchema } from './catalog'
import { ObjectIdSchema, OneTimeCodeSchema } from './common'
import { BasketLineInputSchema } from './shop'

/** A tier: the group's size and the price each member pays, in fen. */
export const TierSchema = z.strictObject({ size: z.number().int().min(2).max(50), priceFen: z.number().int().min(1) })
export type Tier = z.infer<typeof TierSchema>

const when = z.iso.datetime({ offset: true })

export const CreateActivityRequestSchema = z.strictObject({
  productId: ObjectIdSchema,
  title: z.string().trim().min(1).max(40).optional(),
  /** Defaults to the rules' tiers (2 people at 70%, 5 at 60% of the list price). */
  tiers: z.array(TierSchema).min(1).max(5).optional(),
  startsAt: when,
  endsAt: when,
  stock: z.number().int().min(1).max(1_000_000),
  dailyCap: z.number().int().min(1).nullable().optional(),
  perUserLimit: z.number().int().min(1).max(100).default(1),
  groupHours: z.number().int().min(1).max(72).optional(),
  autoFill: z.boolean().optional(),
})
export type CreateActivityRequest = z.input<typeof CreateActivityRequestSchema>

export const UpdateActivityRequestSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(40),
    endsAt: when,
    /** Stock added (positive) or withdrawn (negative, never below what is left). */
    stockDelta: z.number().int().min(-1_000_000).max(1_000_000),
    dailyCap: z.number().int().min(1).nullable(),
    perUserLimit: z.number().int().min(1).max(100),
    autoFill: z.boolean(),
    paused: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, '至少修改一项')

export const ActivityStateSchema = z.enum(['upcoming', 'active', 'paused', 'sold_out', 'ended'])

export const GroupMemberSchema = z.object({
  name: z.string(),
  initiator: z.boolean(),
  paid: z.boolean(),
  /** An unpaid seat is given back at this time unless its order is paid first. */
  heldUntil: z.string().nullable(),
})

export const GroupSummarySchema = z.object({
  id: z.string(),
  size: z.number().int(),
  priceFen: z.number().int(),
  initiator: z.string(),
  seatsLeft: z.number().int(),
  expiresAt: z.string(),
})
export type GroupSummary = z.infer<typeof GroupSummarySchema>

export const ActivityViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  product: z.object({ id: z.string(), name: z.string(), subtitle: z.string(), unit: z.string(), cover: CoverSchema }),
  listPriceFen: z.number().int(),
  tiers: z.array(TierSchema),
  startsAt: z.string(),
  endsAt: z.string(),
  stockLeft: z.number().int(),
  perUserLimit: z.number().int(),
  groupHours: z.number().int(),
  state: ActivityStateSchema,
  /** Not open to everyone yet: members of `levelName` and above may buy from `opensAt` (优先购). */
  earlyAccess: z.object({ levelName: z.string(), opensAt: z.string() }).nullable(),
  /** Groups still forming that a shopper can join (detail only). */
  openGroups: z.array(GroupSummarySchema).optional(),
})
export type ActivityView = z.infer<typeof ActivityViewSchema>

export const GroupViewSchema = z.object({
  id: z.string(),
  activityId: z.string(),
  title: z.string(),
  product: ActivityViewSchema.shape.product,
  size: z.number().int(),
  priceFen: z.number().int(),
  listPriceFen: z.number().int(),
  state: z.enum(['pending', 'open', 'succeeded', 'failed', 'cancelled']),
  members: z.array(GroupMemberSchema),
  seatsLeft: z.number().int(),
  expiresAt: z.string(),
  /** The viewer's order in this group, if any. */
  myOrderId: z.string().nullable(),
  /** Whether the viewer's order still waits for payment (it holds a seat until its `heldUntil`). */
  myOrderUnpaid: z.boolean(),
})
export type GroupView = z.infer<typeof GroupViewSchema>

/**
 * What the shopper wants to buy: open a group at a tier or join a group of an activity (拼团, one
 * unit), or a basket of products for their sessions (`lines`; 立即购买 is a one-line basket, also
 * written `productId` and `quantity`).
 */
const CheckoutFields = z.strictObject({
  activityId: ObjectIdSchema.optional(),
  tierSize: z.number().int().min(2).max(50).optional(),
  groupId: ObjectIdSchema.optional(),
  lines: z.array(BasketLineInputSchema).min(1, '购物车是空的').max(50, '一次最多结算 50 种商品').optional(),
  productId: ObjectIdSchema.optional(),
  quantity: z.number().int().min(1).max(99).default(1),
  /** Pick up at a store, or at a community leader's point (exactly one). */
  storeId: ObjectIdSchema.optional(),
  leaderId: ObjectIdSchema.optional(),
  /** The coupon to use; null for none. A quote without it picks one by the rules (the best saving); a checkout without it uses none. */
  couponId: ObjectIdSchema.nullable().optional(),
  usePoints: z.boolean().default(false),
})

/** A group-buy names its activity; a basket its lines (or one product); a group order is one unit. */
function oneWayToBuy(b: { activityId?: string; productId?: string; lines?: unknown[]; tierSize?: number; groupId?: string; quantity: number }, ctx: z.RefinementCtx) {
  const ways = [b.activityId, b.productId, b.lines].filter(Boolean).length
  if (ways !== 1) ctx.addIssue({ code: 'custom', path: ['activityId'], message: '请选择拼团活动、购物车商品或单独购买的商品（三选一）' })
  if ((b.productId || b.lines) && (b.tierSize || b.groupId)) ctx.addIssue({ code: 'custom', path: ['productId'], message: '购买商品不能指定成团人数或团' })
  if (b.activityId && b.quantity !== 1) ctx.addIssue({ code: 'custom', path: ['quantity'], message: '拼团每单 1 份' })
  if (b.lines && new Set(b.lines.map((l) => { const x = l as { productId: string; day?: string }; return `${x.productId}:${x.day ?? ''}` })).size !== b.lines.length) ctx.addIssue({ code: 'custom', path: ['lines'], message: '同一商品同一团期只能有一行' })
}

export const CheckoutInputSchema = CheckoutFields.superRefine(oneWayToBuy)
export type CheckoutInput = z.input<typeof CheckoutInputSchema>

/** A price quote needs no store yet. */
export const QuoteRequestSchema = CheckoutFields.omit({ storeId: true, leaderId: true }).superRefine(oneWayToBuy)
export type QuoteRequest = z.input<typeof QuoteRequestSchema>

export const CheckoutRequestSchema = CheckoutFields.extend({ idempotencyKey: z.string().min(8).max(64) }).superRefine(oneWayToBuy)
export type CheckoutRequest = z.input<typeof CheckoutRequestSchema>

export const PriceBreakdownSchema = z.object({
  listPriceFen: z.number().int(),
  groupPriceFen: z.number().int(),
  levelDiscountFen: z.number().int(),
  levelName: z.string(),
  couponFen: z.number().int(),
  pointsUsed: z.number().int(),
  pointsFen: z.number().int(),
  payFen: z.number().int(),
})
export type PriceBreakdown = z.infer<typeof PriceBreakdownSchema>

/** A line as an order keeps it: what it is, its session and pickup, its price and its share of the discounts. */
export const OrderLineViewSchema = z.object({
  productId: z.string(),
  name: z.string(),
  unit: z.string(),
  cover: CoverSchema,
  /** The session's sale day and its pickup (null on orders from before sessions, and on group-buys). */
  day: z.string().nullable(),
  pickupDay: z.string().nullable(),
  pickupFrom: z.string().nullable(),
  quantity: z.number().int(),
  listUnitFen: z.number().int(),
  memberUnitFen: z.number().int(),
  lineFen: z.number().int(),
  couponFen: z.number().int(),
  pointsFen: z.number().int(),
  /** What the line was paid: its total less its share of the coupon and points (a line refund pays this back). */
  payFen: z.number().int(),
  /** Units handed over, units refunded, and the fen refunded (0 on a quote). */
  handedQty: z.number().int().default(0),
  refundedQty: z.number().int().default(0),
  refundedFen: z.number().int().default(0),
})
export type OrderLineView = z.infer<typeof OrderLineViewSchema>

export const QuoteResponseSchema = z.object({
  price: PriceBreakdownSchema,
  /** Each line priced (a group-buy has one). */
  lines: z.array(OrderLineViewSchema),
  /** The shopper's coupons that fit this order, best first, each with what it would take off. */
  coupons: z.array(z.object({ id: z.string(), name: z.string(), discountFen: z.number().int(), validTo: z.string() })),
  /** The coupon this quote used: the one asked for, or the rules' default choice when none was named. */
  couponId: z.string().nullable(),
  pointsBalance: z.number().int(),
})
export type QuoteResponse = z.infer<typeof QuoteResponseSchema>

export const ORDER_STATES = ['creating', 'pending_payment', 'paid', 'confirmed', 'completed', 'closed', 'refunding', 'refunded'] as const
export type OrderState = (typeof ORDER_STATES)[number]

/** How an order's state reads, to shoppers and operators alike. */
export const ORDER_STATE_TEXT: Record<OrderState, string> = {
  creating: '提交中',
  pending_payment: '待付款',
  paid: '待成团',
  confirmed: '待自提',
  completed: '已完成',
  closed: '已关闭',
  refunding: '退款中',
  refunded: '已退款',
}

export const OrderViewSchema = z.object({
  id: z.string(),
  state: z.enum(ORDER_STATES),
  /** A group-buy order, a basket (社区团购, one or more lines), or a product bought alone before baskets (单独购买). */
  kind: z.enum(['group', 'solo', 'basket']),
  quantity: z.number().int(),
  activityId: z.string().nullable(),
  title: z.string(),
  product: ActivityViewSchema.shape.product,
  groupId: z.string(),
  groupSize: z.number().int(),
  price: PriceBreakdownSchema,
  lines: z.array(OrderLineViewSchema),
  /** Units in the order. */
  itemCount: z.number().int(),
  /** The days its lines can be picked up, earliest first (empty for group-buys and older orders). */
  pickupDays: z.array(z.string()),
  /** Where the order is picked up: a store (staff hand it over) or a leader's point. */
  pickup: z.object({ kind: z.enum(['store', 'leader']), id: z.string(), name: z.string(), address: z.string() }),
  /** Shown once the group succeeded, until pickup. */
  pickupCode: z.string().nullable(),
  holdUntil: z.string().nullable(),
  createdAt: z.string(),
  paidAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  refundedAt: z.string().nullable(),
  /** Refunded so far by the line (shortage, after-sale, operator), in fen. */
  refundedFen: z.number().int().default(0),
  /** Until when its lines handed over may be claimed (售后), null before any hand-over. */
  afterSaleUntil: z.string().nullable().default(null),
})
export type OrderView = z.infer<typeof OrderViewSchema>

export const RequestPaymentSchema = z.object({ timeStamp: z.string(), nonceStr: z.string(), package: z.string(), signType: z.literal('RSA'), paySign: z.string() })
export type RequestPayment = z.infer<typeof RequestPaymentSchema>

export const CheckoutResponseSchema = z.object({ order: OrderViewSchema, payment: RequestPaymentSchema.nullable() })
export type CheckoutResponse = z.infer<typeof CheckoutResponseSchema>

export const OrderListQuerySchema = z.strictObject({ state: z.enum(['all', 'pending_payment', 'forming', 'pickup', 'completed', 'refunded']).default('all') })
export type OrderListQuery = z.input<typeof OrderListQuerySchema>

/** A pickup code as typed or scanned (see OneTimeCodeSchema). */
export const PickupCodeSchema = OneTimeCodeSchema

export const PickupRequestSchema = z.strictObject({
  code: PickupCodeSchema,
  storeId: ObjectIdSchema.optional(),
  /** 核销 by the line: the units handed over now, by line position (all still to hand over when absent). */
  lines: z.array(z.strictObject({ line: z.number().int().min(0).max(49), quantity: z.number().int().min(1).max(999) })).min(1).max(50).optional(),
})
