import { Types } from 'mongoose'
import type { CheckoutResponse, OrderListQuery, OrderView, QuoteResponse, RequestPayment, Rules } from '@xianlin/shared'
import type { z } from 'zod'
import type { CheckoutRequestSchema, QuoteRequestSchema } from '@xianlin/shared'
import { isDuplicateKeyError } from '../../db/errors'
import { AppError } from '../../core/app-error'
import type { Actor } from '../../core/actor'
import type { Logger } from '../../logger'
import type { WechatClient } from '../../wechat'
import { PayError, type PayClient, type PayNotification, type Refund, type Transaction } from '../../wechat/pay/pay-client'
import { recordAudit } from '../audit/audit.service'
import { getProduct } from '../catalog/catalog.service'
import type { CouponsService } from '../coupons/coupons.service'
import type { EventsService } from '../events/events.service'
import type { Group } from '../groupbuy/groupbuy.service'
import type { GroupBuyService } from '../groupbuy/groupbuy.service'
import { newVoucherCode } from '../mall/voucher-code'
import { insertWithFreshCode } from '../../lib/random-code'
import type { MembershipService } from '../membership/membership.service'
import { notify } from '../notifications/notifications.service'
import type { PointsService } from '../points/points.service'
import type { ReferralService } from '../referral/referral.service'
import type { LeadersService } from '../leaders/leaders.service'
import { isActiveStore, staffWorksAt, storeOf } from '../stores/stores.service'
import { getUser } from '../users/users.service'
import { OrderKeyModel, OrderModel, PickupCodeModel, type Order } from './order.model'
import { PaymentAnomalyModel } from './payment-anomaly.model'
import { nextRefundStep, REFUND_STATES_FOR_OPERATORS } from './refund-retry'
import { priceOrder } from './pricing'

type CheckoutInput = z.output<typeof QuoteRequestSchema>
type CheckoutRequest = z.output<typeof CheckoutRequestSchema>

const MINUTE = 60_000
const OPEN_STATES = ['creating', 'pending_payment'] as const
/** Not paid yet: still holding a seat that closing gives back. */
const isUnpaid = (o: Order) => (OPEN_STATES as readonly string[]).includes(o.state)
const LIST_STATES: Record<NonNullable<OrderListQuery['state']>, string[] | null> = {
  all: null,
  pending_payment: ['pending_payment'],
  forming: ['paid'],
  pickup: ['confirmed'],
  completed: ['completed'],
  refunded: ['refunding', 'refunded', 'closed'],
}

export interface OrdersDeps {
  rules: Rules
  groupbuy: GroupBuyService
  coupons: CouponsService
  points: PointsService
  membership: MembershipService
  referral: ReferralService
  leaders: LeadersService
  events: EventsService
  pay: PayClient
  wechat: WechatClient
  groupTemplateId: string | null
  log: Logger
  clock: () => Date
  crashAt?: (step: string) => void | Promise<void>
  /** Development only: the fake Pay server's "shopper pays in the wallet". */
  devPayer?: (prepayId: string) => Promise<number>
}

/**
 * Group-buy orders from checkout to pickup (DESIGN.md, Group-buy; Orders and payment). No
 * transactions: each step is a guarded update on one document, every reservation is recorded on
 * the order so it is given back exactly once, payments and refunds are keyed by the order id,
 * and the jobs below finish whatever a crash interrupted.
 */
export function createOrdersService(deps: OrdersDeps) {
  const { rules, groupbuy, coupons, points, membership, referral, leaders, events, pay, log, clock } = deps
  const oid = (id: string | Types.ObjectId) => (typeof id === 'string' ? new Types.ObjectId(id) : id)

  async function pickupOf(o: Order): Promise<OrderView['pickup']> {
    if (o.leaderId) {
      const point = await leaders.pointOf(o.leaderId)
      return { kind: 'leader', id: point.leaderId, name: point.name, address: point.address }
    }
    const store = await storeOf(o.storeId!)
    return { kind: 'store', id: String(o.storeId), name: store?.name ?? '', address: store?.address ?? '' }
  }

  async function toView(o: Order): Promise<OrderView> {
    return {
      id: o._id.toHexString(),
      state: o.state as OrderView['state'],
      title: o.title,
      product: { id: o.product.id!, name: o.product.name!, subtitle: o.product.subtitle ?? '', unit: o.product.unit ?? '', cover: { emoji: o.product.cover!.emoji!, tint: o.product.cover!.tint! } },
      groupId: o.groupId?.toHexString() ?? '',
      groupSize: o.groupSize,
      price: o.price as OrderView['price'],
      pickup: await pickupOf(o),
      pickupCode: o.state === 'confirmed' ? (o.pickupCode ?? null) : null,
      holdUntil: o.state === 'pending_payment' ? o.holdUntil.toISOString() : null,
      createdAt: o.createdAt.toISOString(),
      paidAt: o.paidAt?.toISOString() ?? null,
      completedAt: o.completedAt?.toISOString() ?? null,
      refundedAt: o.refundedAt?.toISOString() ?? null,
    }
  }

  const reload = async (id: Types.ObjectId) => (await OrderModel.findById(id).lean<Order>())!

  /** Clears one `held` flag if set; true when this call cleared it (and must give it back). */
  async function release(orderId: Types.ObjectId, flag: 'user' | 'stock' | 'seat' | 'coupon' | 'points'): Promise<boolean> {
    const res = await OrderModel.updateOne({ _id: orderId, [`held.${flag}`]: true }, { $set: { [`held.${flag}`]: false } })
    return res.modifiedCount === 1
  }

  /** Gives back every reservation the order still holds: seat, stock, daily and per-user slots, coupon, points. */
  async function giveBackAll(o: Order): Promise<void> {
    if (o.groupId && (await release(o._id, 'seat'))) await groupbuy.leaveGroup(o.groupId, o.userId, o._id)
    if (await release(o._id, 'stock')) await groupbuy.giveBackStock(o.activityId)
    if (o.held?.day) {
      const day = await OrderModel.findOneAndUpdate({ _id: o._id, 'held.day': o.held.day }, { $set: { 'held.day': null } }).lean<Order>()
      if (day) await groupbuy.giveBackDaySlot(o.activityId, o.held.day)
    }
    if (await release(o._id, 'user')) await groupbuy.giveBackUserSlot(o.activityId, o.userId)
    if (o.couponId && (await release(o._id, 'coupon'))) await coupons.restore(o.couponId.toHexString(), o._id.toHexString())
    if (o.price.pointsUsed && (await release(o._id, 'points'))) {
      await points.refund({ userId: o.userId, amount: o.price.pointsUsed, source: 'order', sourceId: o._id.toHexString(), key: `order:points-back:${o._id}` })
    }
  }

  async function levelOf(userId: string) {
    const tiers = rules.levels.tiers
    return tiers[Math.min(await membership.rankOf(userId), tiers.length - 1)]!
  }

  /** The activity, tier and (when joining) group an order is for; refuses what cannot be bought now. */
  async function target(input: CheckoutInput, userId: string) {
    const activity = await groupbuy.getActivity(input.activityId)
    if (input.groupId) {
      const group = await groupbuy.getGroup(input.groupId)
      if (!group.activityId.equals(activity._id)) throw new AppError('NOT_FOUND', '团不存在')
      if (group.state !== 'open' || group.expiresAt <= clock()) throw new AppError('GROUP_CLOSED')
      // Cheap early answers; the guarded seat update still decides races.
      if (group.seats?.[userId]) throw new AppError('ALREADY_IN_GROUP')
      if (group.free <= 0) throw new AppError('GROUP_FULL')
      return { activity, tier: groupbuy.sellableTier(activity, group.size), group }
    }
    return { activity, tier: groupbuy.sellableTier(activity, input.tierSize ?? activity.tiers[0]!.size), group: null }
  }

  async function paymentOf(o: Order): Promise<RequestPayment | null> {
    return o.state === 'pending_payment' && o.prepayId ? pay.requestPayment(o.prepayId) : null
  }

  async function sendResult(o: Order, result: 'success' | 'failed') {
    const marked = await OrderModel.updateOne({ _id: o._id, notified: { $ne: result } }, { $push: { notified: result } })
    if (marked.modifiedCount !== 1) return
    const success = result === 'success'
    await notify({
      key: `order:${o._id}:${result}`,
      userId: o.userId,
      kind: success ? 'group_success' : 'group_fail',
      title: success ? '拼团成功' : '拼团未成功，已退款',
      body: success ? `「${o.product.name}」拼团成功，请凭提货码到店自提` : `「${o.product.name}」未在时限内成团，货款将原路退回`,
      at: clock(),
    })
    if (!deps.groupTemplateId) return
    await deps.wechat
      .sendSubscribeMessage({
        touser: o.openid,
        templateId: deps.groupTemplateId,
        page: `pages/group/index?id=${o.groupId}`,
        data: { thing1: o.product.name ?? '', phrase2: success ? '拼团成功' : '拼团失败', thing3: success ? '请凭提货码到店自提' : '货款将原路退回' },
      })
      .catch((err: Error) => log.warn({ err, orderId: o._id }, 'group result message not sent'))
  }

  /**
   * Asks WeChat Pay for the refund of a paid order; `RF<id>` makes every retry the same refund (so
   * asking again is also how we learn how it went). The answer is recorded with when to ask next.
   */
  async function issueRefund(o: Order, reason: string): Promise<void> {
    await deps.crashAt?.('refund-before-call')
    let answer: Refund['status'] | 'ERROR'
    try {
      answer = (await pay.refund({ outTradeNo: o._id.toHexString(), outRefundNo: `RF${o._id.toHexString()}`, refundFen: o.price.payFen!, totalFen: o.price.payFen!, reason })).status
    } catch (err) {
      log.error({ err, orderId: o._id }, 'refund request failed; the recovery job asks again')
      answer = 'ERROR'
    }
    await noteRefund(o._id, answer)
  }

  /** Records WeChat Pay's answer about a refund: SUCCESS finishes it; anything else waits or goes to operators. */
  async function noteRefund(orderId: Types.ObjectId, answer: Refund['status'] | 'ERROR'): Promise<void> {
    if (answer === 'SUCCESS') return service.refundSucceeded(orderId.toHexString())
    const o = await OrderModel.findById(orderId).lean<Order>()
    if (o?.state !== 'refunding') return
    const step = nextRefundStep(answer, o.refundAttempts ?? 0, clock())
    await OrderModel.updateOne({ _id: orderId, state: 'refunding', refundAttempts: o.refundAttempts ?? 0 }, { $set: { refundStatus: step.status, refundAttempts: step.attempts, refundNextAt: step.nextAt } })
    if (step.nextAt === null) log.error({ orderId, refundStatus: step.status }, 'refund needs an operator')
  }

  /** A refunding order is asked about when it never was (a crash before the call) or its next time has come. */
  const refundDue = (o: Order, now: Date) => o.state === 'refunding' && (o.refundAttempts ? o.refundNextAt != null && o.refundNextAt <= now : true)

  /** What a reported payment says that its order (and our merchant account) does not. */
  function paymentMismatches(tx: Transaction, o: Order): Array<{ field: string; expected: string; received: string }> {
    const expected: Array<[string, string, string | number | undefined]> = [
      ['mchid', pay.merchant.mchid, tx.mchid],
      ['appid', pay.merchant.appId, tx.appid],
      ['payer.openid', o.openid, tx.payer?.openid],
      ['amount.total', String(o.price.payFen), tx.amount?.total],
      ['amount.currency', 'CNY', tx.amount?.currency],
    ]
    return expected.filter(([, want, got]) => String(got) !== want).map(([field, want, got]) => ({ field, expected: want, received: String(got ?? '') }))
  }

  /**
   * A payment that does not match its order never pays it. It is recorded for operators once per
   * payment. Money our merchant account took from a shopper for our app (wrong payer or amount)
   * is given back: the unpaid order closes, returning its seat and reservations, and the payment is
   * refunded in full. A payment naming another merchant or app is not ours to refund, and one
   * reported for an order already paid is not refunded blindly: both are held for review.
   */
  async function paymentAnomaly(o: Order, tx: Transaction, mismatches: Array<{ field: string; expected: string; received: string }>): Promise<void> {
    // Refund only money that reached our account for an order that was never paid; anything else is for review.
    const ours = !mismatches.some((m) => m.field === 'mchid' || m.field === 'appid') && o.paidAt === null
    const id = `${tx.out_trade_no}:${tx.transaction_id ?? 'none'}`
    try {
      await PaymentAnomalyModel.create({ _id: id, orderId: o._id.toHexString(), transactionId: tx.transaction_id ?? null, mismatches, action: ours ? 'refund_requested' : 'held', amountFen: tx.amount?.total ?? null, at: clock() })
      log.error({ orderId: o._id, mismatches }, 'payment does not match its order; recorded as an anomaly')
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err
    }
    if (!ours) return
    await closeAndGiveBack(o._id, 'payment_anomaly')
    const total = tx.amount?.total ?? 0
    // `RA<order id>`: another number than an order refund's, and the same on every delivery.
    if (total > 0) await pay.refund({ outTradeNo: tx.out_trade_no, outRefundNo: `RA${o._id.toHexString()}`, refundFen: total, totalFen: total, reason: '支付信息与订单不符，自动退款' }).catch((err: Error) => log.error({ err, orderId: o._id }, 'anomaly refund failed; an operator must refund it'))
  }

  /** A paid order of a successful group gets its one-time pickup code. */
  async function confirm(orderId: Types.ObjectId): Promise<void> {
    const o = await OrderModel.findById(orderId).lean<Order>()
    if (o?.state !== 'paid') return
    const code = await insertWithFreshCode(newVoucherCode, (c) => PickupCodeModel.create({ _id: c, orderId }))
    await OrderModel.updateOne({ _id: orderId, state: 'paid' }, { $set: { state: 'confirmed', confirmedAt: clock(), pickupCode: code } })
  }

  /**
   * A refused checkout leaves nothing a person can see: once everything it held is given back,
   * its order, its idempotency key (so a corrected retry with the same key goes through) and a
   * group it opened are removed. Anything still held (a crash mid-way) keeps the order for the
   * recovery job instead.
   */
  async function forgetRefused(orderId: Types.ObjectId, keyId: string): Promise<void> {
    const o = await reload(orderId)
    const held = o.held ?? {}
    if (o.state !== 'closed' || o.prepayId || held.user || held.day || held.stock || held.seat || held.coupon || held.points) return
    if (o.groupId) await groupbuy.discardOpened(o.groupId, o.userId)
    await OrderModel.deleteOne({ _id: orderId, state: 'closed' })
    await OrderKeyModel.deleteOne({ _id: keyId, orderId })
  }

  /**
   * Closes an order not paid yet and gives back what it holds; safe to repeat (a closed order
   * gives back only what is still flagged as held).
   */
  async function closeAndGiveBack(orderId: Types.ObjectId, reason: string): Promise<void> {
    await OrderModel.updateOne({ _id: orderId, state: { $in: OPEN_STATES } }, { $set: { state: 'closed', closedAt: clock(), closeReason: reason } })
    const o = await reload(orderId)
    if (o.state === 'closed') await giveBackAll(o)
  }

  /** Closes an unpaid order (released seat, failed checkout) and gives back what it held. */
  async function closeUnpaid(o: Order, reason: string): Promise<void> {
    if (o.prepayId) {
      // A payment may have arrived without its notification: ask before closing.
      const tx = await pay.query(o._id.toHexString())
      if (tx?.trade_state === 'SUCCESS') return service.paid(tx)
      await pay.close(o._id.toHexString()).catch((err: unknown) => {
        if (!(err instanceof PayError && err.code === 'ORDER_NOT_EXIST')) throw err
      })
    }
    await closeAndGiveBack(o._id, reason)
  }

  /**
   * Hands an order over by its pickup code (canonical form, see PickupCodeSchema), once: `refuse`
   * says why this actor may not (another store, another leader's point); a guarded update
   * completes it; every attempt is audit-logged under `action`; completion credits follow.
   */
  async function handOver(actor: Actor, code: string, action: string, details: Record<string, unknown>, refuse: (o: Order) => { outcome: string; error: AppError } | null): Promise<OrderView> {
    const audit = (outcome: string, orderId?: Types.ObjectId) => recordAudit({ actorId: actor.userId, action, targetType: 'order', targetId: orderId?.toHexString() ?? code, outcome, details, at: clock() })
    const ref = await PickupCodeModel.findById(code).lean()
    const found = ref ? await OrderModel.findById(ref.orderId).lean<Order>() : null
    // A code drawn by a confirmation that lost a race points at an order holding another code.
    const o = found?.pickupCode === code ? found : null
    if (!o) {
      await audit('unknown_code')
      throw new AppError('PICKUP_CODE_UNKNOWN')
    }
    const refusal = refuse(o)
    if (refusal) {
      await audit(refusal.outcome, o._id)
      throw refusal.error
    }
    const done = await OrderModel.findOneAndUpdate({ _id: o._id, state: 'confirmed' }, { $set: { state: 'completed', completedAt: clock(), completedBy: oid(actor.userId) } }, { new: true }).lean<Order>()
    if (!done) {
      const picked = (await reload(o._id)).state === 'completed'
      await audit(picked ? 'already_picked_up' : 'not_ready', o._id)
      throw new AppError(picked ? 'ALREADY_PICKED_UP' : 'PICKUP_NOT_READY')
    }
    await audit('ok', o._id)
    await service.credit(done)
    return toView(await reload(o._id))
  }

  const service = {
    async quote(userId: string, input: CheckoutInput): Promise<QuoteResponse> {
      const { activity, tier } = await target(input, userId)
      const product = await getProduct(activity.productId.toHexString())
      const level = await levelOf(userId)
      const balance = (await points.summary(userId)).available
      const base = { listPriceFen: product.priceFen, groupPriceFen: tier.priceFen, level, pointsBalance: balance, usePoints: input.usePoints, points: rules.points }
      const usable = (await coupons.list(userId, 'usable')).filter((c) => c.scope !== 'mall')
      const options = usable
        .map((c) => ({ id: c.id, name: c.name, discountFen: priceOrder({ ...base, usePoints: false, coupon: c }).couponFen }))
        .filter((c) => c.discountFen > 0)
        .sort((a, b) => b.discountFen - a.discountFen)
      const coupon = input.couponId ? await coupons.usableTerms({ couponId: input.couponId, userId, scope: 'groupbuy' }) : null
      return { price: priceOrder({ ...base, coupon }), coupons: options, pointsBalance: Math.max(0, balance) }
    },

    /**
     * Checkout: reserve per-user slot, daily slot, stock, seat, coupon and points one guarded
     * step at a time (recording each on the order), then create the WeChat Pay prepay. Any
     * refusal gives back what was taken. The same idempotency key returns the same order.
     */
    async checkout(userId: string, input: CheckoutRequest): Promise<CheckoutResponse> {
      const uid = oid(userId)
      const keyId = `${userId}:${input.idempotencyKey}`
      const replay = async (orderId: Types.ObjectId) => {
        const same = await OrderModel.findById(orderId).lean<Order>()
        if (!same) throw new AppError('IDEMPOTENCY_KEY_REUSED')
        return { order: await toView(same), payment: await paymentOf(same) }
      }
      const known = await OrderKeyModel.findById(keyId).lean()
      if (known) return replay(known.orderId)

      const { activity, tier, group } = await target(input, userId)
      if (Boolean(input.storeId) === Boolean(input.leaderId)) throw new AppError('VALIDATION_FAILED', '请选择一个自提门店或团长自提点')
      if (input.storeId && !(await isActiveStore(input.storeId))) throw new AppError('NOT_FOUND', '自提门店不存在')
      if (input.leaderId) await leaders.activePoint(input.leaderId)
      const user = await getUser(userId)
      const product = await getProduct(activity.productId.toHexString())
      // The price before coupon and points; those are added as they are taken.
      const level = await levelOf(userId)
      const prices = { listPriceFen: product.priceFen, groupPriceFen: tier.priceFen, level, points: rules.points }
      const afterLevel = priceOrder({ ...prices, coupon: null, pointsBalance: 0, usePoints: false })
      const now = clock()
      const orderId = new Types.ObjectId()
      try {
        await OrderKeyModel.create({ _id: keyId, orderId })
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err
        // The same request raced itself: answer with the order the other one placed.
        const other = (await OrderKeyModel.findById(keyId).lean())!
        for (let i = 0; i < 50 && !(await OrderModel.exists({ _id: other.orderId })); i++) await new Promise((r) => setTimeout(r, 20))
        return replay(other.orderId)
      }
      const order: Order = (
        await OrderModel.create({
          _id: orderId,
          userId: uid,
          openid: user.openid,
          idempotencyKey: input.idempotencyKey,
          activityId: activity._id,
          groupId: group?._id ?? null,
          groupSize: tier.size,
          title: activity.title,
          product: { id: product.id, name: product.name, subtitle: product.subtitle, unit: product.unit, cover: product.cover },
          storeId: input.storeId ? oid(input.storeId) : null,
          leaderId: input.leaderId ? oid(input.leaderId) : null,
          couponId: input.couponId ? oid(input.couponId) : null,
          price: afterLevel,
          state: 'creating',
          holdUntil: new Date(now.getTime() + rules.groupbuy.seatHoldMinutes * MINUTE),
          createdAt: now,
        })
      ).toObject<Order>()

      try {
        if (!(await groupbuy.takeUserSlot(activity, userId))) throw new AppError('PER_USER_LIMIT')
        await OrderModel.updateOne({ _id: order._id }, { $set: { 'held.user': true } })
        const day = await groupbuy.takeDaySlot(activity)
        if (day === null) throw new AppError('DAILY_CAP_REACHED')
        if (day) await OrderModel.updateOne({ _id: order._id }, { $set: { 'held.day': day } })
        if (!(await groupbuy.takeStock(activity._id))) throw new AppError('SOLD_OUT')
        await OrderModel.updateOne({ _id: order._id }, { $set: { 'held.stock': true } })
        const seat: Group = group ? await groupbuy.joinGroup(group._id, userId, order._id) : await groupbuy.openGroup(activity, tier, userId, order._id)
        await OrderModel.updateOne({ _id: order._id }, { $set: { 'held.seat': true, groupId: seat._id } })
        await deps.crashAt?.('checkout-after-seat')

        let coupon = null
        if (input.couponId) {
          coupon = (await coupons.lock({ couponId: input.couponId, userId, orderId: order._id.toHexString(), orderFen: afterLevel.payFen, scope: 'groupbuy' })).terms
          await OrderModel.updateOne({ _id: order._id }, { $set: { 'held.coupon': true } })
        }
        const balance = input.usePoints ? (await points.summary(userId)).available : 0
        const price = priceOrder({ ...prices, coupon, pointsBalance: balance, usePoints: input.usePoints })
        if (price.pointsUsed > 0) {
          await points.spend({ userId, amount: price.pointsUsed, source: 'order', sourceId: order._id.toHexString(), key: `order:points:${order._id}` })
          await OrderModel.updateOne({ _id: order._id }, { $set: { 'held.points': true } })
        }
        await OrderModel.updateOne({ _id: order._id }, { $set: { price } })

        let prepayId: string
        try {
          prepayId = await pay.prepay({ outTradeNo: order._id.toHexString(), description: `${activity.title}`, totalFen: price.payFen, openid: user.openid, expiresAt: order.holdUntil })
        } catch (err) {
          log.error({ err, orderId: order._id }, 'prepay failed')
          throw new AppError('PAYMENT_UNAVAILABLE')
        }
        await OrderModel.updateOne({ _id: order._id, state: 'creating' }, { $set: { state: 'pending_payment', prepayId } })
        await events.track({ userId, name: group ? 'group_join' : 'group_open', props: { activityId: activity._id.toHexString(), groupId: seat._id.toHexString() }, at: now })
      } catch (err) {
        await closeAndGiveBack(order._id, err instanceof AppError ? err.code : 'error')
        if (err instanceof AppError) await forgetRefused(order._id, keyId)
        throw err
      }
      const placed = await reload(order._id)
      return { order: await toView(placed), payment: await paymentOf(placed) }
    },

    async get(userId: string, orderId: string): Promise<OrderView> {
      const o = Types.ObjectId.isValid(orderId) ? await OrderModel.findOne({ _id: oid(orderId), userId: oid(userId) }).lean<Order>() : null
      if (!o) throw new AppError('NOT_FOUND', '订单不存在')
      return toView(o)
    },

    async list(userId: string, state: NonNullable<OrderListQuery['state']>): Promise<OrderView[]> {
      const states = LIST_STATES[state]
      const list = await OrderModel.find({ userId: oid(userId), ...(states ? { state: { $in: states } } : { state: { $ne: 'creating' } }) })
        .sort({ createdAt: -1 })
        .limit(50)
        .lean<Order[]>()
      return Promise.all(list.map(toView))
    },

    /** The `requestPayment` parameters again for an order still waiting for payment. */
    async payment(userId: string, orderId: string): Promise<CheckoutResponse> {
      const o = Types.ObjectId.isValid(orderId) ? await OrderModel.findOne({ _id: oid(orderId), userId: oid(userId) }).lean<Order>() : null
      if (!o) throw new AppError('NOT_FOUND', '订单不存在')
      if (o.state !== 'pending_payment' || o.holdUntil <= clock()) throw new AppError('ORDER_NOT_PAYABLE')
      return { order: await toView(o), payment: await paymentOf(o) }
    },

    /** Development stand-in for `requestPayment` in H5: the fake Pay server "pays" and notifies. */
    async devPay(userId: string, orderId: string): Promise<OrderView> {
      if (!deps.devPayer) throw new AppError('NOT_FOUND')
      const o = Types.ObjectId.isValid(orderId) ? await OrderModel.findOne({ _id: oid(orderId), userId: oid(userId) }).lean<Order>() : null
      if (!o) throw new AppError('NOT_FOUND', '订单不存在')
      if (o.state !== 'pending_payment' || !o.prepayId) throw new AppError('ORDER_NOT_PAYABLE')
      await deps.devPayer(o.prepayId)
      return toView(await reload(o._id))
    },

    /** A verified notification from WeChat Pay: payment or refund. Idempotent. */
    async handleNotification(n: PayNotification): Promise<void> {
      if (n.kind === 'transaction') {
        if (n.transaction.trade_state === 'SUCCESS') await service.paid(n.transaction)
        return
      }
      if (Types.ObjectId.isValid(n.refund.out_trade_no)) await noteRefund(oid(n.refund.out_trade_no), n.refund.refund_status)
    },

    /**
     * A successful payment: the order becomes paid once; its seat counts once; a filled group
     * succeeds. A payment for an order already closed, or a group already ended, is refunded.
     */
    async paid(tx: Transaction): Promise<void> {
      const o = Types.ObjectId.isValid(tx.out_trade_no) ? await OrderModel.findById(tx.out_trade_no).lean<Order>() : null
      if (!o) return void log.warn({ outTradeNo: tx.out_trade_no }, 'payment for an unknown order')
      const mismatches = paymentMismatches(tx, o)
      if (mismatches.length) return paymentAnomaly(o, tx, mismatches)
      const now = clock()
      const first = await OrderModel.updateOne({ _id: o._id, state: { $in: OPEN_STATES } }, { $set: { state: 'paid', paidAt: now, transactionId: tx.transaction_id ?? null } })
      const late = await OrderModel.findOneAndUpdate({ _id: o._id, state: 'closed', paidAt: null }, { $set: { state: 'refunding', paidAt: now, transactionId: tx.transaction_id ?? null } }, { new: true }).lean<Order>()
      if (late) return issueRefund(late, '订单已关闭，自动退款')
      const current = await reload(o._id)
      if (current.state !== 'paid') return
      // The steps below are idempotent and rerun on every delivery, finishing what a crash left.
      if (current.couponId) await coupons.use(current.couponId.toHexString(), current._id.toHexString())
      if (first.modifiedCount === 1) await events.track({ userId: current.userId.toHexString(), name: 'payment', props: { orderId: current._id.toHexString(), fen: current.price.payFen }, at: now })
      const result = await groupbuy.recordPaid(current.groupId!, current.userId, current._id)
      if (result.late) {
        const refunding = await OrderModel.findOneAndUpdate({ _id: o._id, state: 'paid' }, { $set: { state: 'refunding' } }, { new: true }).lean<Order>()
        if (refunding) await issueRefund(refunding, '拼团已结束，自动退款')
        return
      }
      if (result.succeeded) await service.settleGroup(result.group)
    },

    /** The refund went through: the order is refunded once and gives back stock, coupon and points. */
    async refundSucceeded(orderIdHex: string): Promise<void> {
      if (!Types.ObjectId.isValid(orderIdHex)) return
      await OrderModel.updateOne({ _id: oid(orderIdHex), state: 'refunding' }, { $set: { state: 'refunded', refundedAt: clock() } })
      const o = await OrderModel.findById(orderIdHex).lean<Order>()
      if (o?.state !== 'refunded') return
      await giveBackAll(o)
      if (o.completedAt) {
        // Refunded after pickup: what completion earned is taken back, once.
        if (o.leaderId) await leaders.cancelCommission(o._id)
        if (await points.hasEntry(`order:earn:${o._id}`)) await points.settlePending(`order:earn:${o._id}`, 'cancel').catch((err: Error) => log.warn({ err, orderId: o._id }, 'order points already settled'))
        return
      }
      if (o.groupId) await sendResult(o, 'failed')
    },

    /** Outcomes of an ended group, all idempotent; the group is marked settled when all are done. */
    async settleGroup(g: Group): Promise<void> {
      const orders = await OrderModel.find({ groupId: g._id }).lean<Order[]>()
      if (g.state === 'succeeded') {
        for (const id of g.paidOrderIds) await confirm(id)
        const templateId = await coupons.ensureTemplate(`groupbuy:initiator:${rules.groupbuy.initiatorCouponFen}`, {
          name: '团长专享无门槛券',
          kind: 'amount',
          amountFen: rules.groupbuy.initiatorCouponFen,
          minSpendFen: 0,
          validity: { kind: 'relative', days: 30 },
          scope: 'all',
        })
        if (rules.groupbuy.initiatorCouponFen > 0) await coupons.grant({ templateId, userId: g.initiatorId, key: `group:initiator:${g._id}`, source: 'groupbuy' })
        for (const o of await OrderModel.find({ groupId: g._id, state: 'confirmed' }).lean<Order[]>()) await sendResult(o, 'success')
        await events.track({ userId: g.initiatorId.toHexString(), name: 'group_success', props: { groupId: g._id.toHexString(), autoFilled: g.autoFilled }, at: clock() })
        // Unpaid holders cannot exist in a full group; anything left open is closed.
        for (const o of orders.filter(isUnpaid)) await closeUnpaid(o, 'group_succeeded')
        await groupbuy.markSettled(g._id)
        return
      }
      for (const o of orders) {
        if (isUnpaid(o)) await closeUnpaid(o, 'group_failed')
        else if (o.state === 'paid') {
          const refunding = await OrderModel.findOneAndUpdate({ _id: o._id, state: 'paid' }, { $set: { state: 'refunding' } }, { new: true }).lean<Order>()
          if (refunding) await issueRefund(refunding, '拼团未成功，自动退款')
        } else if (refundDue(o, clock())) await issueRefund(o, '拼团未成功，自动退款')
      }
      const after = await OrderModel.find({ groupId: g._id }).lean<Order[]>()
      if (after.every((o) => o.state === 'closed' || o.state === 'refunded')) {
        await groupbuy.markSettled(g._id)
        if (g.state === 'failed') await events.track({ userId: g.initiatorId.toHexString(), name: 'group_fail', props: { groupId: g._id.toHexString() }, at: clock() })
      }
    },

    /** Staff confirm a pickup at their store, once; points (pending for the refund window) and growth follow. */
    pickup(actor: Actor, input: { code: string; storeId?: string }): Promise<OrderView> {
      return handOver(actor, input.code, 'order.pickup', { storeId: input.storeId ?? null }, (o) =>
        !o.storeId || !staffWorksAt(actor, o.storeId.toHexString()) || (input.storeId && input.storeId !== o.storeId.toHexString())
          ? { outcome: 'wrong_store', error: new AppError('WRONG_STORE', '该订单不在本店自提') }
          : null,
      )
    },

    /** A leader confirms a pickup at their point, once; only an active leader, only their own point's orders. */
    async pickupAtLeader(actor: Actor, code: string): Promise<OrderView> {
      if (!(await leaders.pointOf(actor.userId)).active) {
        await recordAudit({ actorId: actor.userId, action: 'order.leader_pickup', targetType: 'order', targetId: code, outcome: 'leader_suspended', at: clock() })
        throw new AppError('LEADER_SUSPENDED')
      }
      return handOver(actor, code, 'order.leader_pickup', {}, (o) => (o.leaderId?.equals(actor.userId) ? null : { outcome: 'not_your_point', error: new AppError('NOT_YOUR_PICKUP') }))
    },

    /**
     * An operator refunds a completed order inside the refund window (after-sales): the pending
     * points and the leader's commission are cancelled once the refund succeeds.
     */
    async refundCompleted(adminId: string, orderId: string): Promise<OrderView> {
      const windowStart = new Date(clock().getTime() - rules.orders.refundWindowDays * 86_400_000)
      const o = Types.ObjectId.isValid(orderId) ? await OrderModel.findOneAndUpdate({ _id: oid(orderId), state: 'completed', completedAt: { $gt: windowStart } }, { $set: { state: 'refunding' } }, { new: true }).lean<Order>() : null
      if (!o) throw new AppError('ORDER_NOT_PAYABLE', '订单不在可退款状态或已过售后期')
      await recordAudit({ actorId: adminId, action: 'order.refund', targetType: 'order', targetId: orderId, outcome: 'requested', at: clock() })
      await issueRefund(o, '售后退款')
      return toView(await reload(o._id))
    },

    /** Points (pending for the refund window) and growth for a completed order, and the invitation hook. */
    async credit(o: Order): Promise<void> {
      const yuan = Math.floor(o.price.payFen! / 100)
      const earned = yuan * rules.points.perYuanPaid
      if (earned > 0) await points.earn({ userId: o.userId, amount: earned, pending: true, source: 'order', sourceId: o._id.toHexString(), key: `order:earn:${o._id}` })
      const growth = yuan * rules.growth.perYuanPaid
      if (growth > 0) await membership.addGrowth({ userId: o.userId, amount: growth, source: 'order', sourceId: o._id.toHexString(), key: `order:growth:${o._id}` })
      await referral.orderCompleted(o.userId.toHexString(), o._id.toHexString())
      if (o.leaderId) await leaders.earnCommission({ _id: o._id, leaderId: o.leaderId, payFen: o.price.payFen!, completedAt: o.completedAt ?? clock() })
      await OrderModel.updateOne({ _id: o._id }, { $set: { credited: true } })
    },

    /** Job: releases seats unpaid after their hold (asking WeChat first), and finishes interrupted work. */
    async releaseDueHolds(now: Date): Promise<number> {
      const due = await OrderModel.find({ state: { $in: OPEN_STATES }, holdUntil: { $lte: now } }).limit(200).lean<Order[]>()
      for (const o of due) await closeUnpaid(o, 'unpaid').catch((err: Error) => log.error({ err, orderId: o._id }, 'releasing an unpaid order failed'))
      const stale = new Date(now.getTime() - MINUTE)
      const refunding = await OrderModel.find({ state: 'refunding', $or: [{ refundAttempts: 0, paidAt: { $lte: stale } }, { refundNextAt: { $lte: now } }] }).limit(100).lean<Order[]>()
      for (const o of refunding) await issueRefund(o, '自动退款')
      for (const o of await OrderModel.find({ state: 'completed', credited: false }).limit(100).lean<Order[]>()) await service.credit(o)
      return due.length
    },

    /** Refunds WeChat Pay could not complete (ABNORMAL, CLOSED) or that stayed unfinished after every retry, for operators. */
    async refundIssues(limit = 50) {
      const list = await OrderModel.find({ state: 'refunding', refundStatus: { $in: [...REFUND_STATES_FOR_OPERATORS] } }).sort({ createdAt: -1 }).limit(limit).lean<Order[]>()
      return list.map((o) => ({ orderId: o._id.toHexString(), refundStatus: o.refundStatus!, attempts: o.refundAttempts ?? 0, amountFen: o.price.payFen ?? 0 }))
    },

    /** Payments that did not match their orders, newest first, for operators. */
    async anomalies(limit = 50) {
      const list = await PaymentAnomalyModel.find({}).sort({ at: -1 }).limit(limit).lean()
      return list.map((a) => ({ id: a._id, orderId: a.orderId, transactionId: a.transactionId, mismatches: a.mismatches.map((m) => ({ field: m.field!, expected: m.expected!, received: m.received! })), action: a.action, amountFen: a.amountFen, at: a.at.toISOString() }))
    },

    /** Job: ends expired groups and settles ended ones (refunds, stock, coupons, points, messages). */
    async settleGroups(now: Date): Promise<number> {
      await groupbuy.endExpired(now)
      const groups = await groupbuy.unsettled()
      for (const g of groups) await service.settleGroup(g).catch((err: Error) => log.error({ err, groupId: g._id }, 'settling a group failed'))
      return groups.length
    },
  }
  return service
}

export type OrdersService = ReturnType<typeof createOrdersService>
