import { Types } from 'mongoose'
import { startOfBusinessDay, type AdminOrder, type AdminOrderQuery, type OrderEvent, type OrderView } from '@xianlin/shared'
import { searchUsers, userNames } from '../users/users.service'
import { OrderModel, type Order } from './order.model'

const DAY_MS = 86_400_000

/** The steps an order went through, as its own timestamps record them, oldest first. */
export function timelineOf(o: Order): AdminOrder['timeline'] {
  const steps: Array<[OrderEvent, Date | null | undefined, string | null]> = [
    ['placed', o.createdAt, null],
    ['paid', o.paidAt, o.transactionId ?? null],
    ['formed', o.confirmedAt, null],
    ['picked_up', o.completedAt, null],
    ['closed', o.closedAt, o.closeReason ?? null],
    ['refunded', o.refundedAt, null],
  ]
  return steps
    .filter((s): s is [OrderEvent, Date, string | null] => s[1] instanceof Date)
    .sort((a, b) => a[1].getTime() - b[1].getTime())
    .map(([event, at, note]) => ({ event, at: at.toISOString(), note }))
}

/**
 * The filter an operator's search means. `q` of 24 hex is an order id or a member id; anything
 * else is the start of a member's nickname (the 20 newest such members). Null when `q` matches
 * no member, so the search answers nothing without scanning orders.
 */
async function filterOf(query: AdminOrderQuery, timeZone: string): Promise<Record<string, unknown> | null> {
  const filter: Record<string, unknown> = { state: query.state ?? { $ne: 'creating' } }
  if (query.q) {
    if (/^[0-9a-f]{24}$/i.test(query.q)) {
      const id = new Types.ObjectId(query.q)
      filter.$or = [{ _id: id }, { userId: id }]
    } else {
      const members = await searchUsers(query.q)
      if (!members.length) return null
      filter.userId = { $in: members.map((m) => m._id) }
    }
  }
  if (query.storeId) filter.storeId = new Types.ObjectId(query.storeId)
  if (query.leaderId) filter.leaderId = new Types.ObjectId(query.leaderId)
  if (query.activityId) filter.activityId = new Types.ObjectId(query.activityId)
  if (query.sessionDay) filter['lines.day'] = query.sessionDay
  if (query.productId) filter['lines.productId'] = new Types.ObjectId(query.productId)
  const placed: Record<string, Date> = {}
  if (query.from) placed.$gte = startOfBusinessDay(query.from, timeZone)
  if (query.to) placed.$lt = new Date(startOfBusinessDay(query.to, timeZone).getTime() + DAY_MS)
  if (Object.keys(placed).length) filter.createdAt = placed
  if (query.cursor) filter._id = { $lt: new Types.ObjectId(query.cursor) }
  return filter
}

/** 运营后台 → 订单: a page of orders, newest first (keyset on _id), each with its member and timeline. */
export async function searchOrders(query: AdminOrderQuery, deps: { timeZone: string; toView: (o: Order) => Promise<OrderView> }): Promise<{ orders: AdminOrder[]; nextCursor: string | null }> {
  const filter = await filterOf(query, deps.timeZone)
  if (!filter) return { orders: [], nextCursor: null }
  const found = await OrderModel.find(filter).sort({ _id: -1 }).limit(query.limit + 1).lean<Order[]>()
  const page = found.slice(0, query.limit)
  const names = await userNames(page.map((o) => o.userId))
  const orders = await Promise.all(
    page.map(async (o) => ({ ...(await deps.toView(o)), member: { id: o.userId.toHexString(), nickname: names.get(o.userId.toHexString()) ?? '' }, timeline: timelineOf(o) })),
  )
  return { orders, nextCursor: found.length > query.limit ? page[page.length - 1]._id.toHexString() : null }
}
