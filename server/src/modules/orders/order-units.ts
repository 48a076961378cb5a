import type { Order, OrderLine } from './order.model'

/**
 * Where each unit of an order's lines stands (DESIGN.md, Fulfilment and after-sale): handed over,
 * refunded before hand-over (shortage, not received), or still to hand over; and units handed over
 * may be refunded later (after-sale). Orders completed before hand-over by the line count as all handed.
 */
export const handedOf = (o: Pick<Order, 'completedAt'>, l: OrderLine) => l.handedQty ?? (o.completedAt ? l.quantity : 0)
export const refundedOf = (l: OrderLine) => l.refundedQty ?? 0
/** Units refunded that had been handed over. */
export const refundedHandedOf = (l: OrderLine) => l.refundedHandedQty ?? 0
/** Units handed over or refunded before hand-over: the line's units are resolved in this order. */
export const resolvedOf = (o: Pick<Order, 'completedAt'>, l: OrderLine) => handedOf(o, l) + refundedOf(l) - refundedHandedOf(l)
/** Units still to hand over. */
export const toHandOverOf = (o: Pick<Order, 'completedAt'>, l: OrderLine) => l.quantity - resolvedOf(o, l)
/** Units handed over and not refunded (what after-sale may claim). */
export const keptUnitsOf = (o: Pick<Order, 'completedAt'>, l: OrderLine) => handedOf(o, l) - refundedHandedOf(l)
/** Until when an order's handed-over lines may be claimed (售后): `hours` after its last hand-over; null before any. */
export function afterSaleUntil(o: Pick<Order, 'earnings' | 'completedAt'>, hours: number): Date | null {
  const handed = (o.earnings ?? []).filter((e) => e.key?.startsWith('h')).map((e) => e.at!.getTime())
  const last = handed.length ? Math.max(...handed) : o.completedAt?.getTime()
  return last ? new Date(last + hours * 3_600_000) : null
}

/** The fen an order earns on: handed over and not refunded (orders from before count their whole payment once completed). */
export const keptFenOf = (o: Pick<Order, 'keptFen' | 'completedAt' | 'price'>) => o.keptFen ?? (o.completedAt ? (o.price.payFen ?? 0) : 0)
