import { Types } from 'mongoose'
import { maskName, type ArrivalView, type PickList, type StockList } from '@xianlin/shared'
import { AppError } from '../core/app-error'
import type { Actor } from '../core/actor'
import { arrivalRecords, arrivalStates, type Arrival } from '../modules/arrivals/arrival-records'
import { notify } from '../modules/notifications/notifications.service'
import type { Order } from '../modules/orders/order-records'
import { linesOf } from '../modules/orders/order-lines'
import { toHandOverOf } from '../modules/orders/order-units'
import { staffWorksAt, storeNames } from '../modules/stores/stores.service'
import { userNames } from '../modules/users/users.service'
import { MINUTE, type FlowContext } from './deps'

type Point = { kind: 'leader' | 'store'; id: Types.ObjectId }

/** The store a clerk acts for: the one named, if they work there, or their only one. */
function storeOfStaff(actor: Actor, storeId?: string): string {
  const id = storeId ?? (actor.storeIds.length === 1 ? actor.storeIds[0] : undefined)
  if (!id || !staffWorksAt(actor, id)) throw new AppError('FORBIDDEN', '只能查看和确认本店的到货')
  return id
}

/** A session day's lines of an order, with the units still owed (ordered less refunded). */
function dayItems(o: Order, day: string) {
  return linesOf(o)
    .filter((l) => l.day === day && l.quantity - (l.refundedQty ?? 0) > 0)
    .map((l) => ({ productId: String(l.productId), name: l.name, unit: l.unit ?? '', units: l.quantity - (l.refundedQty ?? 0) }))
}

/** Adds units per product into `into` (keeps first-seen order). */
function tally(into: Map<string, { productId: string; name: string; unit: string; units: number }>, items: ReturnType<typeof dayItems>) {
  for (const i of items) {
    const had = into.get(i.productId)
    if (had) had.units += i.units
    else into.set(i.productId, { ...i })
  }
}

/**
 * What a session brings where (DESIGN.md, Fulfilment and after-sale): the warehouse's 分拣单 (per
 * pickup point, per product), a point's 备货单 (per product, per member), and 到货确认: the point
 * says what arrived and its members with goods waiting are told, once.
 */
export function createSessionListsFlow(c: FlowContext) {
  const { leaders, clock, log } = c

  const ordersAt = (day: string, p?: Point) => c.records.deliveredOn(day, p)

  /** Tells each member with goods of `day` still to pick up at the point, once per order and day. */
  async function tell(a: Arrival): Promise<void> {
    const p = { kind: a.kind as Point['kind'], id: a.pointId }
    const name = p.kind === 'leader' ? `团长自提点「${(await leaders.pointOf(p.id)).name}」` : `「${(await storeNames([String(p.id)])).get(String(p.id)) ?? '门店'}」`
    let told = 0
    for (const o of await ordersAt(a.day, p)) {
      if (o.state !== 'confirmed' || !linesOf(o).some((l) => l.day === a.day && toHandOverOf(o, l) > 0)) continue
      await notify({ key: `arrival:${o._id}:${a.day}`, userId: o.userId, kind: 'order_arrived', title: '商品已到货，可以提货了', body: `「${o.title}」已到${name}，请凭提货码提货`, at: clock(), link: `/pages/order/index?id=${o._id}` })
      told++
    }
    await arrivalStates.transition(a._id, 'told', { told })
  }

  function arrivalView(a: Arrival, pointName: string): ArrivalView {
    return { day: a.day, point: pointName, state: a.state as ArrivalView['state'], products: a.products.map((x) => ({ productId: String(x.productId), expected: x.expected ?? 0, units: x.units ?? 0 })), told: a.told ?? 0, at: a.at.toISOString() }
  }

  /** What arrived at a point for a session, by product; null before its 到货确认. */
  async function arrivedAt(p: { kind: string; id: unknown }, day: string): Promise<Map<string, number> | null> {
    const arrival = await arrivalRecords.find(`${p.kind}:${p.id}:${day}`)
    return arrival ? new Map(arrival.products.map((x) => [String(x.productId), x.units ?? 0])) : null
  }

  /** A point's 备货单: what to expect per product (and what arrived), and per member what to hand over. */
  async function stockList(p: Point, day: string): Promise<StockList> {
    const orders = await ordersAt(day, p)
    const products = new Map<string, { productId: string; name: string; unit: string; units: number }>()
    const names = await userNames(orders.map((o) => o.userId))
    const members = orders.flatMap((o) => {
      const items = dayItems(o, day)
      tally(products, items)
      return items.length ? [{ member: maskName(names.get(o.userId.toHexString()) ?? ''), order: o._id.toHexString().slice(-6), items: items.map((i) => ({ name: i.name, quantity: i.units })) }] : []
    })
    const arrived = await arrivedAt(p, day)
    const point = p.kind === 'leader' ? (await leaders.pointOf(p.id)).name : ((await storeNames([String(p.id)])).get(String(p.id)) ?? '')
    return { day, point, products: [...products.values()].map((x) => ({ ...x, arrived: arrived ? (arrived.get(x.productId) ?? 0) : null })), members }
  }

  return {
    /** 分拣单 / 配送单: per pickup point the units of each product, and the totals to pick. */
    async pickList(day: string): Promise<PickList> {
      const orders = await ordersAt(day)
      const byPoint = new Map<string, { kind: 'store' | 'leader'; id: string; items: Map<string, { productId: string; name: string; unit: string; units: number }> }>()
      const totals = new Map<string, { productId: string; name: string; unit: string; units: number }>()
      for (const o of orders) {
        const kind = o.leaderId ? 'leader' : 'store'
        const id = String(o.leaderId ?? o.storeId)
        const point = byPoint.get(`${kind}:${id}`) ?? { kind, id, items: new Map() }
        byPoint.set(`${kind}:${id}`, point)
        const items = dayItems(o, day)
        tally(point.items, items)
        tally(totals, items)
      }
      const stores = await storeNames([...byPoint.values()].filter((p) => p.kind === 'store').map((p) => p.id))
      const points = await Promise.all(
        [...byPoint.values()].map(async (p) => {
          const named = p.kind === 'leader' ? await leaders.pointOf(p.id) : { name: stores.get(p.id) ?? '', address: '' }
          const arrived = await arrivedAt(p, day)
          return { kind: p.kind, id: p.id, name: named.name, address: named.address, items: [...p.items.values()].map((i) => ({ ...i, arrived: arrived ? (arrived.get(i.productId) ?? 0) : null })) }
        }),
      )
      return { day, points, totals: [...totals.values()] }
    },

    /** A store's 备货单, for the staff who work there (their only store when not named). */
    async storeStockList(actor: Actor, day: string, storeId?: string): Promise<StockList> {
      return stockList({ kind: 'store', id: new Types.ObjectId(storeOfStaff(actor, storeId)) }, day)
    },

    stockList,

    /**
     * 到货确认 by a leader for their point, or by staff for a store they work at: once per point and
     * day (a repeat answers the first confirmation); then the members with goods waiting are told.
     */
    async confirmArrival(actor: Actor, input: { day: string; storeId?: string; products: Array<{ productId: string; units: number }> }, as: 'leader' | 'staff'): Promise<ArrivalView> {
      let p: Point
      if (as === 'leader') {
        if (!(await leaders.pointOf(actor.userId)).active) throw new AppError('LEADER_SUSPENDED')
        p = { kind: 'leader', id: new Types.ObjectId(actor.userId) }
      } else {
        p = { kind: 'store', id: new Types.ObjectId(storeOfStaff(actor, input.storeId)) }
      }
      const expected = new Map<string, number>()
      for (const o of await ordersAt(input.day, p)) for (const i of dayItems(o, input.day)) expected.set(i.productId, (expected.get(i.productId) ?? 0) + i.units)
      const _id = `${p.kind}:${p.id}:${input.day}`
      await arrivalRecords.createOnce({ _id, kind: p.kind, pointId: p.id, day: input.day, products: input.products.map((x) => ({ productId: new Types.ObjectId(x.productId), expected: expected.get(x.productId) ?? 0, units: x.units })), state: 'confirmed', by: new Types.ObjectId(actor.userId), at: clock() })
      const a = (await arrivalRecords.find(_id))!
      if (a.state === 'confirmed') await tell(a)
      const done = (await arrivalRecords.find(_id))!
      const name = p.kind === 'leader' ? (await leaders.pointOf(p.id)).name : ((await storeNames([String(p.id)])).get(String(p.id)) ?? '')
      return arrivalView(done, name)
    },

    /** Job: arrivals confirmed but not yet told (a crash between) tell their members. */
    async resumeArrivals(now: Date): Promise<number> {
      const due = await arrivalRecords.untold(new Date(now.getTime() - MINUTE))
      for (const a of due) await tell(a).catch((err: Error) => log.error({ err, arrivalId: a._id }, 'telling an arrival failed'))
      return due.length
    },
  }
}
