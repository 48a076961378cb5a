import type { Order } from '../modules/orders/order-records'
import { PayError } from '../wechat/pay/pay-client'
import { MINUTE, type FlowCalls, type FlowContext } from './deps'

/**
 * Recovery: the job that finishes or undoes what a crash interrupted. Unpaid orders past their
 * hold close (WeChat Pay is asked first: a payment may have arrived without its notification) and
 * give back what they hold; checkouts that crashed before reaching WeChat Pay leave nothing
 * behind; closed orders still holding something give it back; refunds are asked about again;
 * completed orders get their credits.
 */
export function createRecoveryFlow(c: FlowContext, flows: FlowCalls) {
  const { records, pay, log } = c

  return {
    /** Closes an unpaid order (released seat, failed group) and gives back what it held. */
    async closeUnpaid(o: Order, reason: string): Promise<void> {
      const closePayment = async () => {
        try {
          await pay.close(o._id.toHexString())
        } catch (err) {
          // Never created at WeChat Pay (or Pay is not configured here): nothing to close.
          if (!(err instanceof PayError && (err.code === 'ORDER_NOT_EXIST' || err.code === 'NOT_CONFIGURED'))) throw err
        }
      }
      if (o.prepayId) {
        const tx = await pay.query(o._id.toHexString())
        if (tx?.trade_state === 'SUCCESS') return flows.paid(tx)
        await closePayment()
      } else if (o.state === 'creating') {
        // A checkout that died before answering: its shopper never had the payment parameters,
        // but WeChat Pay may hold a prepay made just before the crash; close it to be sure.
        await closePayment()
      }
      await flows.closeAndGiveBack(o._id, reason)
      // A checkout that died before answering was never shown to its shopper: it leaves nothing.
      if (!o.prepayId && o.state === 'creating') await flows.forgetUnseen(o._id, `${o.userId}:${o.idempotencyKey}`)
    },

    /** Job: releases seats unpaid after their hold, and finishes interrupted work. */
    async releaseDueHolds(now: Date): Promise<number> {
      const due = await records.dueUnpaid(now)
      for (const o of due) await flows.closeUnpaid(o, 'unpaid').catch((err: Error) => log.error({ err, orderId: o._id }, 'releasing an unpaid order failed'))
      for (const o of await records.closedStillHolding()) await flows.giveBackAll(o)
      await flows.resumeRefunds(now)
      await flows.resumeShortages(now)
      await flows.resumeArrivals(now)
      for (const o of await records.uncredited()) await flows.credit(o)
      // Bought alone and paid, but a crash came before its pickup code: confirm it now.
      for (const o of await records.paidSoloUnconfirmed(new Date(now.getTime() - MINUTE))) await flows.confirmSolo(o)
      return due.length
    },
  }
}
