import type { Types } from 'mongoose'
import type { OrderView } from '@xianlin/shared'
import { AppError } from '../core/app-error'
import { recordAudit } from '../modules/audit/audit.service'
import type { Order } from '../modules/orders/order-records'
import { nextRefundStep } from '../modules/orders/refund-retry'
import type { Refund } from '../wechat/pay/pay-client'
import type { FlowCalls, FlowContext } from './deps'

const DAY = 86_400_000

/**
 * Refunds and their reversals: WeChat Pay is asked under `RF<order id>`, so every retry is the
 * same refund and asking again is also how we learn how it went. When it succeeds the order's
 * reservations come back and, after pickup, what completion credited is taken back, once.
 */
export function createRefundFlow(c: FlowContext, flows: FlowCalls) {
  const { rules, records, points, leaders, referral, groupbuy, pay, log, clock } = c

  return {
    async issueRefund(o: Order, reason: string): Promise<void> {
      await c.crashAt?.('refund-before-call')
      let answer: Refund['status'] | 'ERROR'
      try {
        answer = (await pay.refund({ outTradeNo: o._id.toHexString(), outRefundNo: `RF${o._id.toHexString()}`, refundFen: o.price.payFen!, totalFen: o.price.payFen!, reason })).status
      } catch (err) {
        log.error({ err, orderId: o._id }, 'refund request failed; the recovery job asks again')
        answer = 'ERROR'
      }
      await flows.noteRefund(o._id, answer)
    },

    /** Records WeChat Pay's answer about a refund: SUCCESS finishes it; anything else waits or goes to operators. */
    async noteRefund(orderId: Types.ObjectId, answer: Refund['status'] | 'ERROR'): Promise<void> {
      if (answer === 'SUCCESS') return flows.refundSucceeded(orderId)
      const o = await records.find(orderId)
      if (o?.state !== 'refunding') return
      const step = nextRefundStep(answer, o.refundAttempts ?? 0, clock())
      await records.noteRefundStep(orderId, o.refundAttempts ?? 0, step)
      if (step.nextAt === null) log.error({ orderId, refundStatus: step.status }, 'refund needs an operator')
    },

    /** A refunding order is asked about when it never was (a crash before the call) or its next time has come. */
    refundDue: (o: Order, now: Date) => o.state === 'refunding' && (o.refundAttempts ? o.refundNextAt != null && o.refundNextAt <= now : true),

    /** The refund went through: the order is refunded once and gives back stock, coupon and points. */
    async refundSucceeded(orderId: Types.ObjectId | string): Promise<void> {
      const found = await records.find(orderId)
      if (!found) return
      await c.transition(found._id, 'refunded', { refundedAt: clock() })
      await c.crashAt?.('refund-after-refunded')
      const o = await records.reload(found._id)
      if (o.state !== 'refunded') return
      await c.events.track({ userId: o.userId, name: 'refund', props: { orderId: o._id.toHexString(), fen: o.price.payFen ?? 0, afterPickup: Boolean(o.completedAt) }, at: o.refundedAt ?? clock(), key: `refund:${o._id}` })
      await flows.giveBackAll(o)
      if (o.groupId) await groupbuy.memberRefunded(o.groupId, o.userId, o._id)
      if (o.completedAt) {
        // Refunded after pickup: what completion earned is taken back, once.
        if (o.leaderId) await leaders.cancelCommission(o._id)
        // An invitee's qualifying first order: its invitation rewards were still waiting; cancelled once.
        await referral.orderRefunded(o.userId.toHexString(), o._id.toHexString())
        if (await points.hasEntry(`order:earn:${o._id}`)) await points.settlePending(`order:earn:${o._id}`, 'cancel').catch((err: Error) => log.warn({ err, orderId: o._id }, 'order points already settled'))
        return
      }
      if (o.groupId) await flows.sendResult(o, 'failed')
    },

    /**
     * An operator refunds a completed order inside the refund window (after-sales): the pending
     * points and the leader's commission are cancelled once the refund succeeds.
     */
    async refundCompleted(adminId: string, orderId: string): Promise<OrderView> {
      const found = await records.find(orderId)
      const windowStart = new Date(clock().getTime() - rules.orders.refundWindowDays * DAY)
      const o = found ? await c.transition(found._id, 'after_sale_refund', {}, { completedAt: { $gt: windowStart } }) : null
      if (!o) throw new AppError('ORDER_NOT_PAYABLE', '订单不在可退款状态或已过售后期')
      await recordAudit({ actorId: adminId, action: 'order.refund', targetType: 'order', targetId: orderId, outcome: 'requested', at: clock() })
      // Decided now, inside the window: the invitation's waiting rewards must not be paid while
      // WeChat finishes the refund (its result may arrive after the window ends).
      await referral.orderRefunded(o.userId.toHexString(), o._id.toHexString())
      await flows.issueRefund(o, '售后退款')
      return records.toView(await records.reload(o._id))
    },
  }
}
