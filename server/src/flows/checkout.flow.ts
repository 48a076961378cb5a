import { Types } from 'mongoose'
import { businessDay, type CheckoutResponse, type QuoteResponse, type RequestPayment } from '@xianlin/shared'
import type { z } from 'zod'
import type { CheckoutRequestSchema, QuoteRequestSchema } from '@xianlin/shared'
import { AppError } from '../core/app-error'
import { unguessableObjectId } from '../lib/random-id'
import { getProduct } from '../modules/catalog/catalog.service'
import { isActiveStore } from '../modules/stores/stores.service'
import { getUser } from '../modules/users/users.service'
import { priceOrder } from '../modules/orders/pricing'
import type { Order } from '../modules/orders/order-records'
import { MINUTE, type FlowContext } from './deps'
import type { createReservations } from './reservations'

type CheckoutInput = z.output<typeof QuoteRequestSchema>
type Activity = Awaited<ReturnType<FlowContext['groupbuy']['getActivity']>>
type Product = Awaited<ReturnType<typeof getProduct>>
/** What a checkout buys, and the prices it starts from (the member rate applies to `beforeLevelFen`). */
type Target = { product: Product; title: string; size: number; listPriceFen: number; beforeLevelFen: number } & (
  | { kind: 'solo'; activity: null; tier: null; group: null }
  | { kind: 'group'; activity: Activity; tier: { size: number; priceFen: number }; group: Awaited<ReturnType<FlowContext['groupbuy']['getGroup']>> | null }
)
/** Coupons for group-buys fit group orders; a product bought alone takes only coupons for everything. */
const couponScope = (t: Target) => (t.kind === 'group' ? 'groupbuy' : 'all') as 'groupbuy' | 'all'
type CheckoutRequest = z.output<typeof CheckoutRequestSchema>
/** A replay waits up to 20 ms × this for the first request with its key to write its order. */
const REPLAY_WAIT_STEPS = 50

/**
 * Checkout (DESIGN.md, Group-buy; Orders and payment): quote, then place an order. The order is
 * written first with every reservation it intends to take; then each is taken, keyed by the
 * order, so a crash at any step leaves an order the recovery job closes, giving back exactly what
 * was taken. A refusal gives everything back and leaves nothing the shopper can see.
 */
export function createCheckoutFlow(c: FlowContext, reservations: ReturnType<typeof createReservations>) {
  const { rules, records, groupbuy, coupons, points, membership, leaders, events, pay, log, clock } = c
  const step = async (name: string) => c.crashAt?.(`checkout-after-${name}`)

  async function levelOf(userId: string) {
    const tiers = rules.levels.tiers
    return tiers[await rankOf(userId)]!
  }
  const rankOf = async (userId: string) => Math.min(await membership.rankOf(userId), rules.levels.tiers.length - 1)

  /**
   * What an order is for: a product bought alone, or an activity's tier and (when joining) group;
   * refuses what cannot be bought now.
   */
  async function target(input: CheckoutInput, userId: string): Promise<Target> {
    if (input.productId) {
      const product = await getProduct(input.productId)
      const total = product.priceFen * input.quantity
      return { kind: 'solo', product, title: product.name, size: 1, listPriceFen: total, beforeLevelFen: total, activity: null, tier: null, group: null }
    }
    const activity = await groupbuy.getActivity(input.activityId!)
    const product = await getProduct(activity.productId.toHexString())
    const group = await groupOf(input, userId, activity)
    // The member's level matters only before the activity opens to everyone (优先购).
    const rank = activity.startsAt > clock() ? await rankOf(userId) : 0
    const tier = groupbuy.sellableTier(activity, group ? group.size : (input.tierSize ?? activity.tiers[0]!.size), rank)
    return { kind: 'group', product, title: activity.title, size: tier.size, listPriceFen: product.priceFen, beforeLevelFen: tier.priceFen, activity, tier, group }
  }

  /** The group a checkout joins (null when it opens one), refused when it cannot be joined now. */
  async function groupOf(input: CheckoutInput, userId: string, activity: Activity) {
    if (!input.groupId) return null
    const group = await groupbuy.getGroup(input.groupId)
    if (!group.activityId.equals(activity._id)) throw new AppError('NOT_FOUND', '团不存在')
    if (group.state !== 'open' || group.expiresAt <= clock()) throw new AppError('GROUP_CLOSED')
    // Cheap early answers; the guarded seat update still decides races.
    if (group.seats?.[userId]) throw new AppError('ALREADY_IN_GROUP')
    if (group.free <= 0) throw new AppError('GROUP_FULL')
    return group
  }

  async function paymentOf(o: Order): Promise<RequestPayment | null> {
    return o.state === 'pending_payment' && o.prepayId ? pay.requestPayment(o.prepayId) : null
  }

  async function answer(o: Order): Promise<CheckoutResponse> {
    return { order: await records.toView(o), payment: await paymentOf(o) }
  }

  /** Takes each reservation the order intends, in order; throws the refusal of the first that cannot be had. */
  async function take(
    o: Order,
    input: CheckoutRequest,
    bought: Target,
    prices: Omit<Parameters<typeof priceOrder>[0], 'coupon' | 'pointsBalance' | 'usePoints'>,
    priced: (price: Order['price']) => void,
  ) {
    const userId = o.userId.toHexString()
    if (bought.kind === 'group') {
      const { activity, tier } = bought
      if (!(await groupbuy.takeUserSlot(activity, userId, o._id))) throw new AppError('PER_USER_LIMIT')
      await step('user-slot')
      if (o.held.day && !(await groupbuy.takeDaySlot(activity, o.createdAt, o._id))) throw new AppError('DAILY_CAP_REACHED')
      await step('day-slot')
      if (!(await groupbuy.takeStock(activity._id, o._id))) throw new AppError('SOLD_OUT')
      await step('stock')
      if (bought.group) await groupbuy.joinGroup(o.groupId!, userId, o._id)
      else await groupbuy.openGroup(activity, tier, userId, o._id, o.groupId!)
      await step('seat')
    }

    let coupon = null
    if (input.couponId) {
      coupon = (await coupons.lock({ couponId: input.couponId, userId, orderId: o._id.toHexString(), orderFen: o.price.payFen!, scope: couponScope(bought) })).terms
      await step('coupon')
    }
    const balance = input.usePoints ? (await points.summary(userId)).available : 0
    const price = priceOrder({ ...prices, coupon, pointsBalance: balance, usePoints: input.usePoints })
    priced(price)
    if (coupon || price.pointsUsed > 0) {
      // The final price, and the points it intends to spend, are written before they are spent.
      await records.setFields(o._id, { price, 'held.points': price.pointsUsed > 0 }, ['creating'])
      await step('price')
    }
    if (price.pointsUsed > 0) {
      await points.spend({ userId, amount: price.pointsUsed, source: 'order', sourceId: o._id.toHexString(), key: `order:points:${o._id}` })
      await step('points')
    }
    return price
  }

  return {
    answer,

    async quote(userId: string, input: CheckoutInput): Promise<QuoteResponse> {
      const bought = await target(input, userId)
      const level = await levelOf(userId)
      const balance = (await points.summary(userId)).available
      const base = { listPriceFen: bought.listPriceFen, groupPriceFen: bought.beforeLevelFen, level, pointsBalance: balance, usePoints: input.usePoints, points: rules.points }
      const scope = couponScope(bought)
      const usable = (await coupons.list(userId, 'usable')).filter((x) => x.scope === 'all' || x.scope === scope)
      const options = usable
        .map((x) => ({ id: x.id, name: x.name, discountFen: priceOrder({ ...base, usePoints: false, coupon: x }).couponFen }))
        .filter((x) => x.discountFen > 0)
        .sort((a, b) => b.discountFen - a.discountFen)
      const coupon = input.couponId ? await coupons.usableTerms({ couponId: input.couponId, userId, scope }) : null
      return { price: priceOrder({ ...base, coupon }), coupons: options, pointsBalance: Math.max(0, balance) }
    },

    /**
     * Places an order: the idempotency key, then the order with its intended reservations, then
     * each reservation, then the WeChat Pay prepay. The same key answers the same order.
     */
    async checkout(userId: string, input: CheckoutRequest): Promise<CheckoutResponse> {
      const keyId = `${userId}:${input.idempotencyKey}`
      const known = await records.orderOfKey(keyId)
      if (known) return replay(known)

      const bought = await target(input, userId)
      const { activity, group } = bought
      if (Boolean(input.storeId) === Boolean(input.leaderId)) throw new AppError('VALIDATION_FAILED', '请选择一个自提门店或团长自提点')
      if (input.storeId && !(await isActiveStore(input.storeId))) throw new AppError('NOT_FOUND', '自提门店不存在')
      if (input.leaderId) await leaders.activePoint(input.leaderId)
      const user = await getUser(userId)
      const product = bought.product
      const prices = { listPriceFen: bought.listPriceFen, groupPriceFen: bought.beforeLevelFen, level: await levelOf(userId), points: rules.points }
      const now = clock()
      const orderId = new Types.ObjectId()
      const order = await records.create({
        _id: orderId,
        userId: new Types.ObjectId(userId),
        openid: user.openid,
        idempotencyKey: input.idempotencyKey,
        kind: bought.kind,
        quantity: input.quantity,
        activityId: activity?._id ?? null,
        // A group this checkout opens gets its id now, so the order names it before it exists.
        groupId: bought.kind === 'solo' ? null : (group?._id ?? unguessableObjectId()),
        groupSize: bought.size,
        title: bought.title,
        product: { id: product.id, name: product.name, subtitle: product.subtitle, unit: product.unit, cover: product.cover },
        storeId: input.storeId ? new Types.ObjectId(input.storeId) : null,
        leaderId: input.leaderId ? new Types.ObjectId(input.leaderId) : null,
        couponId: input.couponId ? new Types.ObjectId(input.couponId) : null,
        // The price before coupon and points; the final one is written before they are taken.
        price: priceOrder({ ...prices, coupon: null, pointsBalance: 0, usePoints: false }),
        state: 'creating',
        // Buying alone takes no group-buy reservation: only a coupon and points.
        held: activity
          ? { user: true, day: activity.dailyCap == null ? null : businessDay(now, rules.business.timeZone), stock: true, seat: true, coupon: Boolean(input.couponId), points: false }
          : { user: false, day: null, stock: false, seat: false, coupon: Boolean(input.couponId), points: false },
        holdUntil: new Date(now.getTime() + rules.groupbuy.seatHoldMinutes * MINUTE),
        createdAt: now,
      })
      await step('order')
      // The order exists before its key names it, so a key always leads to an order.
      const earlier = await records.bindKey(keyId, orderId)
      if (earlier) {
        await records.discard(orderId)
        return replay(earlier)
      }
      await step('key')

      let placed: Order | null
      // What this checkout may hold, for giving it back even if the order record is gone.
      let intended: Order = order
      try {
        const price = await take(order, input, bought, prices, (p) => (intended = { ...order, price: p }))
        let prepayId: string
        try {
          prepayId = await pay.prepay({ outTradeNo: orderId.toHexString(), description: bought.title, totalFen: price.payFen, openid: user.openid, expiresAt: order.holdUntil })
        } catch (err) {
          log.error({ err, orderId }, 'prepay failed')
          throw new AppError('PAYMENT_UNAVAILABLE')
        }
        await step('prepay')
        placed = await c.transition(orderId, 'prepared', { prepayId })
        // Closed meanwhile (a recovery job took it for crashed): the checkout failed after all.
        if (!placed) throw new Error(`order ${orderId} was closed while it was being placed`)
        await step('prepared')
        if (activity) await events.track({ userId, name: group ? 'group_join' : 'group_open', props: { activityId: activity._id.toHexString(), groupId: order.groupId!.toHexString() }, at: now })
        else await events.track({ userId, name: 'solo_order', props: { productId: product.id, orderId: orderId.toHexString(), quantity: input.quantity }, at: now })
      } catch (err) {
        await reservations.closeAndGiveBack(orderId, err instanceof AppError ? err.code : 'error', intended)
        if (err instanceof AppError) await reservations.forgetUnseen(orderId, keyId)
        throw err
      }
      return answer(placed)

      /**
       * The same key again answers what the first request came to: its order once placed. While
       * the first is still placing it, it waits a moment, then says so (409); a refused first
       * request left nothing, so the retry after that 409 runs afresh.
       */
      async function replay(id: Types.ObjectId): Promise<CheckoutResponse> {
        let same = await records.find(id)
        for (let i = 0; same?.state === 'creating' && i < REPLAY_WAIT_STEPS; i++) {
          await new Promise((r) => setTimeout(r, 20))
          same = await records.find(id)
        }
        if (!same || same.state === 'creating') throw new AppError('REQUEST_IN_PROGRESS')
        return answer(same)
      }
    },
  }
}
