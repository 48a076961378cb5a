import type { Types } from 'mongoose'
import type { Order } from '../modules/orders/order-records'
import type { FlowContext } from './deps'

/**
 * What a checkout reserves (per-user slot, daily slot, stock, seat, coupon, points) is written on
 * the order as intended before it is taken, and every take is keyed by the order: the counter, the
 * group seat, the coupon lock and the points entry each say whether this order holds one. So giving
 * back is "give back whatever this order holds", safe to run after a crash at any step, and safe
 * to run twice.
 */
export function createReservations(c: FlowContext) {
  const { records, groupbuy, coupons, points, sessions } = c

  async function giveBackAll(o: Order): Promise<void> {
    if (o.groupId) await groupbuy.leaveGroup(o.groupId, o.userId, o._id)
    // A product bought alone held nothing of a group-buy.
    if (o.activityId) {
      await groupbuy.giveBackStock(o.activityId, o._id)
      await groupbuy.giveBackDaySlot(o.activityId, o.createdAt, o._id)
      await groupbuy.giveBackUserSlot(o.activityId, o.userId, o._id)
    }
    // A basket's units go back to their sessions; each session knows what this order holds.
    if (o.kind === 'basket') await sessions.giveBack(o._id, o.userId.toHexString(), (o.lines ?? []).map((l) => ({ productId: String(l.productId), day: l.day!, quantity: l.quantity })))
    if (o.couponId) await coupons.restore(o.couponId.toHexString(), o._id.toHexString())
    // Points come back only if they were taken: the spend is an entry keyed by the order.
    if (o.price.pointsUsed && (await points.hasEntry(`order:points:${o._id}`))) {
      await points.refund({ userId: o.userId, amount: o.price.pointsUsed, source: 'order', sourceId: o._id.toHexString(), key: `order:points-back:${o._id}` })
    }
    await records.markReleased(o._id)
  }

  return {
    giveBackAll,

    /**
     * A checkout that was refused, or died before WeChat Pay knew of it, leaves nothing a person
     * can see: once all it held is given back, its order, its idempotency key (so a corrected retry
     * with the same key goes through) and a group it opened are removed.
     */
    async forgetUnseen(orderId: Types.ObjectId, keyId: string): Promise<void> {
      const o = await records.find(orderId)
      const held = o?.held
      if (!o || !held || o.state !== 'closed' || o.prepayId || held.user || held.day || held.stock || held.seat || held.coupon || held.points) return
      if (o.groupId) await groupbuy.discardOpened(o.groupId, o.userId)
      await records.forget(orderId, keyId)
    },

    /**
     * Closes an order not paid yet and gives back what it holds; safe to repeat. `known` is the
     * caller's copy, used when the order is gone: a checkout that stalled past its hold, was
     * forgotten by recovery, then resumed and took something, still gives it back.
     */
    async closeAndGiveBack(orderId: Types.ObjectId, reason: string, known?: Order): Promise<void> {
      await c.transition(orderId, 'closed', { closedAt: c.clock(), closeReason: reason })
      const o = await records.find(orderId)
      // The caller's copy may know points the record missed (spent after the order was closed).
      if (o?.state === 'closed') await giveBackAll(known && !o.price.pointsUsed ? { ...o, price: known.price } : o)
      else if (!o && known) await giveBackAll(known)
    },
  }
}
