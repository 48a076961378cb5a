import { Types } from 'mongoose'
import { addDays, businessDay, memberPriceFen, sessionTimes, type Rules, type SessionBrief, type SetSessionDayRequest } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import { bulkUpdate } from '../../db/bulk-update'
import { duplicateKeyPositions } from '../../db/errors'
import { ProductSessionModel, SessionBuyerModel, buyerIdOf, sessionIdOf } from './product-session.model'

/** What sessions need to know of a product: its list price and its session defaults (团期). */
export interface SaleProduct {
  id: string
  priceFen: number
  sessionQuota: number
  sessionLimit: number
}

interface SessionDoc {
  _id: string
  quota: number
  left: number
  priceFen: number | null
  perMemberLimit: number | null
  cutoffHour: number | null
  pickupHour: number | null
  closed: boolean
  custom: boolean
  held?: Record<string, number>
}

/** A session as it stands: the day's own settings where it has them, the product's and the rules' otherwise. */
export interface SessionState {
  id: string
  productId: string
  day: string
  priceFen: number
  ownPrice: boolean
  quota: number
  left: number
  perMemberLimit: number
  ownLimit: boolean
  cutoffHour: number
  pickupHour: number
  ownHours: boolean
  cutoffAt: Date
  pickupDay: string
  pickupFrom: Date
  closed: boolean
  custom: boolean
}

/** A session as an order line meets it: its state, what this member already holds of it, and which documents exist yet. */
export interface SessionLine {
  product: SaleProduct
  state: SessionState
  bought: number
  stored: boolean
  buyerStored: boolean
}

export type TakeProblem = 'sold_out' | 'over_limit' | 'no_session'


/**
 * Daily sessions (DESIGN.md, Shop): which sessions of a product can be ordered now, what is left
 * of each, and the units an order takes and gives back. Every take is keyed by the order, in the
 * session (`held`) and in the member's count (`holders`), so a take repeated after a crash takes
 * nothing twice and a give-back returns exactly what was taken, once.
 */
export function createSessionsService(deps: { rules: Rules['shop']; timeZone: string; clock: () => Date }) {
  const { rules, timeZone, clock } = deps

  function stateOf(product: SaleProduct, day: string, doc: SessionDoc | undefined): SessionState {
    const cutoffHour = doc?.cutoffHour ?? rules.cutoffHour
    const pickupHour = doc?.pickupHour ?? rules.pickupHour
    const quota = doc?.quota ?? product.sessionQuota
    return {
      id: sessionIdOf(product.id, day),
      productId: product.id,
      day,
      priceFen: doc?.priceFen ?? product.priceFen,
      ownPrice: doc?.priceFen != null,
      quota,
      left: doc?.left ?? quota,
      perMemberLimit: doc?.perMemberLimit ?? product.sessionLimit,
      ownLimit: doc?.perMemberLimit != null,
      cutoffHour,
      pickupHour,
      ownHours: doc?.cutoffHour != null || doc?.pickupHour != null,
      ...sessionTimes(day, { cutoffHour, pickupHour, pickupDaysAfter: rules.pickupDaysAfter }, timeZone),
      closed: doc?.closed ?? false,
      custom: doc?.custom ?? false,
    }
  }

  async function docsOf(ids: string[], withHeld = false): Promise<Map<string, SessionDoc>> {
    const found = ids.length ? await ProductSessionModel.find({ _id: { $in: ids } }, withHeld ? {} : { held: 0 }).lean<SessionDoc[]>() : []
    return new Map(found.map((d) => [d._id, d]))
  }

  async function buyersOf(ids: string[]): Promise<Map<string, { count: number; holders?: Record<string, number> }>> {
    const found = ids.length ? await SessionBuyerModel.find({ _id: { $in: ids } }).lean<Array<{ _id: string; count: number; holders?: Record<string, number> }>>() : []
    return new Map(found.map((b) => [b._id, b]))
  }

  const isOpen = (s: SessionState, now: Date) => !s.closed && s.cutoffAt > now
  function openOf(products: readonly SaleProduct[], now: Date, docs: Map<string, SessionDoc>): Map<string, SessionState[]> {
    const days = candidateDays(now)
    return new Map(
      products.map((p) => [
        p.id,
        days
          .map((d) => stateOf(p, d, docs.get(sessionIdOf(p.id, d))))
          .filter((s) => isOpen(s, now))
          .slice(0, rules.orderDaysAhead + 1),
      ]),
    )
  }
  /** Sale days that may still take orders: from today, one more than `orderDaysAhead` (today's may already be cut off). */
  const candidateDays = (now: Date) => Array.from({ length: rules.orderDaysAhead + 2 }, (_, i) => addDays(businessDay(now, timeZone), i))

  /** Writes a session from its product's defaults unless it exists (several at once; racing writers create one). */
  async function store(lines: Array<{ product: SaleProduct; day: string }>): Promise<void> {
    if (!lines.length) return
    await bulkUpdate(
      ProductSessionModel,
      lines.map(({ product, day }) => ({
        updateOne: {
          filter: { _id: sessionIdOf(product.id, day) },
          update: { $setOnInsert: { productId: new Types.ObjectId(product.id), day, quota: product.sessionQuota, left: product.sessionQuota, priceFen: null, perMemberLimit: null, cutoffHour: null, pickupHour: null, closed: false, custom: false, held: {} } },
          upsert: true,
        },
      })),
    )
  }

  /** The sessions of `days` days from `from` (运营后台 → 团期). */
  async function calendar(product: SaleProduct, from: string, days: number): Promise<SessionState[]> {
    const list = Array.from({ length: days }, (_, i) => addDays(from, i))
    const docs = await docsOf(list.map((d) => sessionIdOf(product.id, d)))
    return list.map((d) => stateOf(product, d, docs.get(sessionIdOf(product.id, d))))
  }

  /**
   * Sets one day's session: its price, quota, limit, hours or whether it sells at all. A new
   * quota moves what is left by the same amount, and is refused below what is already ordered.
   */
  async function setDay(product: SaleProduct, day: string, patch: SetSessionDayRequest): Promise<SessionState> {
    const id = sessionIdOf(product.id, day)
    await store([{ product, day }])
    const set: Record<string, unknown> = { custom: true }
    for (const k of ['priceFen', 'perMemberLimit', 'cutoffHour', 'pickupHour', 'closed'] as const) if (patch[k] !== undefined) set[k] = patch[k]
    if (patch.quota === undefined) await ProductSessionModel.updateOne({ _id: id }, { $set: set })
    else {
      const doc = (await docsOf([id])).get(id)!
      const ordered = doc.quota - doc.left
      if (patch.quota < ordered) throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'body.quota', message: `已订 ${ordered} 件，限量不能少于已订数` }])
      // Guarded by the quota it read: an order taken meanwhile moves `left`, never `quota`.
      const moved = await ProductSessionModel.updateOne({ _id: id, quota: doc.quota, left: { $gte: doc.quota - patch.quota } }, { $set: { ...set, quota: patch.quota }, $inc: { left: patch.quota - doc.quota } })
      if (moved.modifiedCount !== 1) throw new AppError('SESSION_CHANGED')
    }
    return stateOf(product, day, (await docsOf([id])).get(id))
  }


  return {
    stateOf,
    calendar,
    setDay,
    isOpen,

    /** A session as a shopper sees it, priced at their level's rate. */
    brief: (s: SessionState, priceRatePercent: number): SessionBrief => ({
      day: s.day,
      cutoffAt: s.cutoffAt.toISOString(),
      pickupDay: s.pickupDay,
      pickupFrom: s.pickupFrom.toISOString(),
      priceFen: s.priceFen,
      memberPriceFen: memberPriceFen(s.priceFen, priceRatePercent),
      left: s.left,
      perMemberLimit: s.perMemberLimit,
    }),

    /** Each product's sessions a shopper may order for now, the open one first: `orderDaysAhead` + 1 of them, closed days left out. */
    async orderable(products: readonly SaleProduct[]): Promise<Map<string, SessionState[]>> {
      const now = clock()
      return openOf(products, now, await docsOf(products.flatMap((p) => candidateDays(now).map((d) => sessionIdOf(p.id, d)))))
    },

    /**
     * What a basket needs, in two reads: each product's orderable sessions, and each wanted line's
     * session (a line without a day: its product's open one, or today's when none is) with what
     * `userId` already holds of it; null for a product not among `products`.
     */
    async forLines(products: readonly SaleProduct[], wanted: ReadonlyArray<{ productId: string; day?: string }>, userId?: string): Promise<{ open: Map<string, SessionState[]>; lines: Array<SessionLine | null> }> {
      const now = clock()
      const byId = new Map(products.map((p) => [p.id, p]))
      const named = wanted.flatMap((w) => (w.day && byId.has(w.productId) ? [sessionIdOf(w.productId, w.day)] : []))
      const docs = await docsOf([...new Set([...products.flatMap((p) => candidateDays(now).map((d) => sessionIdOf(p.id, d))), ...named])])
      const open = openOf(products, now, docs)
      const keys = wanted.map((w) => (byId.has(w.productId) ? { product: byId.get(w.productId)!, day: w.day ?? open.get(w.productId)?.[0]?.day ?? businessDay(now, timeZone) } : null))
      const buyers = userId ? await buyersOf(keys.flatMap((k) => (k ? [buyerIdOf(k.product.id, k.day, userId)] : []))) : new Map()
      const lines = keys.map((k) => {
        if (!k) return null
        const doc = docs.get(sessionIdOf(k.product.id, k.day))
        const buyer = userId ? buyers.get(buyerIdOf(k.product.id, k.day, userId)) : undefined
        return { product: k.product, state: stateOf(k.product, k.day, doc), bought: buyer?.count ?? 0, stored: Boolean(doc), buyerStored: Boolean(buyer) }
      })
      return { open, lines }
    },

    /**
     * Takes each line's units for an order, all lines at once: the member's count within the
     * session's limit, then the session's units, each a guarded update keyed by the order. Returns
     * the lines it could not take, with why; what it did take stays held for the caller to keep or
     * give back (`giveBack` returns whatever the order holds).
     */
    async take(orderId: Types.ObjectId, userId: string, lines: ReadonlyArray<SessionLine & { quantity: number }>): Promise<Array<{ index: number; problem: TakeProblem }>> {
      const o = orderId.toHexString()
      await store(lines.filter((l) => !l.stored).map((l) => ({ product: l.product, day: l.state.day })))
      const counted = lines.filter((l) => l.state.perMemberLimit - l.quantity >= 0)
      const buyerOps = (upsert: (l: (typeof lines)[number]) => boolean, only = counted) =>
        only.map((l) => ({
          updateOne: {
            filter: { _id: buyerIdOf(l.product.id, l.state.day, userId), count: { $lte: l.state.perMemberLimit - l.quantity }, [`holders.${o}`]: { $exists: false } },
            update: { $inc: { count: l.quantity }, $set: { [`holders.${o}`]: l.quantity } },
            upsert: upsert(l),
          },
        }))
      let changed = 0
      try {
        changed += await bulkUpdate(SessionBuyerModel, buyerOps((l) => !l.buyerStored))
      } catch (err) {
        // Another basket of this member created the count a moment ago: those lines go again as plain updates.
        const taken = duplicateKeyPositions(err)
        if (!taken) throw err
        await bulkUpdate(SessionBuyerModel, buyerOps(() => false, counted.filter((_, i) => taken.has(i))))
        changed = -1
      }
      changed += await bulkUpdate(
        ProductSessionModel,
        lines.map((l) => ({
          updateOne: {
            filter: { _id: l.state.id, left: { $gte: l.quantity }, closed: { $ne: true }, [`held.${o}`]: { $exists: false } },
            update: { $inc: { left: -l.quantity }, $set: { [`held.${o}`]: l.quantity } },
          },
        })),
      )
      if (changed === counted.length + lines.length && counted.length === lines.length) return []
      // Something was refused (or raced): read back what the order holds, and say why for each line it lacks.
      const docs = await docsOf(lines.map((l) => l.state.id), true)
      const buyers = await buyersOf(lines.map((l) => buyerIdOf(l.product.id, l.state.day, userId)))
      return lines.flatMap((l, index) => {
        const doc = docs.get(l.state.id)
        const buyer = buyers.get(buyerIdOf(l.product.id, l.state.day, userId))
        const holdsUnits = doc?.held?.[o] !== undefined
        const withinLimit = buyer?.holders?.[o] !== undefined
        if (holdsUnits && withinLimit) return []
        const problem: TakeProblem = !doc || doc.closed ? 'no_session' : !withinLimit && (buyer?.count ?? 0) + l.quantity > l.state.perMemberLimit ? 'over_limit' : 'sold_out'
        return [{ index, problem }]
      })
    },

    /** Gives back whatever the order holds of these lines' sessions, once (a repeat finds nothing held). */
    async giveBack(orderId: Types.ObjectId, userId: string, lines: ReadonlyArray<{ productId: string; day: string; quantity: number }>): Promise<void> {
      if (!lines.length) return
      const o = orderId.toHexString()
      await bulkUpdate(
        ProductSessionModel,
        lines.map((l) => ({ updateOne: { filter: { _id: sessionIdOf(l.productId, l.day), [`held.${o}`]: l.quantity }, update: { $inc: { left: l.quantity }, $unset: { [`held.${o}`]: '' } } } })),
      )
      await bulkUpdate(
        SessionBuyerModel,
        lines.map((l) => ({ updateOne: { filter: { _id: buyerIdOf(l.productId, l.day, userId), [`holders.${o}`]: l.quantity }, update: { $inc: { count: -l.quantity }, $unset: { [`holders.${o}`]: '' } } } })),
      )
    },

    /** 复制到后面几天: the day's own settings onto each of the `days` days after it. */
    async copyForward(product: SaleProduct, day: string, days: number): Promise<void> {
      const [from] = await calendar(product, day, 1)
      for (let i = 1; i <= days; i++) {
        await setDay(product, addDays(day, i), {
          priceFen: from!.ownPrice ? from!.priceFen : null,
          quota: from!.quota,
          perMemberLimit: from!.ownLimit ? from!.perMemberLimit : null,
          cutoffHour: from!.ownHours ? from!.cutoffHour : null,
          pickupHour: from!.ownHours ? from!.pickupHour : null,
          closed: from!.closed,
        })
      }
    },

    /** Each product's sessions of `days` (today's and tomorrow's at a glance), in one read. */
    async glance(products: readonly SaleProduct[], days: readonly string[]): Promise<Map<string, SessionState[]>> {
      const docs = await docsOf(products.flatMap((p) => days.map((d) => sessionIdOf(p.id, d))))
      return new Map(products.map((p) => [p.id, days.map((d) => stateOf(p, d, docs.get(sessionIdOf(p.id, d))))]))
    },
  }
}

export type SessionsService = ReturnType<typeof createSessionsService>
