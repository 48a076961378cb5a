import { Schema, model } from 'mongoose'
import { addDays } from '@xianlin/shared'

/**
 * Who paid how much on a business day: one document per day (`_id` the day), rewritten whole by
 * the daily fold, the payers in one string: `<24-hex member id>:<orders>:<fen>` separated by
 * spaces (the embedded database decodes an array of subdocuments element by element: 1.9 s for
 * RFM's 90 days at 100,000 members). RFM adds up a window of them; days are read by `_id`, which
 * the embedded database answers from its index. Documents written before hold `payments`, an
 * array; they are read as they are.
 */
const DayPaymentsSchema = new Schema(
  {
    _id: { type: String, required: true },
    payers: { type: String },
    payments: { type: [new Schema({ u: { type: Schema.Types.ObjectId, required: true }, n: { type: Number, required: true }, fen: { type: Number, required: true } }, { _id: false })], default: undefined },
  },
  { versionKey: false },
)
const DayPaymentsModel = model('DayPayments', DayPaymentsSchema, 'daily_member_payments')
type DayPayments = { _id: string; payers?: string; payments?: Array<{ u: unknown; n: number; fen: number }> }

export type PaidTotals = { orders: number; paidFen: number }
type Payment = { u: string; n: number; fen: number }

export async function saveDayPayments(day: string, byMember: ReadonlyMap<string, PaidTotals>): Promise<void> {
  const payers = formatPaidEntries([...byMember].map(([key, t]) => ({ key, ...t })))
  await DayPaymentsModel.updateOne({ _id: day }, { $set: { payers }, $unset: { payments: '' } }, { upsert: true })
}

function paymentsOf(doc: DayPayments | null): Payment[] {
  if (!doc) return []
  if (doc.payers === undefined) return (doc.payments ?? []).map((p) => ({ u: String(p.u), n: p.n, fen: p.fen }))
  return parsePaidEntries(doc.payers).map(({ key, orders, paidFen }) => ({ u: key, n: orders, fen: paidFen }))
}

export const formatPaidEntries = (entries: ReadonlyArray<{ key: string } & PaidTotals>): string => entries.map((e) => `${e.key}:${e.orders}:${e.paidFen}`).join(' ')

/** `key:orders:fen` entries separated by spaces (day payers keyed by member, a profile's paid days by day). */
export function parsePaidEntries(entries: string): Array<{ key: string } & PaidTotals> {
  return entries
    .split(' ')
    .filter(Boolean)
    .map((entry) => {
      const [key, orders, paidFen] = entry.split(':') as [string, string, string]
      return { key, orders: Number(orders), paidFen: Number(paidFen) }
    })
}

/** The day documents from `from` to `to`, in order (no payments for a day with none), each read by `_id`. */
async function paymentDays(from: string, to: string): Promise<Array<{ day: string; payments: Payment[] }>> {
  const days: string[] = []
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day)
  const docs = await Promise.all(days.map((day) => DayPaymentsModel.findById(day).lean<DayPayments>()))
  return days.map((day, i) => ({ day, payments: paymentsOf(docs[i] ?? null) }))
}

/** Each paying member's payments, amount and last paid day over `from`…`to`. */
export async function paymentsBetween(from: string, to: string): Promise<Map<string, PaidTotals & { lastPaidDay: string }>> {
  const totals = new Map<string, PaidTotals & { lastPaidDay: string }>()
  for (const { day, payments } of await paymentDays(from, to)) {
    for (const p of payments) {
      const t = totals.get(p.u) ?? { orders: 0, paidFen: 0, lastPaidDay: day }
      t.orders += p.n
      t.paidFen += p.fen
      t.lastPaidDay = day
      totals.set(p.u, t)
    }
  }
  return totals
}

/** The members who paid on each day from `from` to `to`. */
export async function payersByDay(from: string, to: string): Promise<Map<string, Set<string>>> {
  return new Map((await paymentDays(from, to)).map(({ day, payments }) => [day, new Set(payments.map((p) => p.u))]))
}

/** Everyone who paid on any of `days`. */
export async function payersOn(days: readonly string[]): Promise<Set<string>> {
  const docs = await Promise.all(days.map((day) => DayPaymentsModel.findById(day).lean<DayPayments>()))
  return new Set(docs.flatMap((d) => paymentsOf(d).map((p) => p.u)))
}
