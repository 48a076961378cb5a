import type { Types } from 'mongoose'
import { OrderModel } from './order.model'
import { readByIds } from '../../db/read-by-ids'

/**
 * What the leaders domain reads of orders at a leader's point, for 团长中心: how many members
 * completed an order there, and the orders waiting to be handed over (oldest first).
 */
export async function leaderOrderFigures(leaderId: Types.ObjectId): Promise<{
  orderedMembers: number
  toHandOver: Array<{ orderId: Types.ObjectId; userId: Types.ObjectId; title: string; payFen: number; confirmedAt: Date }>
}> {
  const ordered = await OrderModel.distinct('userId', { leaderId, state: 'completed' })
  const waiting = await OrderModel.find({ leaderId, state: 'confirmed' }).sort({ confirmedAt: 1 }).limit(100).lean()
  return {
    orderedMembers: ordered.length,
    toHandOver: waiting.map((o) => ({ orderId: o._id, userId: o.userId, title: o.title, payFen: o.price.payFen ?? 0, confirmedAt: o.confirmedAt ?? o.createdAt })),
  }
}

/** The leader's point of each of `orderIds` that had one (团长's refunds), read by `_id`. */
export async function leadersOfOrders(orderIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await readByIds<{ _id: Types.ObjectId; leaderId?: Types.ObjectId | null }>(OrderModel, orderIds, { leaderId: 1 })
  return new Map(rows.filter((o) => o.leaderId).map((o) => [String(o._id), String(o.leaderId)]))
}
