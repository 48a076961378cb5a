import { Types } from 'mongoose'
import { CouponModel } from '../src/modules/coupons/coupon.model'
import { ActivityModel } from '../src/modules/groupbuy/activity.model'
import { LimitCounterModel } from '../src/modules/groupbuy/activity.model'
import { OrderModel, type Order } from '../src/modules/orders/order.model'
import { ProductSessionModel, SessionBuyerModel } from '../src/modules/sessions/product-session.model'

const GAVE_BACK = ['closed', 'refunded']

/**
 * The reservation invariants of one activity (DESIGN.md, Group-buy): stock left plus units held
 * equals the stock, every per-user and daily counter counts exactly its holders, and every holder
 * is an order that still holds (not closed, not refunded); no coupon stays locked or used by an
 * order that gave it back or does not exist. Returns the problems, so a failure names them.
 */
export async function reservationProblems(activityId: string): Promise<string[]> {
  const problems: string[] = []
  const a = (await ActivityModel.findById(activityId).lean())!
  const stockHolders = Object.keys(a.stockHolders ?? {})
  if (a.stockLeft + stockHolders.length !== a.stockTotal) problems.push(`stock: ${a.stockLeft} left + ${stockHolders.length} held ≠ ${a.stockTotal}`)
  const counters = await LimitCounterModel.find({ _id: { $in: await counterIds(activityId) } }).lean()
  const holderIds = [...stockHolders, ...counters.flatMap((c) => Object.keys(c.holders ?? {}))]
  const orders = new Map((await OrderModel.find({ _id: { $in: holderIds.map((h) => new Types.ObjectId(h)) } }).lean<Order[]>()).map((o) => [o._id.toHexString(), o]))
  const live = (h: string) => orders.has(h) && !GAVE_BACK.includes(orders.get(h)!.state)
  for (const h of stockHolders) if (!live(h)) problems.push(`stock held by ${orders.get(h)?.state ?? 'missing'} order ${h}`)
  for (const c of counters) {
    const holders = Object.keys(c.holders ?? {})
    if (c.count !== holders.length) problems.push(`${c._id}: count ${c.count} ≠ ${holders.length} holders`)
    for (const h of holders) if (!live(h)) problems.push(`${c._id} held by ${orders.get(h)?.state ?? 'missing'} order ${h}`)
  }
  for (const coupon of await CouponModel.find({ state: { $in: ['locked', 'used'] }, orderId: { $ne: null } }).lean()) {
    const o = await OrderModel.findById(coupon.orderId).lean<Order>()
    if (o?.activityId?.equals(activityId) && GAVE_BACK.includes(o.state)) problems.push(`coupon ${coupon._id} still ${coupon.state} by ${o.state} order ${o._id}`)
    if (!o && coupon.orderId) problems.push(`coupon ${coupon._id} ${coupon.state} by a missing order ${coupon.orderId}`)
  }
  return problems
}

/** The per-user and daily counter ids of an activity that exist (their `_id`s start with the activity). */
async function counterIds(activityId: string): Promise<string[]> {
  const all = await LimitCounterModel.find({}, { _id: 1 }).lean()
  return all.map((c) => String(c._id)).filter((id) => id.split(':')[1] === activityId)
}

/**
 * The invariants of one session (DESIGN.md, Shop): units left plus units held equals the quota,
 * every member's count equals what their orders hold, and every holder is an order that still
 * holds (not closed, not refunded). Returns the problems, so a failure names them.
 */
export async function sessionProblems(productId: string, day: string): Promise<string[]> {
  const problems: string[] = []
  const s = await ProductSessionModel.findById(`${productId}:${day}`).lean<{ quota: number; left: number; held: Record<string, number> }>()
  if (!s) return problems
  const held = Object.entries(s.held ?? {})
  const units = held.reduce((n, [, q]) => n + q, 0)
  if (s.left + units !== s.quota) problems.push(`session ${productId}:${day}: ${s.left} left + ${units} held ≠ ${s.quota}`)
  const buyers = (await SessionBuyerModel.find({}).lean<Array<{ _id: string; count: number; holders: Record<string, number> }>>()).filter((b) => b._id.startsWith(`${productId}:${day}:`))
  const holders = [...held.map(([o]) => o), ...buyers.flatMap((b) => Object.keys(b.holders ?? {}))]
  const orders = new Map((await OrderModel.find({ _id: { $in: holders.map((h) => new Types.ObjectId(h)) } }).lean<Order[]>()).map((o) => [o._id.toHexString(), o]))
  const live = (h: string) => orders.has(h) && !GAVE_BACK.includes(orders.get(h)!.state)
  for (const [o] of held) if (!live(o)) problems.push(`units held by ${orders.get(o)?.state ?? 'missing'} order ${o}`)
  for (const b of buyers) {
    const counted = Object.values(b.holders ?? {}).reduce((n, q) => n + q, 0)
    if (b.count !== counted) problems.push(`${b._id}: count ${b.count} ≠ ${counted} held`)
    for (const o of Object.keys(b.holders ?? {})) if (!live(o)) problems.push(`${b._id} held by ${orders.get(o)?.state ?? 'missing'} order ${o}`)
  }
  return problems
}
