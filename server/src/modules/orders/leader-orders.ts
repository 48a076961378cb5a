import type { Types } from 'mongoose'
import { OrderModel } from './order.model'

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

/** Per leader, the orders paid at their point in [from, to) and what was paid (团长 report). */
export async function leaderOrdersBetween(from: Date, to: Date): Promise<Map<string, { orders: number; payFen: number; members: number }>> {
  const rows = await OrderModel.find({ leaderId: { $ne: null }, paidAt: { $gte: from, $lt: to } }, { leaderId: 1, userId: 1, 'price.payFen': 1 }).lean<
    Array<{ leaderId: Types.ObjectId; userId: Types.ObjectId; price?: { payFen?: number } }>
  >()
  const byLeader = new Map<string, { orders: number; payFen: number; buyers: Set<string> }>()
  for (const r of rows) {
    const l = byLeader.get(String(r.leaderId)) ?? { orders: 0, payFen: 0, buyers: new Set<string>() }
    l.orders++
    l.payFen += r.price?.payFen ?? 0
    l.buyers.add(String(r.userId))
    byLeader.set(String(r.leaderId), l)
  }
  return new Map([...byLeader].map(([id, l]) => [id, { orders: l.orders, payFen: l.payFen, members: l.buyers.size }]))
}
