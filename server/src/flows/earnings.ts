import { earnedShare, type Rules } from '@xianlin/shared'
import type { Order } from '../modules/orders/order-records'
import { keptFenOf } from '../modules/orders/order-units'
import type { FlowContext } from './deps'

type EarnFull = { points: number; growth: number; commissionFen: number }
type EarningsEvent = { key: string; before: number; after: number }

/** What the whole order earns: points and growth per yuan paid, the leader's commission; fixed at its first hand-over. */
export function fullEarnings(o: Order, rules: Rules): EarnFull {
  if (o.earnFull?.points != null) return o.earnFull as EarnFull
  const yuan = Math.floor((o.price.payFen ?? 0) / 100)
  return { points: yuan * rules.points.perYuanPaid, growth: yuan * rules.growth.perYuanPaid, commissionFen: o.leaderId ? Math.floor(((o.price.payFen ?? 0) * rules.leaders.commissionPercent) / 100) : 0 }
}

/**
 * The part of an order update that records an earnings event: what the order earns on moves by
 * `deltaFen` (a hand-over adds the units' paid share, a refund of handed-over units takes its
 * amount), and `credited` turns false until its credits are paid (`applyEarnings`).
 */
export function earningsEventUpdate(o: Order, rules: Rules, key: string, deltaFen: number, at: Date) {
  const before = keptFenOf(o)
  const after = Math.max(0, before + deltaFen)
  return { set: { keptFen: after, earnFull: fullEarnings(o, rules), credited: false }, push: { key, before, after, at } }
}

/**
 * Pays or takes back what each earnings event of an order moved, in proportion to what the whole
 * order earns (`earnedShare`): points (pending for the refund window; a take-back cancels pending
 * ones first and claws back the rest), growth, the leader's commission (frozen first, then a
 * reversal). Every credit is keyed by the order and its event, so running it again, after a crash
 * or on another instance, pays nothing twice. The first hand-over also pays the first-order growth
 * and tells the invitation its friend picked up; an order refunded to the last fen tells it too.
 */
export function createEarnings(c: FlowContext) {
  const { rules, records, points, membership, referral, leaders, clock } = c

  /** The key of what event `ev` of the order credited; the first hand-over keeps the keys orders always had. */
  const creditKey = (prefix: string, id: string, ev: string) => (ev === 'h1' ? `${prefix}:${id}` : `${prefix}:${id}:${ev}`)

  async function applyEvent(o: Order, e: EarningsEvent, full: EarnFull): Promise<void> {
    const id = o._id.toHexString()
    const move = (total: number) => earnedShare(total, e.after, o.price.payFen ?? 0) - earnedShare(total, e.before, o.price.payFen ?? 0)
    const handOvers = (o.earnings ?? []).filter((x) => x.key!.startsWith('h')).map((x) => creditKey('order:earn', id, x.key!))
    const dPoints = move(full.points)
    if (dPoints > 0) await points.earn({ userId: o.userId, amount: dPoints, pending: true, source: 'order', sourceId: id, key: creditKey('order:earn', id, e.key) })
    if (dPoints < 0) await points.takeBackEarned({ userId: o.userId, amount: -dPoints, source: 'order', sourceId: id, key: `order:takeback:${id}:${e.key}`, earnKeys: handOvers.length ? handOvers : [`order:earn:${id}`] })
    await c.crashAt?.('credit-after-points')
    const dGrowth = move(full.growth)
    if (dGrowth > 0) await membership.addGrowth({ userId: o.userId, amount: dGrowth, source: 'order', sourceId: id, key: creditKey('order:growth', id, e.key) })
    if (dGrowth < 0) await membership.takeBackGrowth({ userId: o.userId, amount: -dGrowth, source: 'refund', sourceId: id, key: `order:growth-back:${id}:${e.key}` })
    if (e.key === 'h1') {
      // 首单成长值: keyed by the member, so only their first order handed over ever credits it.
      if (rules.growth.firstOrder > 0) await membership.addGrowth({ userId: o.userId, amount: rules.growth.firstOrder, source: 'first_order', sourceId: id, key: `order:first-growth:${o.userId}` })
      await referral.orderCompleted(o.userId.toHexString(), id)
    }
    const dCommission = move(full.commissionFen)
    if (o.leaderId && dCommission > 0) await leaders.earnCommission({ orderId: o._id, leaderId: o.leaderId, amountFen: dCommission, key: creditKey('commission:earn', id, e.key), at: clock() })
    if (o.leaderId && dCommission < 0) await leaders.takeBackCommission({ orderId: o._id, leaderId: o.leaderId, amountFen: -dCommission, key: `refund:${id}:${e.key}` })
    // Refunded to the last fen: an invitation waiting on this first order earns nothing.
    if (e.after === 0 && e.before > 0 && (o.refundedFen ?? 0) >= (o.price.payFen ?? 0)) await referral.orderRefunded(o.userId.toHexString(), id)
  }

  return {
    /**
     * Pays the order's earnings events not paid yet, in order, each marked paid once done (a crash
     * inside one repeats only it, whose credits are keyed), then marks the order credited unless
     * another event came meanwhile.
     */
    async applyEarnings(order: Order): Promise<void> {
      let o = order
      for (let round = 0; round < 10; round++) {
        const full = fullEarnings(o, rules)
        // Completed before hand-over by the line (a crash before its credits): one hand-over of it all.
        const events = o.earnings?.length ? (o.earnings as EarningsEvent[]) : o.state === 'completed' && !o.credited ? [{ key: 'h1', before: 0, after: o.price.payFen ?? 0 }] : []
        for (let i = o.earningsApplied ?? 0; i < events.length; i++) {
          await applyEvent(o, events[i]!, full)
          if (o.earnings?.length) await records.markEarningsApplied(o._id, i + 1)
        }
        if (await records.markCreditedAt(o._id, o.rev ?? null)) return
        o = await records.reload(o._id)
        if (o.credited) return
      }
    },
  }
}
