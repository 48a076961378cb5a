import { Types } from 'mongoose'
import type { OrderListQuery, OrderState, OrderView } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import { insertOnce } from '../../core/insert-once'
import { insertBuilt } from '../../db/insert-built'
import { insertWithFreshCode } from '../../lib/random-code'
import { newVoucherCode } from '../mall/voucher-code'
import type { LeadersService } from '../leaders/leaders.service'
import { storeOf } from '../stores/stores.service'
import { OrderKeyModel, OrderModel, PickupCodeModel, type Order } from './order.model'
import { linesOf, toLineView } from './order-lines'
import { afterSaleUntil, handedOf } from './order-units'
import { PaymentAnomalyModel } from './payment-anomaly.model'

export type { Order, OrderLine } from './order.model'

const OPEN_STATES = ['creating', 'pending_payment'] as const
const LIST_STATES: Record<NonNullable<OrderListQuery['state']>, string[] | null> = {
  all: null,
  pending_payment: ['pending_payment'],
  forming: ['paid'],
  pickup: ['confirmed'],
  completed: ['completed'],
  refunded: ['refunding', 'refunded', 'closed'],
}
const oid = (id: string | Types.ObjectId) => (typeof id === 'string' ? new Types.ObjectId(id) : id)
const validId = (id: string) => Types.ObjectId.isValid(id) && /^[0-9a-f]{24}$/i.test(id)

/** A mismatch between a reported payment and its order. */
export interface PaymentMismatch {
  field: string
  expected: string
  received: string
}

/**
 * The orders domain's records (DESIGN.md, Orders and payment): orders, their idempotency keys,
 * pickup codes and payment anomalies, and how a shopper sees an order. It decides nothing about
 * the journey: `server/src/flows/` does, and changes an order's state only through the order
 * state table (`flows/order-states.ts`), which calls `changeState`.
 */
export function createOrderRecords(deps: { leaders: LeadersService; clock: () => Date; afterSaleHours: number }) {
  const { leaders, clock, afterSaleHours } = deps

  async function pickupOf(o: Order): Promise<OrderView['pickup']> {
    if (o.leaderId) {
      const point = await leaders.pointOf(o.leaderId)
      return { kind: 'leader', id: point.leaderId, name: point.name, address: point.address }
    }
    const store = await storeOf(o.storeId!)
    return { kind: 'store', id: String(o.storeId), name: store?.name ?? '', address: store?.address ?? '' }
  }

  const records = {
    isUnpaid: (o: Order) => (OPEN_STATES as readonly string[]).includes(o.state),

    /** How the shopper sees an order; `pickup` when the caller has just read the pickup point (a checkout). */
    async toView(o: Order, pickup?: OrderView['pickup']): Promise<OrderView> {
      return {
        id: o._id.toHexString(),
        state: o.state as OrderView['state'],
        kind: (o.kind ?? 'group') as OrderView['kind'],
        quantity: o.quantity ?? 1,
        activityId: o.activityId?.toHexString() ?? null,
        title: o.title,
        product: { id: o.product.id!, name: o.product.name!, subtitle: o.product.subtitle ?? '', unit: o.product.unit ?? '', cover: { emoji: o.product.cover!.emoji!, tint: o.product.cover!.tint!, photo: o.product.cover!.photo ?? null } },
        groupId: o.groupId?.toHexString() ?? '',
        groupSize: o.groupSize,
        price: o.price as OrderView['price'],
        lines: linesOf(o).map((l) => toLineView(l, handedOf(o, l))),
        itemCount: linesOf(o).reduce((n, l) => n + l.quantity, 0),
        pickupDays: o.pickupDays ?? [],
        pickup: pickup ?? (await pickupOf(o)),
        pickupCode: o.state === 'confirmed' ? (o.pickupCode ?? null) : null,
        holdUntil: o.state === 'pending_payment' ? o.holdUntil.toISOString() : null,
        createdAt: o.createdAt.toISOString(),
        paidAt: o.paidAt?.toISOString() ?? null,
        completedAt: o.completedAt?.toISOString() ?? null,
        refundedAt: o.refundedAt?.toISOString() ?? null,
        refundedFen: o.refundedFen ?? 0,
        afterSaleUntil: afterSaleUntil(o, afterSaleHours)?.toISOString() ?? null,
      }
    },

    find: async (id: string | Types.ObjectId): Promise<Order | null> => (typeof id === 'string' && !validId(id) ? null : OrderModel.findById(oid(id)).lean<Order>()),
    reload: async (id: Types.ObjectId): Promise<Order> => (await OrderModel.findById(id).lean<Order>())!,

    /** The shopper's own order, or NOT_FOUND (another shopper's order does not exist for them). */
    async owned(userId: string, orderId: string): Promise<Order> {
      const o = validId(orderId) ? await OrderModel.findOne({ _id: oid(orderId), userId: oid(userId) }).lean<Order>() : null
      if (!o) throw new AppError('NOT_FOUND', '订单不存在')
      return o
    },

    async list(userId: string, state: NonNullable<OrderListQuery['state']>): Promise<Order[]> {
      const states = LIST_STATES[state]
      return OrderModel.find({ userId: oid(userId), ...(states ? { state: { $in: states } } : { state: { $ne: 'creating' } }) })
        .sort({ createdAt: -1 })
        .limit(50)
        .lean<Order[]>()
    },

    /** Whether the member has an order still in motion (paying, paid, to pick up, refunding). */
    async hasOpen(userId: string): Promise<boolean> {
      return Boolean(await OrderModel.exists({ userId: oid(userId), state: { $in: ['creating', 'pending_payment', 'paid', 'confirmed', 'refunding'] } }))
    },

    ofGroup: (groupId: Types.ObjectId, state?: OrderState) => OrderModel.find({ groupId, ...(state ? { state } : {}) }).lean<Order[]>(),

    /** Unpaid orders whose seat hold has run out. */
    dueUnpaid: (now: Date) => OrderModel.find({ state: { $in: OPEN_STATES }, holdUntil: { $lte: now } }).limit(200).lean<Order[]>(),
    /** Refunds never asked for (a crash before the call, a minute on) or whose next question is due. */
    /**
     * Orders whose whole refund holds nothing yet a minute on (a crash before it was made, or asked
     * before refunds were documents): holding it sets `refundedFen`, which they never had (a whole
     * refund ends a group-buy or a closed order, never one refunded by the line before).
     */
    dueRefunds: (stale: Date) => OrderModel.find({ state: 'refunding', refundedFen: null, paidAt: { $lte: stale } }).limit(100).lean<Order[]>(),
    /** Orders with earnings not all paid: completed ones, and any with an earnings event (a hand-over by the line, a refund after one). */
    uncredited: () => OrderModel.find({ credited: false, $or: [{ state: 'completed' }, { keptFen: { $gte: 0 } }] }).limit(100).lean<Order[]>(),
    /**
     * Closed orders whose reservations were not all given back (a crash while closing). A group-buy
     * intends a per-user slot, a basket its sessions' units (`held.stock`), and all flags are
     * cleared together, so those two say it.
     */
    closedStillHolding: () =>
      OrderModel.find({ state: 'closed', $or: [{ 'held.user': true }, { 'held.stock': true }] })
        .limit(100)
        .lean<Order[]>(),

    /**
     * Writes a new order (state `creating`), with the reservations it intends to take in `held`,
     * built whole and inserted as built (a basket's lines made Mongoose's casting a third of a
     * checkout's server time).
     */
    create: (doc: Omit<Order, 'prepayId' | 'paidAt' | 'transactionId' | 'pickupCode' | 'confirmedAt' | 'completedAt' | 'completedBy' | 'credited' | 'closedAt' | 'closeReason' | 'refundedAt' | 'refundStatus' | 'refundAttempts' | 'refundNextAt' | 'notified'>) =>
      insertBuilt<Order>(OrderModel as never, {
        ...doc,
        product: { ...doc.product, cover: { ...doc.product.cover, photo: doc.product.cover?.photo ?? null } },
        prepayId: null,
        paidAt: null,
        transactionId: null,
        pickupCode: null,
        confirmedAt: null,
        completedAt: null,
        completedBy: null,
        credited: false,
        closedAt: null,
        closeReason: null,
        refundedAt: null,
        refundStatus: null,
        refundAttempts: 0,
        refundNextAt: null,
        notified: [],
      }),

    /** Sets fields other than `state` (price, points intent) on an order still in one of `states`. */
    async setFields(id: Types.ObjectId, set: Partial<Pick<Order, 'price' | 'lines'>> & Record<`held.${string}`, unknown>, states: readonly OrderState[]): Promise<boolean> {
      return (await OrderModel.updateOne({ _id: id, state: { $in: states } }, { $set: set })).modifiedCount === 1
    },

    /** Every reservation was given back: nothing is held any more. */
    markReleased: (id: Types.ObjectId) => OrderModel.updateOne({ _id: id }, { $set: { held: { user: false, day: null, stock: false, seat: false, coupon: false, points: false } } }),

    /**
     * The one write that changes an order's state: from one of `from` to `to`, with `set`, when
     * `guard` also holds. Only the order state table calls it. Returns the order after, or null.
     */
    changeState: (id: Types.ObjectId, from: readonly OrderState[], to: OrderState, set: Record<string, unknown> = {}, guard: Record<string, unknown> = {}) =>
      OrderModel.findOneAndUpdate({ _id: id, ...guard, state: { $in: from } }, { $set: { ...set, state: to } }, { new: true }).lean<Order>(),

    /** Marks a group result as told to the order's shopper; true the first time only. */
    async markNotified(id: Types.ObjectId, result: 'success' | 'failed'): Promise<boolean> {
      return (await OrderModel.updateOne({ _id: id, notified: { $ne: result } }, { $push: { notified: result } })).modifiedCount === 1
    },

    markCredited: (id: Types.ObjectId) => OrderModel.updateOne({ _id: id }, { $set: { credited: true } }),
    /** A session day's orders at a point (or everywhere), paid and not refunded as a whole, in the order they were paid. */
    deliveredOn: (day: string, point?: { kind: 'leader' | 'store'; id: Types.ObjectId }) =>
      OrderModel.find({ ...(point ? (point.kind === 'leader' ? { leaderId: point.id } : { storeId: point.id }) : {}), state: { $in: ['paid', 'confirmed', 'completed'] }, 'lines.day': day })
        .sort({ paidAt: 1, _id: 1 })
        .limit(5000)
        .lean<Order[]>(),
    /** Orders of a session day waiting for pickup with a line of the product, latest paid first (a shortage takes their units). */
    toHandOverOfProduct: (day: string, productId: Types.ObjectId) => OrderModel.find({ state: 'confirmed', 'lines.productId': productId, 'lines.day': day }).sort({ paidAt: -1, _id: -1 }).lean<Order[]>(),
    /** The first `n` earnings events are paid (never lowered by a slower run). */
    markEarningsApplied: (id: Types.ObjectId, n: number) => OrderModel.updateOne({ _id: id }, { $max: { earningsApplied: n } }),
    /** Marks the order credited when no earnings event came since revision `rev` was read. */
    markCreditedAt: async (id: Types.ObjectId, rev: number | null) => (await OrderModel.updateOne({ _id: id, rev }, { $set: { credited: true } })).matchedCount === 1,

    /**
     * Changes an order's lines (a hand-over, a refund held, an earnings event) under its `rev`:
     * `change` sees the order as it is now and returns the update, or a string to stop (returned
     * as is); when another change came first it is asked again on the new order. Returns the
     * order after the change.
     */
    async revise(id: Types.ObjectId, change: (o: Order) => Record<string, unknown> | string): Promise<Order | string> {
      for (let attempt = 0; attempt < 30; attempt++) {
        const o = await OrderModel.findById(id).lean<Order>()
        if (!o) return 'NOT_FOUND'
        const update = change(o)
        if (typeof update === 'string') return update
        const inc = { ...((update.$inc as Record<string, number>) ?? {}), rev: 1 }
        const after = await OrderModel.findOneAndUpdate({ _id: id, rev: o.rev ?? null }, { ...update, $inc: inc }, { new: true }).lean<Order>()
        if (after) return after
      }
      throw new Error(`order ${id}: its lines kept changing`)
    },

    /** Checkout idempotency: binds `<user>:<key>` to an order once; returns the order an earlier request bound, if any. */
    async bindKey(keyId: string, orderId: Types.ObjectId): Promise<Types.ObjectId | null> {
      const { inserted, existing } = await insertOnce(OrderKeyModel, { _id: keyId, orderId }, () => OrderKeyModel.findById(keyId).lean())
      return inserted ? null : existing!.orderId
    },
    /** Removes an order that lost the race for its idempotency key before it took anything. */
    discard: (orderId: Types.ObjectId) => OrderModel.deleteOne({ _id: orderId, state: 'creating' }),
    orderOfKey: async (keyId: string) => (await OrderKeyModel.findById(keyId).lean())?.orderId ?? null,

    /** Forgets a refused checkout: the closed order and its key, so a corrected retry with the key goes through. */
    async forget(orderId: Types.ObjectId, keyId: string): Promise<void> {
      await OrderModel.deleteOne({ _id: orderId, state: 'closed' })
      await OrderKeyModel.deleteOne({ _id: keyId, orderId })
    },

    /** A fresh one-time pickup code for a paid order (`_id` = the code, so it is unique by construction). */
    newPickupCode: (orderId: Types.ObjectId) => insertWithFreshCode(newVoucherCode, (c) => PickupCodeModel.create({ _id: c, orderId })),

    /** The order a pickup code belongs to (a code drawn by a confirmation that lost a race points at an order holding another code). */
    /** Baskets (and products bought alone), paid before `before`, still without their pickup code. */
    paidSoloUnconfirmed: (before: Date) => OrderModel.find({ kind: { $in: ['basket', 'solo'] }, state: 'paid', paidAt: { $lte: before } }).limit(200).lean<Order[]>(),

    /** Orders a staff member or leader handed over between two moments, newest first. */
    completedBy: (userId: string, from: Date, to: Date) =>
      OrderModel.find({ completedBy: oid(userId), completedAt: { $gte: from, $lt: to } }).sort({ completedAt: -1 }).limit(200).lean<Order[]>(),

    async byPickupCode(code: string): Promise<Order | null> {
      const ref = await PickupCodeModel.findById(code).lean()
      const found = ref ? await OrderModel.findById(ref.orderId).lean<Order>() : null
      return found?.pickupCode === code ? found : null
    },

    /** Records a mismatched payment once per payment; true the first time. */
    async recordAnomaly(a: { id: string; orderId: string; transactionId: string | null; mismatches: PaymentMismatch[]; action: 'refund_requested' | 'held'; amountFen: number | null }): Promise<boolean> {
      const { inserted } = await insertOnce(PaymentAnomalyModel, { _id: a.id, orderId: a.orderId, transactionId: a.transactionId ?? null, mismatches: a.mismatches, action: a.action, amountFen: a.amountFen ?? null, at: clock() })
      return inserted
    },

    /** Payments that did not match their orders, newest first, for operators. */
    async anomalies(limit = 50) {
      const list = await PaymentAnomalyModel.find({}).sort({ at: -1 }).limit(limit).lean()
      return list.map((a) => ({ id: a._id, orderId: a.orderId, transactionId: a.transactionId ?? null, mismatches: a.mismatches.map((m) => ({ field: m.field!, expected: m.expected!, received: m.received! })), action: a.action, amountFen: a.amountFen ?? null, at: a.at.toISOString() }))
    },

  }
  return records
}

export type OrderRecords = ReturnType<typeof createOrderRecords>
