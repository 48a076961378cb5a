import { Types } from 'mongoose'
import type { OrderLineView } from '@xianlin/shared'
import { bulkUpdate } from '../../db/bulk-update'
import { OrderModel, type Order, type OrderLine } from './order.model'

/**
 * The one line an order from before baskets stands for: a group-buy's unit at its group price, or
 * a product bought alone in its quantity. Its discounts and payment are the order's, so the line
 * adds up to the order exactly as a basket's lines do.
 */
export function oneLineOf(o: Pick<Order, 'quantity' | 'product' | 'price'>): OrderLine {
  const quantity = o.quantity ?? 1
  const p = o.price
  const lineFen = p.groupPriceFen! - p.levelDiscountFen!
  return {
    productId: new Types.ObjectId(o.product.id!),
    name: o.product.name!,
    subtitle: o.product.subtitle ?? '',
    unit: o.product.unit ?? '',
    cover: { emoji: o.product.cover!.emoji!, tint: o.product.cover!.tint!, photo: o.product.cover!.photo ?? null },
    day: null,
    pickupDay: null,
    pickupFrom: null,
    quantity,
    // A product bought alone kept its totals; a group-buy one unit at the list and group price.
    listUnitFen: Math.round(p.listPriceFen! / quantity),
    unitFen: Math.round(p.groupPriceFen! / quantity),
    memberUnitFen: Math.round(lineFen / quantity),
    lineFen,
    couponFen: p.couponFen ?? 0,
    pointsFen: p.pointsFen ?? 0,
    payFen: p.payFen!,
  }
}

/** An order's lines, as every reader should take them (an order not yet moved reads as its one line). */
export const linesOf = (o: Order): OrderLine[] => o.lines ?? [oneLineOf(o)]

/** A line as pages show it; `handed` is its units handed over (an order's, see order-units.ts). */
export const toLineView = (l: OrderLine, handed = 0): OrderLineView => ({
  productId: String(l.productId),
  name: l.name,
  unit: l.unit ?? '',
  cover: { emoji: l.cover.emoji!, tint: l.cover.tint!, photo: l.cover.photo ?? null },
  day: l.day ?? null,
  pickupDay: l.pickupDay ?? null,
  pickupFrom: l.pickupFrom?.toISOString() ?? null,
  quantity: l.quantity,
  listUnitFen: l.listUnitFen,
  memberUnitFen: l.memberUnitFen,
  lineFen: l.lineFen,
  couponFen: l.couponFen,
  pointsFen: l.pointsFen,
  payFen: l.payFen,
  handedQty: handed,
  refundedQty: l.refundedQty ?? 0,
  refundedFen: l.refundedFen ?? 0,
})

/**
 * Start-up: orders written before baskets get their one line, 200 at a time, each written only
 * where it still has none, so running it again (or on two instances at once) changes nothing.
 * Returns how many orders it moved.
 */
export async function moveOrdersToLines(): Promise<number> {
  let moved = 0
  for (;;) {
    const batch = await OrderModel.find({ lines: { $exists: false } }).limit(200).lean<Order[]>()
    if (!batch.length) return moved
    moved += await bulkUpdate(
      OrderModel,
      batch.map((o) => ({ updateOne: { filter: { _id: o._id, lines: { $exists: false } }, update: { $set: { lines: [oneLineOf(o)], pickupDays: [] } } } })),
    )
  }
}
