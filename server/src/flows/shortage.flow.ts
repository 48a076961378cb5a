import { Types } from 'mongoose'
import type { ShortageView } from '@xianlin/shared'
import { AppError } from '../core/app-error'
import { recordAudit } from '../modules/audit/audit.service'
import { linesOf } from '../modules/orders/order-lines'
import { toHandOverOf } from '../modules/orders/order-units'
import { refundRecords } from '../modules/refunds/refund-records'
import { shortageRecords, shortageStates, type Shortage } from '../modules/shortages/shortage-records'
import { MINUTE, type FlowContext } from './deps'
import type { createRefundFlow } from './refunds.flow'

/**
 * 缺货 (DESIGN.md, Fulfilment and after-sale): N units of a product short for a session are
 * refunded by the line, latest-ordered units first, each order's refund on its own; nothing else
 * in those orders changes. The allocation is fixed when the shortage is recorded.
 */
export function createShortageFlow(c: FlowContext, refunds: Pick<ReturnType<typeof createRefundFlow>, 'requestRefund'>) {
  const { clock, log } = c

  /** Latest-ordered first: the session's orders still to hand over this product, and how many units each can give. */
  async function allocate(day: string, productId: Types.ObjectId, units: number, point?: { leaderId?: string; storeId?: string }) {
    const orders = (await c.records.toHandOverOfProduct(day, productId)).filter((o) => (!point?.leaderId || o.leaderId?.equals(point.leaderId)) && (!point?.storeId || o.storeId?.equals(point.storeId)))
    const out: Array<{ orderId: Types.ObjectId; line: number; quantity: number }> = []
    let left = units
    for (const o of orders) {
      if (left <= 0) break
      linesOf(o).forEach((l, line) => {
        if (left <= 0 || !l.productId.equals(productId) || l.day !== day) return
        const take = Math.min(left, toHandOverOf(o, l))
        if (take > 0) out.push({ orderId: o._id, line, quantity: take })
        left -= take
      })
    }
    return { out, name: orders[0] ? linesOf(orders[0]).find((l) => l.productId.equals(productId))!.name : '' }
  }

  /** Makes each allocated order's refund (once each), then the shortage is done. */
  async function finish(s: Shortage): Promise<void> {
    for (const a of s.allocations) {
      const o = (await c.records.find(a.orderId!))!
      // An order handed over (or refunded) since the allocation keeps its units: logged, not refunded twice.
      await refunds
        .requestRefund(o, { key: `shortage:${s._id}:${a.orderId}`, cause: 'shortage', reason: `「${s.productName}」缺货`, lines: [{ line: a.line!, quantity: a.quantity! }], actorId: s.actorId?.toHexString() ?? null })
        .catch((err: Error) => log.warn({ err, shortageId: s._id, orderId: a.orderId }, 'shortage units no longer refundable'))
    }
    await shortageStates.transition(s._id, 'refunded')
  }

  async function view(s: Shortage): Promise<ShortageView> {
    const made = await refundRecords.byKeys(s.allocations.map((a) => `shortage:${s._id}:${a.orderId}`))
    return {
      id: s._id.toHexString(),
      day: s.day,
      productId: s.productId.toHexString(),
      productName: s.productName,
      units: s.units,
      refunded: made.map((r) => ({ orderId: r.orderId.toHexString(), quantity: r.lines.reduce((n, l) => n + l.quantity, 0), fen: r.fen })),
      state: s.state as ShortageView['state'],
      createdAt: s.createdAt.toISOString(),
    }
  }

  return {
    /** 缺货: records the shortage once per key, allocates it latest-first and refunds those units. */
    async markShortage(actorId: string | null, input: { day: string; productId: string; units: number; note: string; idempotencyKey: string; leaderId?: string; storeId?: string }): Promise<ShortageView> {
      const key = `${actorId ?? 'system'}:${input.idempotencyKey}`
      const productId = new Types.ObjectId(input.productId)
      let s = await shortageRecords.byKey(key)
      if (!s) {
        const { out, name } = await allocate(input.day, productId, input.units, input)
        if (!out.length) throw new AppError('VALIDATION_FAILED', '该团期没有待提货的这件商品')
        const made = await shortageRecords.create({ key, day: input.day, productId, productName: name, units: input.units, note: input.note, leaderId: input.leaderId ? new Types.ObjectId(input.leaderId) : null, storeId: input.storeId ? new Types.ObjectId(input.storeId) : null, allocations: out, state: 'allocating', actorId: actorId ? new Types.ObjectId(actorId) : null, createdAt: clock() })
        s = made.shortage
        if (made.made) await recordAudit({ actorId, action: 'order.shortage', targetType: 'product', targetId: input.productId, outcome: 'ok', details: { day: input.day, units: input.units, orders: out.length }, at: clock() })
      }
      await finish(s)
      return view((await shortageRecords.find(s._id))!)
    },

    shortagesOf: async (day: string) => Promise.all((await shortageRecords.ofDay(day)).map(view)),

    /** Job: shortages a crash left allocating get their refunds. */
    async resumeShortages(now: Date): Promise<number> {
      const due = await shortageRecords.unfinished(new Date(now.getTime() - MINUTE))
      for (const s of due) await finish(s).catch((err: Error) => log.error({ err, shortageId: s._id }, 'resuming a shortage failed'))
      return due.length
    },
  }
}
