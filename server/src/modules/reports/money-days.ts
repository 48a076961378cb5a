import { Schema, model } from 'mongoose'
import { addDays, businessDay, startOfBusinessDay } from '@xianlin/shared'
import { isDuplicateKeyError } from '../../db/errors'
import { paidByDay } from '../orders/order-stats'
import { refundedByDay } from '../refunds/refund-stats'

/**
 * Paid and refunded money per business day, counted from the orders and refunds and kept a
 * document a day (`money_days`, `_id` the day), so 概览 and 增长趋势 read a document a day rather
 * than every order of their range (on the embedded database a range of orders is a scan of them
 * all). A payment or a refund first marks its day changed (`changes`); a read counts again each
 * day changed since its count, so the figures are always the orders' and refunds' own.
 */
const MoneyDaySchema = new Schema(
  {
    _id: { type: String, required: true },
    paidOrders: { type: Number },
    paidFen: { type: Number },
    refundedFen: { type: Number },
    /** Payments and refunds marked on the day, and how many of them the figures counted. */
    changes: { type: Number, default: 0 },
    counted: { type: Number },
  },
  { versionKey: false },
)
const MoneyDayModel = model('MoneyDay', MoneyDaySchema, 'money_days')
type MoneyDay = { _id: string; paidOrders?: number; paidFen?: number; refundedFen?: number; changes?: number; counted?: number }
export type DayMoney = { paidOrders: number; paidFen: number; refundedFen: number; netFen: number }

/** Marks the business day of `at` changed: called before the payment or refund it stands for is written. */
export async function markMoneyChanged(at: Date, timeZone: string): Promise<void> {
  await MoneyDayModel.updateOne({ _id: businessDay(at, timeZone) }, { $inc: { changes: 1 } }, { upsert: true })
}

/** Each day's money from `first` to `last`: kept figures, and days changed since their count counted again. */
export async function moneyDays(first: string, last: string, timeZone: string): Promise<(day: string) => DayMoney> {
  const days: string[] = []
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day)
  const kept = new Map((await MoneyDayModel.find({ _id: { $in: days } }).lean<MoneyDay[]>()).map((d) => [d._id, d]))
  const stale = days.filter((day) => {
    const d = kept.get(day)
    return !d || d.paidOrders === undefined || (d.counted ?? -1) !== (d.changes ?? 0)
  })
  const figures = new Map<string, Omit<DayMoney, 'netFen'>>()
  for (const [day, d] of kept) figures.set(day, { paidOrders: d.paidOrders ?? 0, paidFen: d.paidFen ?? 0, refundedFen: d.refundedFen ?? 0 })
  if (stale.length) {
    const dayOf = (at: Date) => businessDay(at, timeZone)
    const range = [startOfBusinessDay(stale[0]!, timeZone), startOfBusinessDay(addDays(stale[stale.length - 1]!, 1), timeZone)] as const
    const [paid, refunded] = await Promise.all([paidByDay(...range, dayOf), refundedByDay(...range, dayOf)])
    for (const day of stale) {
      const counted = { paidOrders: paid.get(day)?.count ?? 0, paidFen: paid.get(day)?.payFen ?? 0, refundedFen: refunded.get(day) ?? 0 }
      figures.set(day, counted)
      // Kept only if no payment or refund marked the day since it was read; otherwise the next read counts again.
      const changes = kept.get(day)?.changes ?? 0
      await MoneyDayModel.updateOne({ _id: day, changes }, { $set: { ...counted, counted: changes } }, { upsert: !kept.has(day) }).catch((err: unknown) => {
        if (!isDuplicateKeyError(err)) throw err
      })
    }
  }
  return (day) => {
    const f = figures.get(day) ?? { paidOrders: 0, paidFen: 0, refundedFen: 0 }
    return { ...f, netFen: f.paidFen - f.refundedFen }
  }
}
