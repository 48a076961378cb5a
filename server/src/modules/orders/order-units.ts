import type { Order, OrderLine } from './order.model'

/**
 * The hand-over state table, per unit of a line (DESIGN.md, Fulfilment and after-sale). A line
 * keeps counts, not one state: `handedQty`, `refundedQty` and, of those, `refundedHandedQty`; the
 * units in each state follow from them (below), and every change goes through one guarded update
 * of the order's revision (`records.revise`), so two hand-overs or refunds never take one unit.
 *
 *   to_hand_over ──handed_over──▶ handed ──refunded_after_hand_over──▶ refunded_after_hand_over
 *        └──────refunded_before_hand_over──▶ refunded_before_hand_over
 *
 * Orders completed before hand-over by the line count as all handed.
 */
export const LINE_UNIT_TRANSITIONS = {
  /** The leader or a clerk hands units over (all, or some). (pickup flow) */
  handed_over: { from: 'to_hand_over', to: 'handed', does: 'what their paid share earns is credited (an earnings event)' },
  /** Shortage, 未收到, or an operator before pickup. (refund flow) */
  refunded_before_hand_over: { from: 'to_hand_over', to: 'refunded_before_hand_over', does: 'their paid share is refunded; they earned nothing' },
  /** 售后, or an operator after pickup. (refund flow) */
  refunded_after_hand_over: { from: 'handed', to: 'refunded_after_hand_over', does: 'the refund takes back, in proportion, what they earned' },
} as const
export const handedOf = (o: Pick<Order, 'completedAt'>, l: OrderLine) => l.handedQty ?? (o.completedAt ? l.quantity : 0)
export const refundedOf = (l: OrderLine) => l.refundedQty ?? 0
/** Units refunded that had been handed over. */
export const refundedHandedOf = (l: OrderLine) => l.refundedHandedQty ?? 0
/** Units handed over or refunded before hand-over: the line's units are resolved in this order. */
export const resolvedOf = (o: Pick<Order, 'completedAt'>, l: OrderLine) => handedOf(o, l) + refundedOf(l) - refundedHandedOf(l)
/** Units still to hand over (`to_hand_over`). */
export const toHandOverOf = (o: Pick<Order, 'completedAt'>, l: OrderLine) => l.quantity - resolvedOf(o, l)
/** Units handed over and not refunded (`handed`: what after-sale may claim). */
export const keptUnitsOf = (o: Pick<Order, 'completedAt'>, l: OrderLine) => handedOf(o, l) - refundedHandedOf(l)
/** How many units of a line an event of the table may take now: those in its `from` state. */
export const unitsFor = (o: Pick<Order, 'completedAt'>, l: OrderLine, event: keyof typeof LINE_UNIT_TRANSITIONS) =>
  LINE_UNIT_TRANSITIONS[event].from === 'handed' ? keptUnitsOf(o, l) : toHandOverOf(o, l)
/** Until when an order's handed-over lines may be claimed (售后): `hours` after its last hand-over; null before any. */
export function afterSaleUntil(o: Pick<Order, 'earnings' | 'completedAt'>, hours: number): Date | null {
  const handed = (o.earnings ?? []).filter((e) => e.key?.startsWith('h')).map((e) => e.at!.getTime())
  const last = handed.length ? Math.max(...handed) : o.completedAt?.getTime()
  return last ? new Date(last + hours * 3_600_000) : null
}

/** The fen an order earns on: handed over and not refunded (orders from before count their whole payment once completed). */
export const keptFenOf = (o: Pick<Order, 'keptFen' | 'completedAt' | 'price'>) => o.keptFen ?? (o.completedAt ? (o.price.payFen ?? 0) : 0)
