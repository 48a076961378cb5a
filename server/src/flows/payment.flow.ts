import { countSold } from '../modules/catalog/catalog.service'
import { linesOf } from '../modules/orders/order-lines'
import type { CheckoutResponse, OrderView } from '@xianlin/shared'
import { AppError } from '../core/app-error'
import type { Order, PaymentMismatch } from '../modules/orders/order-records'
import type { PayNotification, Transaction } from '../wechat/pay/pay-client'
import type { FlowCalls, FlowContext } from './deps'
import { markMoneyChanged } from '../modules/reports/money-days'

/**
 * Payment (DESIGN.md, Orders and payment; WECHAT.md, Pay v3): a verified WeChat Pay report pays
 * its order once, only when merchant, app, payer and amount all match it; anything else is an
 * anomaly for operators. A payment for an order already closed, or a group already ended, is
 * refunded.
 */
export function createPaymentFlow(c: FlowContext, flows: FlowCalls) {
  const { records, groupbuy, coupons, events, referral, pay, log, clock } = c

  /** What a reported payment says that its order (and our merchant account) does not. */
  function paymentMismatches(tx: Transaction, o: Order): PaymentMismatch[] {
    const expected: Array<[string, string, string | number | undefined]> = [
      ['mchid', pay.merchant.mchid, tx.mchid],
      ['appid', pay.merchant.appId, tx.appid],
      ['payer.openid', o.openid, tx.payer?.openid],
      ['amount.total', String(o.price.payFen), tx.amount?.total],
      ['amount.currency', 'CNY', tx.amount?.currency],
    ]
    return expected.filter(([, want, got]) => String(got) !== want).map(([field, want, got]) => ({ field, expected: want, received: String(got ?? '') }))
  }

  /**
   * A payment that does not match its order never pays it. It is recorded for operators once per
   * payment. Money our merchant account took from a shopper for our app (wrong payer or amount)
   * is given back: the unpaid order closes, returning its seat and reservations, and the payment is
   * refunded in full. A payment naming another merchant or app is not ours to refund, and one
   * reported for an order already paid is not refunded blindly: both are held for review.
   */
  async function paymentAnomaly(o: Order, tx: Transaction, mismatches: PaymentMismatch[]): Promise<void> {
    const ours = !mismatches.some((m) => m.field === 'mchid' || m.field === 'appid') && o.paidAt === null
    const first = await records.recordAnomaly({ id: `${tx.out_trade_no}:${tx.transaction_id ?? 'none'}`, orderId: o._id.toHexString(), transactionId: tx.transaction_id ?? null, mismatches, action: ours ? 'refund_requested' : 'held', amountFen: tx.amount?.total ?? null })
    if (first) log.error({ orderId: o._id, mismatches }, 'payment does not match its order; recorded as an anomaly')
    if (!ours) return
    await flows.closeAndGiveBack(o._id, 'payment_anomaly')
    const total = tx.amount?.total ?? 0
    // `RA<order id>`: another number than an order refund's, and the same on every delivery.
    if (total > 0) await pay.refund({ outTradeNo: tx.out_trade_no, outRefundNo: `RA${o._id.toHexString()}`, refundFen: total, totalFen: total, reason: '支付信息与订单不符，自动退款' }).catch((err: Error) => log.error({ err, orderId: o._id }, 'anomaly refund failed; an operator must refund it'))
  }

  return {
    /** The `requestPayment` parameters again for an order still waiting for payment. */
    async payment(userId: string, orderId: string): Promise<CheckoutResponse> {
      const o = await records.owned(userId, orderId)
      if (o.state !== 'pending_payment' || o.holdUntil <= clock()) throw new AppError('ORDER_NOT_PAYABLE')
      return flows.answer(o)
    },

    /** Development stand-in for `requestPayment` in H5: the fake Pay server "pays" and notifies. */
    async devPay(userId: string, orderId: string): Promise<OrderView> {
      if (!c.devPayer) throw new AppError('NOT_FOUND')
      const o = await records.owned(userId, orderId)
      if (o.state !== 'pending_payment' || !o.prepayId) throw new AppError('ORDER_NOT_PAYABLE')
      await c.devPayer(o.prepayId)
      return records.toView(await records.reload(o._id))
    },

    /** A verified notification from WeChat Pay: payment or refund. Idempotent. */
    async handleNotification(n: PayNotification): Promise<void> {
      if (n.kind === 'transaction') {
        if (n.transaction.trade_state === 'SUCCESS') await flows.paid(n.transaction)
        return
      }
      await flows.noteRefund(n.refund.out_refund_no, n.refund.refund_status)
    },

    /**
     * A successful payment: the order becomes paid once; its seat counts once; a filled group
     * succeeds. Every step after the state change is idempotent and reruns on every delivery,
     * finishing what a crash left.
     */
    async paid(tx: Transaction): Promise<void> {
      const o = await records.find(tx.out_trade_no)
      if (!o) return void log.warn({ outTradeNo: tx.out_trade_no }, 'payment for an unknown order')
      const mismatches = paymentMismatches(tx, o)
      if (mismatches.length) return paymentAnomaly(o, tx, mismatches)
      const now = clock()
      // Before the payment is written: a crash in between only makes the day counted again.
      await markMoneyChanged(now, c.rules.business.timeZone)
      const paidNow = await c.transition(o._id, 'paid', { paidAt: now, transactionId: tx.transaction_id ?? null })
      // Counted by the one call that turned the order paid (a figure on the product page, not money).
      if (paidNow) for (const l of linesOf(paidNow)) await countSold(String(l.productId), l.quantity)
      await c.crashAt?.('payment-after-paid')
      if (!paidNow) {
        const late = await c.transition(o._id, 'paid_after_close', { paidAt: now, transactionId: tx.transaction_id ?? null }, { paidAt: null })
        if (late) return flows.issueRefund(late, '订单已关闭，自动退款')
      }
      const current = paidNow ?? (await records.reload(o._id))
      if (current.state !== 'paid') return
      if (current.couponId) await coupons.use(current.couponId.toHexString(), current._id.toHexString())
      await events.track({ userId: current.userId.toHexString(), name: 'payment', props: { orderId: current._id.toHexString(), fen: current.price.payFen ?? 0 }, at: current.paidAt ?? now, key: `payment:${current._id}` })
      if (current.couponId) await events.track({ userId: current.userId.toHexString(), name: 'coupon_used', props: { couponId: current.couponId.toHexString(), orderId: current._id.toHexString() }, at: current.paidAt ?? now, key: `coupon_used:${current._id}` })
      await referral.orderPaid(current.userId.toHexString())
      if (current.kind !== 'group') return flows.confirmSolo(current)
      const result = await groupbuy.recordPaid(current.groupId!, current.userId, current._id)
      await c.crashAt?.('payment-after-seat-paid')
      if (result.late) {
        const refunding = await c.transition(o._id, 'refund')
        if (refunding) await flows.issueRefund(refunding, '拼团已结束，自动退款')
        return
      }
      if (result.succeeded) await flows.settleGroup(result.group)
    },
  }
}
