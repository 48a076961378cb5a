import { Schema, Types, model } from 'mongoose'
import { addDays } from '@xianlin/shared'

/**
 * Who paid how much on a business day: one document per day (`_id` the day), rewritten whole by
 * the daily fold. RFM adds up a window of them; days are read by `_id`, which the embedded
 * database answers from its index.
 */
const DayPaymentsSchema = new Schema(
  {
    _id: { type: String, required: true },
    payments: { type: [new Schema({ u: { type: Schema.Types.ObjectId, required: true }, n: { type: Number, required: true }, fen: { type: Number, required: true } }, { _id: false })], default: [] },
  },
  { versionKey: false },
)
const DayPaymentsModel = model('DayPayments', DayPaymentsSchema, 'daily_member_payments')

export type PaidTotals = { orders: number; paidFen: number }

export async function saveDayPayments(day: string, byMember: ReadonlyMap<string, PaidTotals>): Promise<void> {
  const payments = [...byMember].map(([u, t]) => ({ u: new Types.ObjectId(u), n: t.orders, fen: t.paidFen }))
  await DayPaymentsModel.updateOne({ _id: day }, { $set: { payments } }, { upsert: true })
}

/** The day documents from `from` to `to`, in order (null for a day with none), each read by `_id`. */
async function paymentDays(from: string, to: string) {
  const days: string[] = []
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day)
  const docs = await Promise.all(days.map((day) => DayPaymentsModel.findById(day).lean()))
  return days.map((day, i) => ({ day, payments: docs[i]?.payments ?? [] }))
}

/** Each paying member's payments, amount and last paid day over `from`…`to`. */
export async function paymentsBetween(from: string, to: string): Promise<Map<string, PaidTotals & { lastPaidDay: string }>> {
  const totals = new Map<string, PaidTotals & { lastPaidDay: string }>()
  for (const { day, payments } of await paymentDays(from, to)) {
    for (const p of payments) {
      const t = totals.get(String(p.u)) ?? { orders: 0, paidFen: 0, lastPaidDay: day }
      t.orders += p.n
      t.paidFen += p.fen
      t.lastPaidDay = day
      totals.set(String(p.u), t)
    }
  }
  return totals
}

/** The members who paid on each day from `from` to `to`. */
export async function payersByDay(from: string, to: string): Promise<Map<string, Set<string>>> {
  return new Map((await paymentDays(from, to)).map(({ day, payments }) => [day, new Set(payments.map((p) => String(p.u)))]))
}

/** Everyone who paid on any of `days`. */
export async function payersOn(days: readonly string[]): Promise<Set<string>> {
  const docs = await Promise.all(days.map((day) => DayPaymentsModel.findById(day).lean()))
  return new Set(docs.flatMap((d) => (d?.payments ?? []).map((p) => String(p.u))))
}
