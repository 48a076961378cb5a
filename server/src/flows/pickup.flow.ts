import { Types } from 'mongoose'
import { businessDay, businessTimeText, formatFen, maskName, startOfBusinessDay, unitsShareFen, type OrderState, type OrderView, type StaffCodePreview, type StaffRedemptionView } from '@xianlin/shared'
import { AppError } from '../core/app-error'
import type { Actor } from '../core/actor'
import { recordAudit } from '../modules/audit/audit.service'
import { staffWorksAt, storeNames } from '../modules/stores/stores.service'
import { userNames } from '../modules/users/users.service'
import type { Order } from '../modules/orders/order-records'
import { linesOf } from '../modules/orders/order-lines'
import { handedOf, resolvedOf, toHandOverOf, unitsFor } from '../modules/orders/order-units'
import { createEarnings, earningsEventUpdate } from './earnings'
import { nextState } from './order-states'
import type { FlowCalls, FlowContext } from './deps'

/**
 * Pickup and completion credits (DESIGN.md, Orders and payment; Points; Community leaders): the
 * goods are handed over once by their code, at the right store or leader's point; then points
 * (pending for the refund window), growth, the leader's commission and the invitation hook follow,
 * each keyed by the order, and `credited` marks them done (the recovery job finishes it after a crash).
 */
/** What an order holds, as a clerk reads it: `草莓 × 2、西兰花 × 1 等 3 种`. */
function contentsOf(o: Order): string {
  const lines = linesOf(o)
  const named = lines.slice(0, 2).map((l) => `${l.name} × ${l.quantity}`).join('、')
  return lines.length > 2 ? `${named} 等 ${lines.length} 种` : named
}

/** How an order was bought, in the words of the desk and the order page. */
const KIND_TEXT = { group: (o: Order) => `拼团订单 · ${o.groupSize}人团`, basket: (o: Order) => `社区团购 · 共 ${o.quantity ?? 1} 件`, solo: () => '单独购买' }

/** Some units of a line of an order, by the line's position. */
type HandOverLine = { line: number; quantity: number }

/** Why an actor may not hand an order over (null: they may). */
type Refusal = { outcome: string; error: AppError } | null

export function createPickupFlow(c: FlowContext, flows: FlowCalls) {
  const { rules, records, leaders, clock } = c
  const earnings = createEarnings(c)

  /**
   * Hands an order over by its pickup code, once: `refuse` says why this actor may not (another
   * store, another leader's point); every attempt is audit-logged under `action`.
   */
  /**
   * The update that hands over `lines` (all units still to hand over when not named) of an order
   * waiting for pickup: each line's handed units rise, the units' paid share becomes an earnings
   * event, and when nothing is left to hand over the order is completed (`handed_over`, by the
   * order state table). A refusal is the error code to answer.
   */
  function handOverUpdate(o: Order, lines: HandOverLine[] | undefined, at: Date, by: string): Record<string, unknown> | string {
    if (o.state !== 'confirmed') return o.state === 'completed' ? 'ALREADY_PICKED_UP' : 'PICKUP_NOT_READY'
    const next = linesOf(o).map((l) => ({ ...l }))
    const wanted = lines ?? next.map((l, line) => ({ line, quantity: toHandOverOf(o, l) })).filter((w) => w.quantity > 0)
    if (!wanted.length) return 'PICKUP_LINES_INVALID'
    let fen = 0
    for (const w of wanted) {
      const l = next[w.line]
      if (!l || w.quantity < 1 || w.quantity > unitsFor(o, l, 'handed_over')) return 'PICKUP_LINES_INVALID'
      fen += unitsShareFen(l, resolvedOf(o, l), w.quantity)
      l.handedQty = handedOf(o, l) + w.quantity
      l.notReceivedQty = 0
    }
    const handOvers = (o.earnings ?? []).filter((e) => e.key!.startsWith('h')).length
    const ev = earningsEventUpdate(o, rules, `h${handOvers + 1}`, fen, at)
    const finished = next.every((l) => toHandOverOf(o, l) === 0)
    const state = finished ? nextState(o.state as OrderState, 'handed_over') : null
    return { $set: { lines: next, ...ev.set, ...(state ? { state, completedAt: at, completedBy: new Types.ObjectId(by) } : {}) }, $push: { earnings: ev.push } }
  }

  async function handOver(actor: Actor, code: string, action: string, details: Record<string, unknown>, refuse: (o: Order) => Refusal | Promise<Refusal>, lines?: HandOverLine[]): Promise<OrderView> {
    const audit = (outcome: string, orderId?: Types.ObjectId) => recordAudit({ actorId: actor.userId, action, targetType: 'order', targetId: orderId?.toHexString() ?? code, outcome, details, at: clock() })
    const o = await records.byPickupCode(code)
    if (!o) {
      await audit('unknown_code')
      throw new AppError('PICKUP_CODE_UNKNOWN')
    }
    const refusal = await refuse(o)
    if (refusal) {
      await audit(refusal.outcome, o._id)
      throw refusal.error
    }
    const at = clock()
    const done = await records.revise(o._id, (cur) => handOverUpdate(cur, lines, at, actor.userId))
    if (typeof done === 'string') {
      const outcome = { ALREADY_PICKED_UP: 'already_picked_up', PICKUP_NOT_READY: 'not_ready' }[done as string] ?? 'lines_refused'
      await audit(outcome, o._id)
      throw new AppError(done as 'ALREADY_PICKED_UP' | 'PICKUP_NOT_READY' | 'PICKUP_LINES_INVALID')
    }
    await audit('ok', o._id)
    const handOvers = (done.earnings ?? []).filter((e) => e.key!.startsWith('h')).length
    await c.events.track({ userId: o.userId, name: 'pickup', props: { orderId: o._id.toHexString(), at: o.leaderId ? 'leader' : 'store' }, at, key: handOvers > 1 ? `pickup:${o._id}:${handOvers}` : `pickup:${o._id}` })
    await c.crashAt?.('pickup-after-handed-over')
    await flows.credit(done)
    return records.toView(await records.reload(o._id))
  }

  /** Where an order is handed over, in words: a store's name, or the leader's point. */
  async function placeOf(o: Order): Promise<{ id: string; name: string }> {
    if (o.leaderId) return { id: o.leaderId.toHexString(), name: `团长自提点「${(await c.leaders.pointOf(o.leaderId)).name}」` }
    const id = o.storeId!.toHexString()
    return { id, name: (await storeNames([id])).get(id) ?? '' }
  }

  /** Why a clerk may not hand this order over at `storeId` (their only store when not named). */
  async function wrongPlace(actor: Actor, o: Order, storeId?: string): Promise<string | null> {
    const here = storeId ?? (actor.storeIds.length === 1 ? actor.storeIds[0] : undefined)
    const mine = o.storeId && staffWorksAt(actor, o.storeId.toHexString()) && (!here || here === o.storeId.toHexString())
    if (mine) return null
    const { name } = await placeOf(o)
    return `该订单不在本店自提，请到${o.storeId ? `「${name}」` : name}提货`
  }

  return {
    /** Staff confirm a pickup at their store. */
    async pickup(actor: Actor, input: { code: string; storeId?: string; lines?: HandOverLine[] }): Promise<OrderView> {
      return handOver(actor, input.code, 'order.pickup', { storeId: input.storeId ?? null }, async (o) => {
        const wrong = await wrongPlace(actor, o, input.storeId)
        return wrong ? { outcome: 'wrong_store', error: new AppError('WRONG_STORE', wrong) } : null
      }, input.lines)
    },

    /** What a pickup code is and whether this clerk can hand it over here now; null when no order has it. Writes nothing. */
    /** With `asLeader`, the leader's own point is the only right place. */
    async pickupPreview(actor: Actor, code: string, storeId?: string, asLeader = false): Promise<StaffCodePreview | null> {
      const o = await records.byPickupCode(code)
      if (!o) return null
      const people = await userNames([o.userId, ...(o.completedBy ? [o.completedBy] : [])])
      let refusal: string | null = null
      if (o.state === 'completed') refusal = `该订单已于 ${businessTimeText(o.completedAt!, rules.business.timeZone)} 由 ${people.get(String(o.completedBy)) ?? ''} 提货`
      else if (o.state === 'refunding' || o.state === 'refunded') refusal = '该订单已退款，不能提货'
      else if (o.state !== 'confirmed') refusal = '订单尚未成团，暂不能提货'
      else if (!linesOf(o).some((l) => toHandOverOf(o, l) > 0)) refusal = '该订单的商品已全部提货或退款'
      else refusal = asLeader ? (o.leaderId?.equals(actor.userId) ? null : '该订单不在你的自提点提货') : await wrongPlace(actor, o, storeId)
      return {
        kind: 'pickup',
        code,
        orderId: o._id.toHexString(),
        title: contentsOf(o),
        detail: `${KIND_TEXT[(o.kind ?? 'group') as keyof typeof KIND_TEXT](o)} · 实付 ${formatFen(o.price.payFen!)}`,
        shopper: maskName(people.get(o.userId.toHexString()) ?? ''),
        stores: [await placeOf(o)],
        refusal,
        lines: linesOf(o).map((l, line) => ({ line, name: l.name, unit: l.unit ?? '', quantity: l.quantity, toHandOver: toHandOverOf(o, l), refunded: l.refundedQty ?? 0 })),
      }
    },

    /** Orders this clerk handed over on a business day, for the desk's 今日核销. */
    async pickupsBy(actor: Actor, day: string): Promise<StaffRedemptionView[]> {
      const tz = rules.business.timeZone
      const from = startOfBusinessDay(day, tz)
      const to = new Date(from.getTime() + 36 * 3_600_000) // past any DST change; the day check below is exact
      const list = (await records.completedBy(actor.userId, from, to)).filter((o) => businessDay(o.completedAt!, tz) === day)
      const people = await userNames([new Types.ObjectId(actor.userId), ...list.map((o) => o.userId)])
      return Promise.all(
        list.map(async (o) => ({ kind: 'pickup' as const, code: o.pickupCode ?? '', itemName: o.kind === 'group' ? o.product.name! : contentsOf(o), shopper: maskName(people.get(o.userId.toHexString()) ?? ''), storeName: (await placeOf(o)).name, staffName: people.get(actor.userId) ?? '', at: o.completedAt!.toISOString() })),
      )
    },

    /** A leader confirms a pickup at their point; only an active leader, only their own point's orders. */
    async pickupAtLeader(actor: Actor, code: string, lines?: HandOverLine[]): Promise<OrderView> {
      if (!(await leaders.pointOf(actor.userId)).active) {
        await recordAudit({ actorId: actor.userId, action: 'order.leader_pickup', targetType: 'order', targetId: code, outcome: 'leader_suspended', at: clock() })
        throw new AppError('LEADER_SUSPENDED')
      }
      return handOver(actor, code, 'order.leader_pickup', {}, (o) => (o.leaderId?.equals(actor.userId) ? null : { outcome: 'not_your_point', error: new AppError('NOT_YOUR_PICKUP') }), lines)
    },

    /** What the order's hand-overs and refunds earned or took back, each once (see earnings.ts). */
    credit: (o: Order) => earnings.applyEarnings(o),
  }
}
