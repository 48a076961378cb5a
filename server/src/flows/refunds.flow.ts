import { Types } from 'mongoose'
import { REFUND_CAUSE_TEXT, formatFen, unitsShareFen, type OrderView, type RefundCause } from '@xianlin/shared'
import { AppError } from '../core/app-error'
import { recordAudit } from '../modules/audit/audit.service'
import { notify } from '../modules/notifications/notifications.service'
import type { Order } from '../modules/orders/order-records'
import { linesOf } from '../modules/orders/order-lines'
import { keptUnitsOf, toHandOverOf, unitsFor } from '../modules/orders/order-units'
import { nextRefundStep } from '../modules/orders/refund-retry'
import { afterSaleStates } from '../modules/after-sales/after-sale-records'
import { refundRecords, refundStates, type Refund } from '../modules/refunds/refund-records'
import type { Refund as PayRefund } from '../wechat/pay/pay-client'
import { markMoneyChanged } from '../modules/reports/money-days'
import { createEarnings, earningsEventUpdate } from './earnings'
import { MINUTE, type FlowCalls, type FlowContext } from './deps'
import { nextState } from './order-states'

const DAY = 86_400_000

/** Units of a line to refund; `fen` defaults to their paid share, `handed` to what the cause implies. */
export interface RefundAsk {
  line: number
  quantity: number
  fen?: number
}

export interface RefundRequest {
  /** Once per key, whatever the retries and races (`after_sale:<request>`, `shortage:<mark>:<order>`, …). */
  key: string
  cause: RefundCause
  reason: string
  /** The units to refund; absent: the whole order (what is left of it). */
  lines?: RefundAsk[]
  actorId?: string | null
  /** Runs once, by the request that made the refund (not by its replays), before WeChat Pay is asked. */
  onMade?: () => Promise<void>
}

type Built = { lines: Array<{ line: number; quantity: number; fen: number; handed: number }>; fen: number; points: number } | string

/**
 * Refunds (DESIGN.md, Fulfilment and after-sale): one path for every cause. A refund is a document
 * with its lines and amount, made once per key; its units are then held on the order under the
 * order's revision (so two refunds never take the same unit), WeChat Pay is asked under the
 * refund's `out_refund_no` (every retry is the same refund; asking again is how we learn how it
 * went), and when it succeeds the order's lines, the points it was paid with and everything the
 * refunded units earned are taken back in proportion, once. A whole refund also moves the order
 * to `refunded` and, before anything was handed over, gives back stock and coupon.
 */
export function createRefundFlow(c: FlowContext, flows: FlowCalls) {
  const { rules, records, points, groupbuy, pay, log, clock } = c
  const earnings = createEarnings(c)

  /** What a refund takes of the order as it is now: each line's units, their fen and how many were handed over; or why it cannot. */
  function build(o: Order, asks: RefundAsk[] | undefined, cause: RefundCause): Built {
    const lines = linesOf(o)
    const taken = asks
      ? asks.map((a) => {
          const l = lines[a.line]
          if (!l || a.quantity < 1) return null
          // After-sale claims goods received; a shortage or a missing line, goods never handed over.
          const handed = cause === 'after_sale' ? a.quantity : cause === 'shortage' || cause === 'not_received' ? 0 : Math.max(0, a.quantity - toHandOverOf(o, l))
          if (handed > unitsFor(o, l, 'refunded_after_hand_over') || a.quantity - handed > unitsFor(o, l, 'refunded_before_hand_over')) return null
          const share = Math.min(unitsShareFen(l, l.refundedQty ?? 0, a.quantity), l.payFen - (l.refundedFen ?? 0))
          return { line: a.line, quantity: a.quantity, fen: a.fen ?? share, handed, share }
        })
      : lines.map((l, line) => ({ line, quantity: l.quantity - (l.refundedQty ?? 0), fen: l.payFen - (l.refundedFen ?? 0), handed: keptUnitsOf(o, l), share: l.payFen - (l.refundedFen ?? 0) })).filter((x) => x.quantity > 0)
    if (taken.some((x) => x === null) || !taken.length) return 'REFUND_LINES_INVALID'
    const ok = taken as NonNullable<(typeof taken)[number]>[]
    if (ok.some((x) => x.fen < 0 || x.fen > x.share)) return 'REFUND_AMOUNT_INVALID'
    const fen = ok.reduce((n, x) => n + x.fen, 0)
    if (fen <= 0 && asks) return 'REFUND_AMOUNT_INVALID'
    // The points the refunded units were paid with come back in proportion (a whole refund: all that is left).
    const pointsFen = ok.reduce((n, x) => n + unitsShareFen({ payFen: lines[x.line]!.pointsFen, quantity: lines[x.line]!.quantity }, lines[x.line]!.refundedQty ?? 0, x.quantity), 0)
    const used = o.price.pointsUsed ?? 0
    const points = asks ? (o.price.pointsFen ? Math.floor((used * pointsFen) / o.price.pointsFen) : 0) : used - (o.pointsRefunded ?? 0)
    return { lines: ok.map(({ share: _s, ...x }) => x), fen, points: Math.max(0, Math.min(points, used - (o.pointsRefunded ?? 0))) }
  }

  /** Holds the refund's units on the order (once), then it is `requested`; or `refused` when they are gone. */
  async function reserve(r: Refund): Promise<Refund> {
    for (;;) {
      const o = await records.find(r.orderId)
      if (!o) return r
      // Held already (by this call or a racing one): the order says what, and the refund takes exactly that.
      const held = (o.refundsHeld ?? []).find((h) => h.refundId!.equals(r._id))
      if (held) return (await refundStates.transition<Refund>(r._id, 'reserved', { lines: held.lines, fen: held.fen, points: held.points })) ?? (await refundRecords.find(r._id))!
      const asked = (r.asked ?? []).map((a) => ({ line: a.line!, quantity: a.quantity!, ...(a.fen != null ? { fen: a.fen } : {}) }))
      const built = build(o, r.whole ? undefined : asked, r.cause as RefundCause)
      if (typeof built === 'string') {
        log.warn({ refundId: r._id, why: built }, 'refund refused: its units are gone')
        return (await refundStates.transition<Refund>(r._id, 'refused', { status: built })) ?? r
      }
      const next = linesOf(o).map((l) => ({ ...l }))
      for (const x of built.lines) {
        const l = next[x.line]!
        l.refundedQty = (l.refundedQty ?? 0) + x.quantity
        l.refundedHandedQty = (l.refundedHandedQty ?? 0) + x.handed
        l.refundedFen = (l.refundedFen ?? 0) + x.fen
      }
      // The order records what this refund holds with the units themselves, in one guarded update.
      const done = await records.revise(o._id, (now) =>
        now.rev !== o.rev ? 'CHANGED' : { $set: { lines: next }, $inc: { refundedFen: built.fen, pointsRefunded: built.points }, $push: { refundsHeld: { refundId: r._id, ...built } } },
      )
      if (done !== 'CHANGED') await c.crashAt?.('refund-after-held')
    }
  }

  /** Asks WeChat Pay about a requested refund when it is due (never asked, or its next time has come). */
  async function ask(r: Refund, now = clock()): Promise<void> {
    if (r.state !== 'requested' || (r.attempts && (!r.nextAt || r.nextAt > now))) return
    const o = (await records.find(r.orderId))!
    await c.crashAt?.('refund-before-call')
    let answer: PayRefund['status'] | 'ERROR'
    try {
      answer = (await pay.refund({ outTradeNo: o._id.toHexString(), outRefundNo: r.outRefundNo, refundFen: r.fen, totalFen: o.price.payFen!, reason: r.reason })).status
    } catch (err) {
      log.error({ err, refundId: r._id }, 'refund request failed; the recovery job asks again')
      answer = 'ERROR'
    }
    await noteAnswer(r._id, answer)
  }

  /** Records WeChat Pay's answer: SUCCESS finishes the refund; anything else waits or goes to operators. */
  async function noteAnswer(id: Types.ObjectId, answer: PayRefund['status'] | 'ERROR'): Promise<void> {
    if (answer === 'SUCCESS') return succeeded(id)
    const r = await refundRecords.find(id)
    if (r?.state !== 'requested') return
    const step = nextRefundStep(answer, r.attempts ?? 0, clock())
    await refundRecords.noteStep(id, r.attempts ?? 0, step)
    if (step.nextAt === null) {
      await refundStates.transition(id, 'stuck')
      log.error({ refundId: id, refundStatus: step.status }, 'refund needs an operator')
    }
  }

  /** The money went back: the refund is marked once, then everything that follows is done (again safely after a crash). */
  async function succeeded(id: Types.ObjectId): Promise<void> {
    const now = clock()
    // Before the refund is written: a crash in between only makes the day counted again.
    await markMoneyChanged(now, c.rules.business.timeZone)
    await refundStates.transition(id, 'succeeded', { status: 'SUCCESS', succeededAt: now, nextAt: null })
    await c.crashAt?.('refund-after-succeeded')
    const r = await refundRecords.find(id)
    if (r?.state === 'succeeded') await settle(r)
  }

  /** Takes back what the refunded units earned and were paid with, moves the order, tells the shopper; each step once. */
  async function settle(r: Refund): Promise<void> {
    const at = r.succeededAt ?? clock()
    const handedFen = r.lines.reduce((n, x) => n + Math.floor((x.fen * x.handed) / x.quantity), 0)
    const ev = `r${r._id.toHexString()}`
    // The earnings event and, when every unit is now refunded, the order's end (by its state table).
    const o = await records.revise(r.orderId, (cur) => {
      if ((cur.earnings ?? []).some((e) => e.key === ev)) return 'DONE'
      const allRefunded = linesOf(cur).every((l) => (l.refundedQty ?? 0) >= l.quantity)
      const state = allRefunded ? nextState(cur.state as never, r.whole ? 'refunded' : 'lines_refunded') : null
      const set = { ...(state ? { state, refundedAt: at } : {}) }
      if (handedFen <= 0) return Object.keys(set).length ? { $set: set } : 'DONE'
      const e = earningsEventUpdate(cur, rules, ev, -handedFen, at)
      return { $set: { ...set, ...e.set }, $push: { earnings: e.push } }
    })
    const order = typeof o === 'string' ? (await records.find(r.orderId))! : o
    await c.crashAt?.('refund-after-refunded')
    const whole = order.state === 'refunded'
    await c.events.track({ userId: order.userId, name: 'refund', props: { orderId: order._id.toHexString(), fen: r.fen, afterPickup: handedFen > 0 }, at, key: r.whole ? `refund:${order._id}` : `refund:${r._id}` })
    if (whole && !order.completedAt && !order.keptFen) {
      // Refunded before anything was handed over: stock, coupon and points go back as if never bought.
      await flows.giveBackAll({ ...order, price: { ...order.price, pointsUsed: r.points ?? 0 } })
    } else if (r.points && (await points.hasEntry(`order:points:${order._id}`))) {
      await points.refund({ userId: order.userId, amount: r.points, source: 'order', sourceId: order._id.toHexString(), key: r.whole ? `order:points-back:${order._id}` : `order:points-back:${order._id}:${r._id}` })
    }
    if (order.groupId && whole) await groupbuy.memberRefunded(order.groupId, order.userId, order._id)
    await earnings.applyEarnings(order)
    // A failed group says so in its own words; every other refund names its cause and amount.
    if (r.cause === 'group_failed') await flows.sendResult(order, 'failed')
    else await notify({ key: `refund:${r._id}:done`, userId: order.userId, kind: 'refund_done', title: `${REFUND_CAUSE_TEXT[r.cause as RefundCause]} ${formatFen(r.fen)} 已退回`, body: `「${order.title}」${r.reason}，${formatFen(r.fen)} 已原路退回${r.points ? `，${r.points} 积分已退回账户` : ''}`, at, link: `/pages/order/index?id=${order._id}` })
    if (r.cause === 'after_sale') await afterSaleStates.transition(r.key.slice('after_sale:'.length), 'refunded')
    await refundStates.transition(r._id, 'settled')
  }

  /** Makes (once per key) and runs a refund of an order. */
  async function requestRefund(o: Order, req: RefundRequest): Promise<Refund> {
    const id = new Types.ObjectId()
    const whole = !req.lines
    const built = build(o, req.lines, req.cause)
    if (typeof built === 'string') {
      const earlier = await refundRecords.byKey(req.key)
      if (!earlier) throw new AppError(built as 'REFUND_LINES_INVALID')
    }
    const doc = {
      _id: id,
      orderId: o._id,
      userId: o.userId,
      key: req.key,
      outRefundNo: whole ? `RF${o._id.toHexString()}` : `RF${id.toHexString()}`,
      cause: req.cause,
      reason: req.reason,
      whole,
      asked: (req.lines ?? []).map((a) => ({ line: a.line, quantity: a.quantity, fen: a.fen ?? null })),
      lines: typeof built === 'string' ? [] : built.lines,
      fen: typeof built === 'string' ? 0 : built.fen,
      points: typeof built === 'string' ? 0 : built.points,
      state: 'new',
      actorId: req.actorId ? new Types.ObjectId(req.actorId) : null,
      createdAt: clock(),
    }
    const { made, refund: r } = await refundRecords.create(doc)
    if (made) await req.onMade?.()
    await drive(r)
    return (await refundRecords.find(r._id))!
  }

  /** Moves a refund on from wherever it stopped: hold its units, ask WeChat Pay when due, finish a success. */
  async function drive(r: Refund, now = clock()): Promise<void> {
    let cur = r
    if (cur.state === 'new') cur = await reserve(cur)
    if (cur.state === 'requested') await ask(cur, now)
    if (cur.state === 'succeeded') await settle(cur)
  }

  /** The cause of a whole refund, from the order state that asked for it. */
  const causeOf = (o: Order): RefundCause => (o.groupId && !o.completedAt ? 'group_failed' : o.closedAt ? 'paid_after_close' : 'operator')

  return {
    requestRefund,
    refundIssues: () => refundRecords.issues(),

    /** A whole refund of an order already `refunding` (group failed, paid after close, operator): made once, asked when due. */
    async issueRefund(o: Order, reason: string): Promise<void> {
      await requestRefund(o, { key: `order:${o._id}`, cause: causeOf(o), reason })
    },

    /** WeChat Pay's word on a refund (a notification), by its `out_refund_no`. */
    async noteRefund(outRefundNo: string, answer: PayRefund['status'] | 'ERROR'): Promise<void> {
      const r = await refundRecords.byOutRefundNo(outRefundNo)
      if (r) return noteAnswer(r._id, answer)
      // A whole refund asked before refunds were documents: made now under the same out_refund_no.
      const orderId = outRefundNo.slice(2)
      const o = Types.ObjectId.isValid(orderId) ? await records.find(orderId) : null
      if (o?.state === 'refunding') await requestRefund(o, { key: `order:${o._id}`, cause: causeOf(o), reason: '自动退款' })
    },

    /** Tests and operators: the order's whole refund (or its latest one) succeeded. */
    async refundSucceeded(orderId: Types.ObjectId | string): Promise<void> {
      const id = typeof orderId === 'string' ? new Types.ObjectId(orderId) : orderId
      const r = (await refundRecords.byKey(`order:${id}`)) ?? (await refundRecords.latestOf(id))
      if (r) await succeeded(r._id)
    },

    /** Job: refunds a crash or WeChat Pay left unfinished, and whole refunds from before refunds were documents. */
    async resumeRefunds(now: Date): Promise<number> {
      const stale = new Date(now.getTime() - MINUTE)
      const due = await refundRecords.due(now, stale)
      for (const r of due) await drive(r, now).catch((err: Error) => log.error({ err, refundId: r._id }, 'resuming a refund failed'))
      for (const o of await records.dueRefunds(stale)) await requestRefund(o, { key: `order:${o._id}`, cause: causeOf(o), reason: '自动退款' })
      return due.length
    },

    /** A leader refunds units of their point's order that never arrived (未收到), by the line. */
    async refundNotReceived(leaderId: string, orderId: string, lines: RefundAsk[], key: string): Promise<OrderView> {
      const o = await records.find(orderId)
      if (!o || !o.leaderId?.equals(leaderId)) throw new AppError('NOT_YOUR_PICKUP')
      if (o.state !== 'confirmed') throw new AppError('PICKUP_NOT_READY', '订单不在待提货状态')
      await recordAudit({ actorId: leaderId, action: 'order.not_received', targetType: 'order', targetId: orderId, outcome: 'requested', details: { lines }, at: clock() })
      await requestRefund(o, { key: `not_received:${o._id}:${key}`, cause: 'not_received', reason: '商品未送达自提点', lines, actorId: leaderId })
      return records.toView(await records.reload(o._id))
    },

    /**
     * An operator refunds lines of an order (or all that is left) with an amount and a reason: before
     * pickup or within the refund window after it. Answers the order as it is after asking WeChat Pay.
     */
    async refundByOperator(adminId: string, orderId: string, input: { lines?: RefundAsk[]; reason: string; key: string }): Promise<OrderView> {
      const o = await records.find(orderId)
      const windowStart = new Date(clock().getTime() - rules.orders.refundWindowDays * DAY)
      const open = o && (o.state === 'confirmed' || (o.state === 'completed' && o.completedAt! > windowStart))
      if (!o || !open) throw new AppError('ORDER_NOT_PAYABLE', '订单不在可退款状态或已过售后期')
      await recordAudit({ actorId: adminId, action: 'order.refund', targetType: 'order', targetId: orderId, outcome: 'requested', details: { lines: input.lines ?? 'all', reason: input.reason }, at: clock() })
      // Refunding all that is left is decided now, inside the window: the invitation's waiting rewards
      // must not be paid while WeChat finishes the refund (its result may arrive after the window ends).
      const all = linesOf(o).every((l, line) => (input.lines ?? []).reduce((n, a) => n + (a.line === line ? a.quantity : 0), input.lines ? 0 : l.quantity) >= l.quantity - (l.refundedQty ?? 0))
      const onMade = all ? () => c.referral.orderRefunded(o.userId.toHexString(), o._id.toHexString()) : undefined
      await requestRefund(o, { onMade, key: `operator:${o._id}:${input.key}`, cause: 'operator', reason: input.reason, lines: input.lines ?? linesOf(o).map((l, line) => ({ line, quantity: l.quantity - (l.refundedQty ?? 0) })).filter((a) => a.quantity > 0), actorId: adminId })
      return records.toView(await records.reload(o._id))
    },
  }
}
