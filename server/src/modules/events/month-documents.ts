import { addDays, monthOf } from '@xianlin/shared'

/**
 * Rollups kept a month per document, a day in the field `days.DD` (member sets, day payers): the
 * embedded database answers one command at a time at about 1 ms each, so a report over months of
 * days reads a document a month, not one a day.
 */

/** The `days.DD` field (or `<of>.DD`) that holds `day` in its month's document. */
export const dayField = (day: string, of = 'days'): string => `${of}.${day.slice(8, 10)}`

/** `day`'s entry in one of its month document's per-day fields (`days`). */
export const dayIn = <T>(days: Record<string, T> | undefined, day: string): T | undefined => days?.[day.slice(8, 10)]

/** The `YYYY-MM` months from `from`'s to `to`'s, in order. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = []
  for (let first = `${monthOf(from)}-01`; first <= to; first = `${monthOf(addDays(first, 31))}-01`) months.push(monthOf(first))
  return months
}
