import { Types } from 'mongoose'
import type { OrderView } from '@xianlin/shared'
import { AppError } from '../core/app-error'
import type { Actor } from '../core/actor'
import { recordAudit } from '../modules/audit/audit.service'
import { staffWorksAt } from '../modules/stores/stores.service'
import type { Order } from '../modules/orders/order-records'
import type { FlowCalls, FlowContext } from './deps'

/**
 * Pickup and completion credits (DESIGN.md, Orders and payment; Points; Community leaders): the
 * goods are handed over once by their code, at the right store or leader's point; then points
 * (pending for the refund window), growth, the leader's commission and the invitation hook follow,
 * each keyed by the order, and `credited` marks them done (the recovery job finishes it after a crash).
 */
export function createPickupFlow(c: FlowContext, flows: FlowCalls) {
  const { rules, records, points, membership, referral, leaders, clock } = c

  /**
   * Hands an order over by its pickup code, once: `refuse` says why this actor may not (another
   * store, another leader's point); every attempt is audit-logged under `action`.
   */
  async function handOver(actor: Actor, code: string, action: string, details: Record<string, unknown>, refuse: (o: Order) => { outcome: string; error: AppError } | null): Promise<OrderView> {
    const audit = (outcome: string, orderId?: Types.ObjectId) => recordAudit({ actorId: actor.userId, action, targetType: 'order', targetId: orderId?.toHexString() ?? code, outcome, details, at: clock() })
    const o = await records.byPickupCode(code)
    if (!o) {
      await audit('unknown_code')
      throw new AppError('PICKUP_CODE_UNKNOWN')
    }
    const refusal = refuse(o)
    if (refusal) {
      await audit(refusal.outcome, o._id)
      throw refusal.error
    }
    const done = await c.transition(o._id, 'handed_over', { completedAt: clock(), completedBy: new Types.ObjectId(actor.userId) })
    if (!done) {
      const picked = (await records.reload(o._id)).state === 'completed'
      await audit(picked ? 'already_picked_up' : 'not_ready', o._id)
      throw new AppError(picked ? 'ALREADY_PICKED_UP' : 'PICKUP_NOT_READY')
    }
    await audit('ok', o._id)
    await c.crashAt?.('pickup-after-handed-over')
    await flows.credit(done)
    return records.toView(await records.reload(o._id))
  }

  return {
    /** Staff confirm a pickup at their store. */
    pickup(actor: Actor, input: { code: string; storeId?: string }): Promise<OrderView> {
      return handOver(actor, input.code, 'order.pickup', { storeId: input.storeId ?? null }, (o) =>
        !o.storeId || !staffWorksAt(actor, o.storeId.toHexString()) || (input.storeId && input.storeId !== o.storeId.toHexString())
          ? { outcome: 'wrong_store', error: new AppError('WRONG_STORE', '该订单不在本店自提') }
          : null,
      )
    },

    /** A leader confirms a pickup at their point; only an active leader, only their own point's orders. */
    async pickupAtLeader(actor: Actor, code: string): Promise<OrderView> {
      if (!(await leaders.pointOf(actor.userId)).active) {
        await recordAudit({ actorId: actor.userId, action: 'order.leader_pickup', targetType: 'order', targetId: code, outcome: 'leader_suspended', at: clock() })
        throw new AppError('LEADER_SUSPENDED')
      }
      return handOver(actor, code, 'order.leader_pickup', {}, (o) => (o.leaderId?.equals(actor.userId) ? null : { outcome: 'not_your_point', error: new AppError('NOT_YOUR_PICKUP') }))
    },

    /** Points (pending for the refund window) and growth for a completed order, and the invitation hook. */
    async credit(o: Order): Promise<void> {
      const yuan = Math.floor(o.price.payFen! / 100)
      const earned = yuan * rules.points.perYuanPaid
      if (earned > 0) await points.earn({ userId: o.userId, amount: earned, pending: true, source: 'order', sourceId: o._id.toHexString(), key: `order:earn:${o._id}` })
      await c.crashAt?.('credit-after-points')
      const growth = yuan * rules.growth.perYuanPaid
      if (growth > 0) await membership.addGrowth({ userId: o.userId, amount: growth, source: 'order', sourceId: o._id.toHexString(), key: `order:growth:${o._id}` })
      await referral.orderCompleted(o.userId.toHexString(), o._id.toHexString())
      if (o.leaderId) await leaders.earnCommission({ _id: o._id, leaderId: o.leaderId, payFen: o.price.payFen!, completedAt: o.completedAt ?? clock() })
      await records.markCredited(o._id)
    },
  }
}
