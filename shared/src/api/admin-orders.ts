import { z } from 'zod'
import { DaySchema, ObjectIdSchema } from './common'
import { ActivityViewSchema, ORDER_STATES, OrderViewSchema } from './groupbuy'


// 运营后台 → 订单

/** What happened to an order, in order: each step the order's own timestamps record. */
export const ORDER_EVENTS = ['placed', 'paid', 'formed', 'picked_up', 'closed', 'refunded'] as const
export type OrderEvent = (typeof ORDER_EVENTS)[number]
export const ORDER_EVENT_TEXT: Record<OrderEvent, string> = {
  placed: '下单',
  paid: '支付成功',
  formed: '拼团成功，待自提',
  picked_up: '已自提',
  closed: '订单关闭',
  refunded: '退款到账',
}

export const AdminOrderSchema = OrderViewSchema.extend({
  member: z.object({ id: z.string(), nickname: z.string() }),
  timeline: z.array(z.object({ event: z.enum(ORDER_EVENTS), at: z.string(), note: z.string().nullable() })),
})
export type AdminOrder = z.infer<typeof AdminOrderSchema>

/**
 * Find orders: `q` is an order id or member id (24 hex) or the start of a member's nickname;
 * `from`/`to` are business days (inclusive) of when the order was placed.
 */
export const AdminOrderQuerySchema = z.strictObject({
  q: z.string().trim().max(40).optional(),
  state: z.enum(ORDER_STATES).exclude(['creating']).optional(),
  from: DaySchema.optional(),
  to: DaySchema.optional(),
  storeId: ObjectIdSchema.optional(),
  leaderId: ObjectIdSchema.optional(),
  activityId: ObjectIdSchema.optional(),
  /** Orders with a line of this session (its sale day), or of this product. */
  sessionDay: DaySchema.optional(),
  productId: ObjectIdSchema.optional(),
  cursor: ObjectIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})
export type AdminOrderQuery = z.infer<typeof AdminOrderQuerySchema>

export const AdminOrderPageSchema = z.object({ orders: z.array(AdminOrderSchema), nextCursor: z.string().nullable() })

// 运营后台 → 拼团活动

export const AdminActivitySchema = ActivityViewSchema.extend({
  stockTotal: z.number().int(),
  dailyCap: z.number().int().nullable(),
  autoFill: z.boolean(),
  createdAt: z.string(),
})
export type AdminActivity = z.infer<typeof AdminActivitySchema>

export const AdminActivityQuerySchema = z.strictObject({
  state: z.enum(['upcoming', 'active', 'paused', 'ended']).optional(),
  cursor: ObjectIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})
export type AdminActivityQuery = z.infer<typeof AdminActivityQuerySchema>

export const AdminActivityPageSchema = z.object({ activities: z.array(AdminActivitySchema), nextCursor: z.string().nullable() })

export const GROUP_STATES = ['pending', 'open', 'succeeded', 'failed', 'cancelled'] as const
export const GROUP_STATE_TEXT: Record<(typeof GROUP_STATES)[number], string> = { pending: '待开团', open: '拼团中', succeeded: '已成团', failed: '未成团', cancelled: '已取消' }

/** A group as operators see it: who sits in it, with which order, and whether they paid. */
export const AdminGroupSchema = z.object({
  id: z.string(),
  size: z.number().int(),
  priceFen: z.number().int(),
  state: z.enum(GROUP_STATES),
  autoFilled: z.boolean(),
  createdAt: z.string(),
  expiresAt: z.string(),
  members: z.array(z.object({ userId: z.string(), nickname: z.string(), orderId: z.string(), initiator: z.boolean(), paid: z.boolean() })),
})
export type AdminGroup = z.infer<typeof AdminGroupSchema>

export const AdminGroupPageSchema = z.object({ groups: z.array(AdminGroupSchema), nextCursor: z.string().nullable() })
