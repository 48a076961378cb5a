import type { OrderView } from '@xianlin/shared'
import { monthDay } from './format'

/** How an order was bought, in the words of the order list and page. */
export function orderKindText(o: Pick<OrderView, 'kind' | 'groupSize' | 'itemCount' | 'quantity'>): string {
  if (o.kind === 'group') return `${o.groupSize}人团`
  if (o.kind === 'basket') return `共 ${o.itemCount} 件`
  return `单独购买 × ${o.quantity}`
}

/** When a basket can be picked up: `明天起可自提`, or each day when its lines come on two. */
export function pickupText(o: Pick<OrderView, 'pickupDays'>): string | null {
  if (!o.pickupDays.length) return null
  return `${o.pickupDays.map(monthDay).join('、')}起可自提`
}
