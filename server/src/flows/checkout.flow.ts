import { Types } from 'mongoose'
import { businessDay, defaultCoupon, formatFen, priceBasket, type CheckoutResponse, type OrderView, type CouponTerms, type QuoteResponse, type RefusedLine, type RequestPayment } from '@xianlin/shared'
import type { z } from 'zod'
import type { CheckoutRequestSchema, QuoteRequestSchema } from '@xianlin/shared'
import { AppError } from '../core/app-error'
import { unguessableObjectId } from '../lib/random-id'
import { getProduct } from '../modules/catalog/catalog.service'
import { openStore } from '../modules/stores/stores.service'
import { openidOf } from '../modules/users/users.service'
import { priceOrder } from '../modules/orders/pricing'
import { oneLineOf, toLineView } from '../modules/orders/order-lines'
import type { CheckedLine } from '../modules/cart/basket-lines'
import type { Order, OrderLine } from '../modules/orders/order-records'
import { MINUTE, type FlowContext } from './deps'
import type { createReservations } from './reservations'

type CheckoutInput = z.output<typeof QuoteRequestSchema>
type CheckoutRequest = z.output<typeof CheckoutRequestSchema>
type Activity = Awaited<ReturnType<FlowContext['groupbuy']['getActivity']>>
type Product = Awaited<ReturnType<typeof getProduct>>
type Level = { name: string; priceRatePercent: number }

/** What a checkout buys: one unit of a group-buy at a tier (opening or joining a group), or a basket of lines for their sessions. */
type Target =
  | { kind: 'group'; product: Product; title: string; size: number; listPriceFen: number; beforeLevelFen: number; activity: Activity; tier: { size: number; priceFen: number }; group: Awaited<ReturnType<FlowContext['groupbuy']['getGroup']>> | null }
  | { kind: 'basket'; product: Product; title: string; size: 1; lines: CheckedLine[]; activity: null; group: null }

/** Coupons for group-buys fit group orders; a basket takes only coupons for everything. */
const couponScope = (t: Target) => (t.kind === 'group' ? 'groupbuy' : 'all') as 'groupbuy' | 'all'
/** A replay waits up to 20 ms × this for the first request with its key to write its order. */
const REPLAY_WAIT_STEPS = 50

/**
 * Checkout (DESIGN.md, Group-buy; Shop; Orders and payment): quote, then place an order. The order
 * is written first with every reservation it intends to take; then each is taken, keyed by the
 * order, so a crash at any step leaves an order the recovery job closes, giving back exactly what
 * was taken. A refusal gives everything back and leaves nothing the shopper can see; a refused
 * basket names each line it refused and why.
 */
export function createCheckoutFlow(c: FlowContext, reservations: ReturnType<typeof createReservations>) {
  const { rules, records, groupbuy, coupons, points, membership, leaders, sessions, basket, cart, events, pay, log, clock } = c
  const step = async (name: string) => c.crashAt?.(`checkout-after-${name}`)

  const rankOf = async (userId: string) => Math.min(await membership.rankOf(userId), rules.levels.tiers.length - 1)
  const levelOf = async (userId: string): Promise<Level> => rules.levels.tiers[await rankOf(userId)]!

  /** What an order is for; refuses what cannot be bought now. */
  async function target(input: CheckoutInput, userId: string, level: Level): Promise<Target> {
    if (input.activityId) return groupTarget(input, userId)
    const wanted = input.lines ?? [{ productId: input.productId!, quantity: input.quantity }]
    const lines = await basket.check(wanted, level.priceRatePercent, userId)
    const refused: RefusedLine[] = lines.flatMap((l, index): RefusedLine[] => {
      if (l.problem) return [{ index, productId: l.productId, day: l.day, problem: l.problem, text: l.problemText ?? '暂时买不了' }]
      const shown = wanted[index]!.unitPriceFen
      return shown !== undefined && shown !== l.memberUnitFen ? [{ index, productId: l.productId, day: l.day, problem: 'price_changed', text: `价格已变为 ${formatFen(l.memberUnitFen)}` }] : []
    })
    if (refused.length) throw basketRefused(refused, lines)
    const first = lines[0]!.product!.view
    return { kind: 'basket', product: first, title: lines.length > 1 ? `${first.name} 等 ${lines.length} 件商品` : first.name, size: 1, lines, activity: null, group: null }
  }

  /** A refused basket: the first line's reason as the message, every refused line in the details. */
  function basketRefused(refused: RefusedLine[], lines: readonly CheckedLine[]): AppError {
    const name = (i: number) => lines[i]?.product?.view.name ?? '商品'
    const message = refused.length === 1 ? `「${name(refused[0]!.index)}」${refused[0]!.text}` : `「${name(refused[0]!.index)}」等 ${refused.length} 件商品暂时买不了，请调整后再结算`
    return new AppError('BASKET_REFUSED', message, { lines: refused })
  }

  async function groupTarget(input: CheckoutInput, userId: string): Promise<Target> {
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

  /** The order's price and its lines, with a coupon and points as asked (a group-buy is its one line). */
  function priceOf(t: Target, level: Level, coupon: CouponTerms | null, pointsBalance: number, usePoints: boolean): { price: Order['price'] & QuoteResponse['price']; lines: OrderLine[] } {
    if (t.kind === 'group') {
      const price = priceOrder({ listPriceFen: t.listPriceFen, groupPriceFen: t.beforeLevelFen, level, coupon, pointsBalance, usePoints, points: rules.points })
      return { price, lines: [oneLineOf({ quantity: 1, product: t.product, price })] }
    }
    const priced = priceBasket({ lines: t.lines, level, coupon, pointsBalance, usePoints, points: rules.points })
    return {
      price: priced.price,
      lines: t.lines.map((l, i) => {
        const p = l.product!.view
        const s = l.session!.state
        const { memberUnitFen, lineFen, couponFen, pointsFen, payFen } = priced.lines[i]!
        return { productId: new Types.ObjectId(p.id), name: p.name, subtitle: p.subtitle, unit: p.unit, cover: p.cover, day: l.day, pickupDay: s.pickupDay, pickupFrom: s.pickupFrom, quantity: l.quantity, listUnitFen: l.listUnitFen, unitFen: l.unitFen, memberUnitFen, lineFen, couponFen, pointsFen, payFen }
      }),
    }
  }

  async function paymentOf(o: Order): Promise<RequestPayment | null> {
    return o.state === 'pending_payment' && o.prepayId ? pay.requestPayment(o.prepayId) : null
  }

  async function answer(o: Order, pickup?: OrderView['pickup']): Promise<CheckoutResponse> {
    return { order: await records.toView(o, pickup), payment: await paymentOf(o) }
  }

  /** The pickup point a checkout names (exactly one: a store or a leader's point), refused unless open. */
  async function pickupPoint(input: CheckoutRequest): Promise<OrderView['pickup']> {
    if (Boolean(input.storeId) === Boolean(input.leaderId)) throw new AppError('VALIDATION_FAILED', '请选择一个自提门店或团长自提点')
    if (input.leaderId) {
      const point = await leaders.activePoint(input.leaderId)
      return { kind: 'leader', id: point.leaderId, name: point.name, address: point.address }
    }
    const store = await openStore(input.storeId!)
    if (!store) throw new AppError('NOT_FOUND', '自提门店不存在')
    return { kind: 'store', id: input.storeId!, ...store }
  }

  /** Takes each reservation the order intends, in order; throws the refusal of the first that cannot be had. */
  async function take(o: Order, input: CheckoutRequest, bought: Target, level: Level, priced: (p: ReturnType<typeof priceOf>) => void) {
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
    } else {
      const refused = await sessions.take(o._id, userId, bought.lines.map((l) => ({ ...l.session!, quantity: l.quantity })))
      if (refused.length) {
        // Someone got there first: say why as the basket now would (售罄 — 明日场可买), whichever step saw it.
        const now = await basket.check(bought.lines, level.priceRatePercent, userId)
        const fallback = { sold_out: '售罄', over_limit: '超出限购', no_session: '这一期不售' } as const
        throw basketRefused(refused.map((r) => ({ index: r.index, productId: bought.lines[r.index]!.productId, day: bought.lines[r.index]!.day, problem: r.problem, text: now[r.index]?.problemText ?? fallback[r.problem] })), bought.lines)
      }
      await step('stock')
    }

    let coupon = null
    if (input.couponId) {
      coupon = (await coupons.lock({ couponId: input.couponId, userId, orderId: o._id.toHexString(), orderFen: o.price.payFen!, scope: couponScope(bought) })).terms
      await step('coupon')
    }
    const balance = input.usePoints ? (await points.balance(userId)).available : 0
    const final = priceOf(bought, level, coupon, balance, input.usePoints)
    priced(final)
    if (coupon || final.price.pointsUsed > 0) {
      // The final price, and the points it intends to spend, are written before they are spent.
      await records.setFields(o._id, { price: final.price, lines: final.lines, 'held.points': final.price.pointsUsed > 0 }, ['creating'])
      await step('price')
    }
    if (final.price.pointsUsed > 0) {
      await points.spend({ userId, amount: final.price.pointsUsed, source: 'order', sourceId: o._id.toHexString(), key: `order:points:${o._id}` })
      await step('points')
    }
    return final.price
  }

  return {
    answer,

    /**
     * The price as checkout would take it, line by line, with the coupons that fit (best first).
     * Without a coupon named, it uses the rules' choice (the best saving); `null` means none.
     */
    async quote(userId: string, input: CheckoutInput): Promise<QuoteResponse> {
      const level = await levelOf(userId)
      const bought = await target(input, userId, level)
      const balance = (await points.balance(userId)).available
      const scope = couponScope(bought)
      const usable = (await coupons.list(userId, 'usable')).filter((x) => x.state === 'usable' && (x.scope === 'all' || x.scope === scope))
      const options = usable
        .map((x) => ({ id: x.id, name: x.name, discountFen: priceOf(bought, level, x, 0, false).price.couponFen, validTo: x.validTo }))
        .filter((x) => x.discountFen > 0)
        .sort((a, b) => b.discountFen - a.discountFen)
      const couponId = input.couponId === undefined ? (defaultCoupon(options, rules.shop.couponChoice)?.id ?? null) : input.couponId
      const coupon = couponId ? await coupons.usableTerms({ couponId, userId, scope }) : null
      const priced = priceOf(bought, level, coupon, balance, input.usePoints)
      return { price: priced.price, lines: priced.lines.map((l) => toLineView(l)), coupons: options, couponId, pointsBalance: Math.max(0, balance) }
    },

    /**
     * Places an order: the idempotency key, then the order with its intended reservations, then
     * each reservation, then the WeChat Pay prepay. The same key answers the same order.
     */
    async checkout(userId: string, input: CheckoutRequest): Promise<CheckoutResponse> {
      const keyId = `${userId}:${input.idempotencyKey}`
      const known = await records.orderOfKey(keyId)
      if (known) return replay(known)

      const level = await levelOf(userId)
      const bought = await target(input, userId, level)
      const { activity, group } = bought
      const pickup = await pickupPoint(input)
      const openid = await openidOf(userId)
      const product = bought.product
      const now = clock()
      // The price before coupon and points; the final one is written before they are taken.
      const first = priceOf(bought, level, null, 0, false)
      const lines = bought.kind === 'basket' ? bought.lines : []
      // An unpaid basket is held until its earliest session's cut-off at the latest.
      const holdUntil = Math.min(now.getTime() + rules.groupbuy.seatHoldMinutes * MINUTE, ...lines.map((l) => l.session!.state.cutoffAt.getTime()))
      const orderId = new Types.ObjectId()
      const order = await records.create({
        _id: orderId,
        userId: new Types.ObjectId(userId),
        openid,
        idempotencyKey: input.idempotencyKey,
        kind: bought.kind,
        quantity: bought.kind === 'group' ? 1 : lines.reduce((n, l) => n + l.quantity, 0),
        activityId: activity?._id ?? null,
        // A group this checkout opens gets its id now, so the order names it before it exists.
        groupId: bought.kind === 'basket' ? null : (group?._id ?? unguessableObjectId()),
        groupSize: bought.size,
        title: bought.title,
        product: { id: product.id, name: product.name, subtitle: product.subtitle, unit: product.unit, cover: product.cover },
        lines: first.lines,
        pickupDays: [...new Set(first.lines.map((l) => l.pickupDay).filter((d): d is string => Boolean(d)))].sort(),
        storeId: input.storeId ? new Types.ObjectId(input.storeId) : null,
        leaderId: input.leaderId ? new Types.ObjectId(input.leaderId) : null,
        couponId: input.couponId ? new Types.ObjectId(input.couponId) : null,
        price: first.price,
        state: 'creating',
        // A basket holds its sessions' units (as `stock`), a coupon and points; no group-buy slot or seat.
        held: activity
          ? { user: true, day: activity.dailyCap == null ? null : businessDay(now, rules.business.timeZone), stock: true, seat: true, coupon: Boolean(input.couponId), points: false }
          : { user: false, day: null, stock: true, seat: false, coupon: Boolean(input.couponId), points: false },
        holdUntil: new Date(holdUntil),
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
        const price = await take(order, input, bought, level, (p) => (intended = { ...order, price: p.price, lines: p.lines }))
        let prepayId: string
        try {
          prepayId = await pay.prepay({ outTradeNo: orderId.toHexString(), description: bought.title, totalFen: price.payFen, openid, expiresAt: order.holdUntil })
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
        else await events.track({ userId, name: 'basket_order', props: { orderId: orderId.toHexString(), lines: lines.length, units: order.quantity ?? 1, fen: price.payFen }, at: now })
      } catch (err) {
        await reservations.closeAndGiveBack(orderId, err instanceof AppError ? err.code : 'error', intended)
        if (err instanceof AppError) await reservations.forgetUnseen(orderId, keyId)
        throw err
      }
      // What was bought leaves the basket; the order holds it now (the basket is only a convenience: never fail the order for it).
      if (input.lines) await cart.removeBought(userId, lines.map((l) => ({ productId: l.productId, day: l.day }))).catch((err: Error) => log.warn({ err, orderId }, 'bought lines left in the basket'))
      return answer(placed, pickup)

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
