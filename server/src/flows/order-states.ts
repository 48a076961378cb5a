import type { Types } from 'mongoose'
import type { OrderState } from '@xianlin/shared'
import type { Order, OrderRecords } from '../modules/orders/order-records'

/**
 * The order state table (DESIGN.md, Orders and payment): every event an order can meet, the states
 * it may happen in, the state it leads to, and what the flow that raises it does next. Every change
 * of an order's state goes through `transition`, one guarded update whose filter is the table's
 * row, so an event in a state the table does not list changes nothing, whoever races.
 *
 *   creating ──prepared──▶ pending_payment ──paid──▶ paid ──confirmed / ready──▶ confirmed ──handed_over──▶ completed
 *      │ └────────────paid──────────────────────────▲  │                                              │
 *      └──closed──▶ closed ◀──closed── pending_payment  └──refund──▶ refunding     confirmed/completed ──lines_refunded──▶ refunded
 *                     └──paid_after_close──▶ refunding ──refunded──▶ refunded
 */
export const ORDER_TRANSITIONS = {
  /** The prepay exists: the shopper can pay. (checkout flow) */
  prepared: { from: ['creating'], to: 'pending_payment', does: 'the shopper is asked to pay; the seat is held until `holdUntil`' },
  /** WeChat Pay reported a matching payment. (payment flow) */
  paid: { from: ['creating', 'pending_payment'], to: 'paid', does: 'the coupon is used, the seat counts as paid, a filled group succeeds' },
  /** Not paid in time, refused at checkout, group ended, or the payment did not match. (reservations) */
  closed: { from: ['creating', 'pending_payment'], to: 'closed', does: 'every reservation is given back' },
  /** A payment arrived for an order already closed. (payment flow) */
  paid_after_close: { from: ['closed'], to: 'refunding', does: 'the payment is refunded; reservations stay given back' },
  /** Its group succeeded. (settlement flow) */
  confirmed: { from: ['paid'], to: 'confirmed', does: 'a one-time pickup code is issued and the shopper is told' },
  /** A basket (or a product bought alone) was paid: nothing to wait for. (settlement flow, on payment) */
  ready: { from: ['paid'], to: 'confirmed', does: 'a one-time pickup code is issued; the shopper is told when and where to pick up' },
  /** Staff or a leader handed over the last units still to hand over (earlier ones may have gone by the line). (pickup flow) */
  handed_over: { from: ['confirmed'], to: 'completed', does: 'each hand-over credits, in proportion, points (pending for the refund window), growth, commission; the first the invitation' },
  /** Its group failed, or ended before the payment counted. (settlement, payment flows) */
  refund: { from: ['paid'], to: 'refunding', does: 'WeChat Pay is asked to refund, with retries' },
  /** WeChat Pay says the whole refund succeeded. (refund flow) */
  refunded: { from: ['refunding'], to: 'refunded', does: 'before any hand-over reservations come back; what was handed over gives back what it earned' },
  /** Refunds by the line (shortage, after-sale, operator) have now refunded every unit. (refund flow) */
  lines_refunded: { from: ['confirmed', 'completed'], to: 'refunded', does: 'what the refunded units earned was taken back with each refund' },
} as const satisfies Record<string, { from: readonly OrderState[]; to: OrderState; does: string }>

export type OrderEvent = keyof typeof ORDER_TRANSITIONS
export const ORDER_EVENTS = Object.keys(ORDER_TRANSITIONS) as OrderEvent[]

/** Where `event` takes an order in `state`, or null when the table does not allow it. */
export function nextState(state: OrderState, event: OrderEvent): OrderState | null {
  const row = ORDER_TRANSITIONS[event]
  return (row.from as readonly OrderState[]).includes(state) ? row.to : null
}

/**
 * Applies `event` to an order: one guarded update from the table's `from` states to its `to`
 * state, with `set` written alongside and `guard` as a further condition. Returns the order after
 * the change, or null when the order was not in a state the event allows (nothing changes then).
 */
export function createOrderTransitions(records: Pick<OrderRecords, 'changeState'>) {
  return function transition(orderId: Types.ObjectId, event: OrderEvent, set: Record<string, unknown> = {}, guard: Record<string, unknown> = {}): Promise<Order | null> {
    const row = ORDER_TRANSITIONS[event]
    return records.changeState(orderId, row.from, row.to, set, guard)
  }
}

export type Transition = ReturnType<typeof createOrderTransitions>
