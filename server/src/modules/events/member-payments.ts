import { Schema, model } from 'mongoose'
import { addDays, monthOf } from '@xianlin/shared'
import { dayField, dayIn, monthsBetween } from './month-documents'
import { TimeSlice } from '../../lib/time-slice'

/**
 * Who paid how much on each business day, rewritten whole for its day by the daily fold: the
 * payers in one string, `<24-hex member id>:<orders>:<fen>` separated by spaces (the embedded
 * database decodes an array of subdocuments element by element: 1.9 s for RFM's 90 days at
 * 100,000 members). Stored a month per document (`_id` `YYYY-MM`, a day in `days.DD`), read by
 * `_id`: the embedded database answers one command at a time at about 1 ms each, so RFM's 180
 * days are 7 reads, not 180. Documents kept a day each before (`daily_member_payments`) are moved
 * here once by `moveDayPayments`.
 */
const MonthPaymentsSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** `DD` → that day's payers. */
    days: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, minimize: false },
)
const MonthPaymentsModel = model('MonthPayments', MonthPaymentsSchema, 'monthly_member_payments')
type MonthPayments = { _id: string; days?: Record<string, string> }

export type PaidTotals = { orders: number; paidFen: number }
type Payment = { u: string; n: number; fen: number }

export async function saveDayPayments(day: string, byMember: ReadonlyMap<string, PaidTotals>): Promise<void> {
  const payers = formatPaidEntries([...byMember].map(([key, t]) => ({ key, ...t })))
  await MonthPaymentsModel.updateOne({ _id: monthOf(day) }, { $set: { [dayField(day)]: payers } }, { upsert: true })
}

const paymentsOf = (payers: string | undefined): Payment[] => parsePaidEntries(payers ?? '').map(({ key, orders, paidFen }) => ({ u: key, n: orders, fen: paidFen }))

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

/** The month documents of `months` (repeats read once), by month, read together by `_id`. */
async function monthDocs(months: Iterable<string>): Promise<Map<string, MonthPayments>> {
  const docs = await Promise.all([...new Set(months)].map((m) => MonthPaymentsModel.findById(m).lean<MonthPayments>()))
  return new Map(docs.filter((d): d is MonthPayments => d !== null).map((d) => [d._id, d]))
}

const paymentsIn = (docs: ReadonlyMap<string, MonthPayments>, day: string): Payment[] => paymentsOf(dayIn(docs.get(monthOf(day))?.days, day))

/**
 * Each day's payers from `from` to `to`, in order (none for a day without), reading each month
 * once; a day's payers are parsed when asked for, so a caller can give way between days.
 */
async function paymentDays(from: string, to: string): Promise<Array<{ day: string; payments: () => Payment[] }>> {
  const days: string[] = []
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day)
  const docs = await monthDocs(monthsBetween(from, to))
  return days.map((day) => ({ day, payments: () => paymentsIn(docs, day) }))
}

/** Each paying member's payments, amount and last paid day over `from`…`to`. */
export async function paymentsBetween(from: string, to: string): Promise<Map<string, PaidTotals & { lastPaidDay: string }>> {
  const totals = new Map<string, PaidTotals & { lastPaidDay: string }>()
  const slice = new TimeSlice()
  for (const { day, payments } of await paymentDays(from, to)) {
    if (slice.due) await slice.pause()
    for (const p of payments()) {
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
  return new Map((await paymentDays(from, to)).map(({ day, payments }) => [day, new Set(payments().map((p) => p.u))]))
}

/** Everyone who paid on any of `days`. */
export async function payersOn(days: readonly string[]): Promise<Set<string>> {
  const docs = await monthDocs(days.map(monthOf))
  return new Set(days.flatMap((day) => paymentsIn(docs, day).map((p) => p.u)))
}

/**
 * Moves payments kept a document a day (`daily_member_payments`: payers as a string, or older, a
 * `payments` array) into their months, then drops that collection. Does nothing when there is
 * none; returns how many days it moved.
 */
export async function moveDayPayments(): Promise<number> {
  const db = MonthPaymentsModel.db.db!
  if (!(await db.listCollections({ name: 'daily_member_payments' }, { nameOnly: true }).toArray()).length) return 0
  const old = await db.collection<{ _id: string; payers?: string; payments?: Array<{ u: unknown; n: number; fen: number }> }>('daily_member_payments').find({}).toArray()
  for (const doc of old) {
    const payers = doc.payers ?? formatPaidEntries((doc.payments ?? []).map((p) => ({ key: String(p.u), orders: p.n, paidFen: p.fen })))
    await MonthPaymentsModel.updateOne({ _id: monthOf(doc._id) }, { $set: { [dayField(doc._id)]: payers } }, { upsert: true })
  }
  await db.collection('daily_member_payments').drop()
  return old.length
}
