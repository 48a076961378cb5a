import { Schema, model } from 'mongoose'
import { addDays, businessDay, startOfBusinessDay } from '@xianlin/shared'
import { isDuplicateKeyError } from '../../db/errors'
import { bulkUpdate } from '../../db/bulk-update'
import { paidOrdersBetween } from '../orders/order-stats'
import { leadersOfOrders } from '../orders/leader-orders'
import { refundsBetween } from '../refunds/refund-stats'
import { readByIds } from '../../db/read-by-ids'

/**
 * Paid and refunded money per business day, counted from the orders and refunds and kept a
 * document a day (`money_days`, `_id` the day), so 概览, 增长趋势 and 团长 read a document a day
 * rather than every order of their range (on the embedded database a range of orders is a scan of
 * them all). A payment or a refund first marks its day changed (`changes`); a read counts again each
 * day changed since its count, so the figures are always the orders' and refunds' own.
 *
 * The same count splits the day by leader's point (团长): a document per leader and day
 * (`leader_days`, `_id` `day|leaderId`, bounded by one community's buyers), stamped with the count
 * it belongs to, so a slower count that lost the race is never read as the day's.
 */
const MoneyDaySchema = new Schema(
  {
    _id: { type: String, required: true },
    paidOrders: { type: Number },
    paidFen: { type: Number },
    refundedFen: { type: Number },
    /** The leaders with a `leader_days` document of this count. */
    leaders: { type: [String], default: undefined },
    /** Payments and refunds marked on the day, and how many of them the figures counted. */
    changes: { type: Number, default: 0 },
    counted: { type: Number },
  },
  { versionKey: false },
)
const MoneyDayModel = model('MoneyDay', MoneyDaySchema, 'money_days')
type MoneyDay = { _id: string; paidOrders?: number; paidFen?: number; refundedFen?: number; leaders?: string[]; changes?: number; counted?: number }

const LeaderDaySchema = new Schema(
  {
    _id: { type: String, required: true },
    orders: { type: Number, required: true },
    payFen: { type: Number, required: true },
    refundedFen: { type: Number, required: true },
    /** The day's buyers at the point, space-separated user ids (cheap to decode; a range counts them once). */
    buyers: { type: String, default: '' },
    /** The `changes` of the count that wrote it. */
    count: { type: Number, required: true },
  },
  { versionKey: false },
)
const LeaderDayModel = model('LeaderDay', LeaderDaySchema, 'leader_days')
type LeaderDay = { _id: string; orders: number; payFen: number; refundedFen: number; buyers?: string; count: number }

export type DayMoney = { paidOrders: number; paidFen: number; refundedFen: number; netFen: number }
export type LeaderMoney = { orders: number; payFen: number; refundedFen: number; buyers: number }
type DayCount = { paidOrders: number; paidFen: number; refundedFen: number; leaders: Map<string, { orders: number; payFen: number; refundedFen: number; buyers: Set<string> }> }

const leaderDayId = (day: string, leaderId: string) => `${day}|${leaderId}`

/** Marks the business day of `at` changed: called before the payment or refund it stands for is written. */
export async function markMoneyChanged(at: Date, timeZone: string): Promise<void> {
  await MoneyDayModel.updateOne({ _id: businessDay(at, timeZone) }, { $inc: { changes: 1 } }, { upsert: true })
}

/** Counts `days` (ascending) from the orders and refunds: one read of each over their span. */
async function countDays(days: readonly string[], timeZone: string): Promise<Map<string, DayCount>> {
  const dayOf = (at: Date) => businessDay(at, timeZone)
  const range = [startOfBusinessDay(days[0]!, timeZone), startOfBusinessDay(addDays(days[days.length - 1]!, 1), timeZone)] as const
  const [paid, refunds] = await Promise.all([paidOrdersBetween(...range), refundsBetween(...range)])
  const leaderOf = refunds.length ? await leadersOfOrders(refunds.map((r) => r.orderId)) : new Map<string, string>()
  const counts = new Map(days.map((day) => [day, { paidOrders: 0, paidFen: 0, refundedFen: 0, leaders: new Map() } as DayCount]))
  const leaderOn = (c: DayCount, leaderId: string) => {
    let l = c.leaders.get(leaderId)
    if (!l) c.leaders.set(leaderId, (l = { orders: 0, payFen: 0, refundedFen: 0, buyers: new Set() }))
    return l
  }
  for (const o of paid) {
    const c = counts.get(dayOf(o.paidAt))
    if (!c) continue // a day of the span that was not stale
    c.paidOrders++
    c.paidFen += o.payFen
    if (!o.leaderId) continue
    const l = leaderOn(c, o.leaderId)
    l.orders++
    l.payFen += o.payFen
    l.buyers.add(o.userId)
  }
  for (const r of refunds) {
    const c = counts.get(dayOf(r.succeededAt))
    if (!c) continue
    c.refundedFen += r.fen
    const leaderId = leaderOf.get(r.orderId)
    if (leaderId) leaderOn(c, leaderId).refundedFen += r.fen
  }
  return counts
}

/**
 * Counts `stale` days again and keeps what nothing marked since: each day's leader documents first
 * (stamped with the day's `changes` as read), then the day itself, only if still unchanged.
 */
async function recount(stale: readonly string[], kept: ReadonlyMap<string, MoneyDay>, timeZone: string): Promise<Map<string, DayCount>> {
  const counts = await countDays(stale, timeZone)
  for (const day of stale) {
    const c = counts.get(day)!
    const changes = kept.get(day)?.changes ?? 0
    await bulkUpdate(
      LeaderDayModel,
      [...c.leaders].map(([leaderId, l]) => ({
        updateOne: { filter: { _id: leaderDayId(day, leaderId) }, update: { $set: { orders: l.orders, payFen: l.payFen, refundedFen: l.refundedFen, buyers: [...l.buyers].join(' '), count: changes } }, upsert: true },
      })),
    )
    // Kept only if no payment or refund marked the day since it was read; otherwise the next read counts again.
    const figures = { paidOrders: c.paidOrders, paidFen: c.paidFen, refundedFen: c.refundedFen, leaders: [...c.leaders.keys()], counted: changes }
    await MoneyDayModel.updateOne({ _id: day, changes }, { $set: figures }, { upsert: !kept.has(day) }).catch((err: unknown) => {
      if (!isDuplicateKeyError(err)) throw err
    })
  }
  return counts
}

const daysFrom = (first: string, last: string) => {
  const days: string[] = []
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day)
  return days
}

/** The kept documents of `days`, and those a read must count again (never counted, or marked since). */
async function keptDays(days: readonly string[]): Promise<{ kept: Map<string, MoneyDay>; stale: string[] }> {
  const kept = new Map((await MoneyDayModel.find({ _id: { $in: days } }).lean<MoneyDay[]>()).map((d) => [d._id, d]))
  const stale = days.filter((day) => {
    const d = kept.get(day)
    return !d || d.paidOrders === undefined || d.leaders === undefined || (d.counted ?? -1) !== (d.changes ?? 0)
  })
  return { kept, stale }
}

/** Each day's money from `first` to `last`: kept figures, and days changed since their count counted again. */
export async function moneyDays(first: string, last: string, timeZone: string): Promise<(day: string) => DayMoney> {
  const { kept, stale } = await keptDays(daysFrom(first, last))
  const figures = new Map<string, Omit<DayMoney, 'netFen'>>()
  for (const [day, d] of kept) figures.set(day, { paidOrders: d.paidOrders ?? 0, paidFen: d.paidFen ?? 0, refundedFen: d.refundedFen ?? 0 })
  if (stale.length) for (const [day, c] of await recount(stale, kept, timeZone)) figures.set(day, { paidOrders: c.paidOrders, paidFen: c.paidFen, refundedFen: c.refundedFen })
  return (day) => {
    const f = figures.get(day) ?? { paidOrders: 0, paidFen: 0, refundedFen: 0 }
    return { ...f, netFen: f.paidFen - f.refundedFen }
  }
}

/**
 * Per leader's point, the orders paid there from `first` to `last`, the money paid and refunded and
 * the members who bought (each once however many days they bought on): from the same count as
 * {@link moneyDays}, so 团长's totals add up to 概览's.
 */
export async function leaderMoney(first: string, last: string, timeZone: string): Promise<Map<string, LeaderMoney>> {
  const { kept, stale } = await keptDays(daysFrom(first, last))
  const counted = stale.length ? await recount(stale, kept, timeZone) : new Map<string, DayCount>()
  // The kept days' leader documents, each of the day's own count; a day whose documents a later
  // count replaced (or never finished writing) is counted again here.
  const wanted = [...kept.values()].filter((d) => !counted.has(d._id)).flatMap((d) => (d.leaders ?? []).map((leaderId) => ({ day: d._id, id: leaderDayId(d._id, leaderId), count: d.counted })))
  const docs = new Map((await readByIds<LeaderDay>(LeaderDayModel, wanted.map((w) => w.id))).map((doc) => [doc._id, doc]))
  const redo = [...new Set(wanted.filter((w) => docs.get(w.id)?.count !== w.count).map((w) => w.day))].sort()
  if (redo.length) for (const [day, c] of await recount(redo, kept, timeZone)) counted.set(day, c)

  const out = new Map<string, { orders: number; payFen: number; refundedFen: number; buyers: Set<string> }>()
  const add = (leaderId: string, orders: number, payFen: number, refundedFen: number, buyers: Iterable<string>) => {
    const l = out.get(leaderId) ?? { orders: 0, payFen: 0, refundedFen: 0, buyers: new Set<string>() }
    l.orders += orders
    l.payFen += payFen
    l.refundedFen += refundedFen
    for (const b of buyers) l.buyers.add(b)
    out.set(leaderId, l)
  }
  for (const c of counted.values()) for (const [leaderId, l] of c.leaders) add(leaderId, l.orders, l.payFen, l.refundedFen, l.buyers)
  for (const w of wanted) {
    if (counted.has(w.day)) continue
    const d = docs.get(w.id)!
    add(w.id.slice(w.day.length + 1), d.orders, d.payFen, d.refundedFen, (d.buyers ?? '').split(' ').filter(Boolean))
  }
  return new Map([...out].map(([id, l]) => [id, { orders: l.orders, payFen: l.payFen, refundedFen: l.refundedFen, buyers: l.buyers.size }]))
}
