import { Types } from 'mongoose'
import { businessClockText, maskName, type ChainView } from '@xianlin/shared'
import { onShelf, productsByIds } from '../modules/catalog/catalog.service'
import { linesOf } from '../modules/orders/order-lines'
import { userNames } from '../modules/users/users.service'
import type { FlowContext } from './deps'

/**
 * 接龙 (DESIGN.md, Fulfilment and after-sale): a leader's session as the neighbourhood chat sees it:
 * the products shared (or all the session's), and the orders placed at this leader's point for
 * the session, in the order they were paid: `1. 王** 芒果 ×2 10:32`. Nothing else about a member.
 */
export function createChainFlow(c: FlowContext) {
  const { leaders, rules } = c
  return {
    async chain(code: string, day: string, productIds?: string[]): Promise<ChainView> {
      const leaderId = await leaders.leaderIdOf(code)
      const point = await leaders.pointOf(leaderId)
      const orders = await c.records.deliveredOn(day, { kind: 'leader', id: leaderId })
      const names = await userNames(orders.map((o) => o.userId))
      const units = new Map<string, number>()
      const entries = orders.flatMap((o) => {
        const items = linesOf(o)
          .filter((l) => l.day === day && l.quantity - (l.refundedQty ?? 0) > 0)
          .map((l) => {
            const q = l.quantity - (l.refundedQty ?? 0)
            units.set(String(l.productId), (units.get(String(l.productId)) ?? 0) + q)
            return { name: l.name, quantity: q }
          })
        return items.length ? [{ member: maskName(names.get(o.userId.toHexString()) ?? ''), items, at: businessClockText(o.paidAt ?? o.createdAt, rules.business.timeZone) }] : []
      })
      // Shared without a choice: the whole shelf, what neighbours already ordered first.
      const shelf = productIds?.length ? [] : (await onShelf()).map((p) => p.view.id)
      const ids = productIds?.length ? productIds : [...new Set([...units.keys(), ...shelf])].slice(0, 40)
      const found = await productsByIds(ids.map((id) => new Types.ObjectId(id)))
      const products = ids.flatMap((id) => (found.get(id) ? [found.get(id)!] : []))
      return {
        leader: { code, name: point.name, community: point.community },
        day,
        products: products.map((p) => ({ id: p.id, name: p.name, unit: p.unit, cover: { ...p.cover, photo: p.cover.photo ?? null }, priceFen: p.priceFen, units: units.get(p.id) ?? 0 })),
        entries: entries.map((e, i) => ({ n: i + 1, ...e })),
      }
    },
  }
}
