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

/** Per leader, the money refunds returned in [from, to) for orders at their point (团长 report's 退款). */
export async function leaderRefundsBetween(refunds: ReadonlyArray<{ orderId: string; fen: number }>): Promise<Map<string, number>> {
  const orders = await Promise.all([...new Set(refunds.map((r) => r.orderId))].map((id) => OrderModel.findById(id, { leaderId: 1 }).lean<{ _id: Types.ObjectId; leaderId?: Types.ObjectId | null }>()))
  const leaderOf = new Map(orders.filter((o) => o?.leaderId).map((o) => [String(o!._id), String(o!.leaderId)]))
  const out = new Map<string, number>()
  for (const r of refunds) {
    const leader = leaderOf.get(r.orderId)
    if (leader) out.set(leader, (out.get(leader) ?? 0) + r.fen)
  }
  return out
}
