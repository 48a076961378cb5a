import mongoose from 'mongoose'
import { addDays } from '@xianlin/shared'
import { readDayListTexts, readDayLists, saveDayList } from './day-lists'
import { TimeSlice } from '../../lib/time-slice'
import { changingPayers } from './rfm-snapshots'

/**
 * Who paid how much on each business day, rewritten whole for its day by the daily fold: each
 * payer as `<24-hex member id>:<orders>:<fen>`, in the day's `payers` list (`day-lists`: parts of
 * bounded size, a range of days read in one or two commands). Kept before a month per document
 * (`monthly_member_payments`, which outgrew 16 MB at a few million members) or a day per document
 * (`daily_member_payments`): moved here once by `moveDayPayments`.
 */
export type PaidTotals = { orders: number; paidFen: number }
type Payment = { u: string; n: number; fen: number }

export async function saveDayPayments(day: string, byMember: ReadonlyMap<string, PaidTotals>): Promise<void> {
  await changingPayers(() => saveDayList('payers', day, [...byMember].map(([key, t]) => formatPaidEntries([{ key, ...t }]))))
}

const paymentsOf = (payers: readonly string[] | undefined): Payment[] =>
  (payers ?? []).map((entry) => {
    const { key, orders, paidFen } = parsePaidEntry(entry)
    return { u: key, n: orders, fen: paidFen }
  })

export const formatPaidEntries = (entries: ReadonlyArray<{ key: string } & PaidTotals>): string => entries.map((e) => `${e.key}:${e.orders}:${e.paidFen}`).join(' ')

/** `key:orders:fen` entries separated by spaces (day payers keyed by member, a profile's paid days by day). */
export function parsePaidEntries(entries: string): Array<{ key: string } & PaidTotals> {
  return entries.split(' ').filter(Boolean).map(parsePaidEntry)
}

function parsePaidEntry(entry: string): { key: string } & PaidTotals {
  const [key, orders, paidFen] = entry.split(':') as [string, string, string]
  return { key, orders: Number(orders), paidFen: Number(paidFen) }
}

/**
 * Each day's payers from `from` to `to`, in order (none for a day without), read together; a
 * day's payers are decoded when asked for, so a caller can give way between days.
 */
async function paymentDays(from: string, to: string): Promise<Array<{ day: string; payments: () => Payment[] }>> {
  const days: string[] = []
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day)
  const texts = await readDayListTexts('payers', days)
  return days.map((day) => ({ day, payments: () => (texts.get(day) ?? []).flatMap(scanPayments) }))
}

/**
 * `key:orders:fen key:orders:fen …` read in one pass, numbers from their digits: a quarter's
 * payers are hundreds of thousands of entries, and splitting each into strings was most of RFM's time.
 */
export function scanPayments(text: string): Payment[] {
  const out: Payment[] = []
  let i = 0
  while (i < text.length) {
    if (text.charCodeAt(i) === 32) {
      i++
      continue
    }
    const colon = text.indexOf(':', i)
    if (colon < 0) break
    const u = text.slice(i, colon)
    let n = 0
    for (i = colon + 1; text.charCodeAt(i) !== 58; i++) n = n * 10 + text.charCodeAt(i) - 48
    const negative = text.charCodeAt(++i) === 45
    if (negative) i++
    let fen = 0
    for (; i < text.length && text.charCodeAt(i) !== 32; i++) fen = fen * 10 + text.charCodeAt(i) - 48
    out.push({ u, n, fen: negative ? -fen : fen })
  }
  return out
}

/** Each paying member's payments, amount and last paid day over `from`…`to`. */
export async function paymentsBetween(from: string, to: string): Promise<Map<string, PaidTotals & { lastPaidDay: string }>> {
  const totals = new Map<string, PaidTotals & { lastPaidDay: string }>()
  const slice = new TimeSlice()
  for (const { day, payments } of await paymentDays(from, to)) {
    if (slice.due) await slice.pause()
    for (const p of payments()) {
      const t = totals.get(p.u)
      if (t) {
        t.orders += p.n
        t.paidFen += p.fen
        t.lastPaidDay = day
      } else totals.set(p.u, { orders: p.n, paidFen: p.fen, lastPaidDay: day })
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
  const lists = await readDayLists('payers', days)
  return new Set(days.flatMap((day) => paymentsOf(lists.get(day)).map((p) => p.u)))
}

/**
 * Moves payments kept in an earlier shape into the day lists, then drops their collection: a
 * document a month (`monthly_member_payments`, days in `days.DD`), or a day (`daily_member_payments`:
 * payers as a string, or older, a `payments` array). Does nothing when there are none; returns how
 * many days it moved.
 */
export async function moveDayPayments(): Promise<number> {
  const db = mongoose.connection.db!
  let moved = 0
  const collections = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name))
  if (collections.has('daily_member_payments')) {
    const old = await db.collection<{ _id: string; payers?: string; payments?: Array<{ u: unknown; n: number; fen: number }> }>('daily_member_payments').find({}).toArray()
    for (const doc of old) await saveDayList('payers', doc._id, splitPayers(doc.payers ?? formatPaidEntries((doc.payments ?? []).map((p) => ({ key: String(p.u), orders: p.n, paidFen: p.fen })))))
    await db.collection('daily_member_payments').drop()
    moved += old.length
  }
  if (collections.has('monthly_member_payments')) {
    for await (const doc of db.collection<{ _id: string; days?: Record<string, string> }>('monthly_member_payments').find({})) {
      for (const [date, payers] of Object.entries(doc.days ?? {})) {
        await saveDayList('payers', `${doc._id}-${date}`, splitPayers(payers))
        moved++
      }
    }
    await db.collection('monthly_member_payments').drop()
  }
  return moved
}

const splitPayers = (payers: string) => payers.split(' ').filter(Boolean)
