import { businessDateTimeText, businessDay } from '@xianlin/shared'

/**
 * Dates and times a shopper reads, in the business time zone (set at build time from
 * config/rules.json), through the helpers in shared/, whatever the phone's own zone: a voucher
 * valid "until the 5th" means the 5th in the shop's city.
 */
const ZONE = __BUSINESS_TIME_ZONE__

/** A business day (`2026-11-23`) as it is, or the business day an instant falls on. */
const dayOf = (isoOrDay: string) => (isoOrDay.length === 10 ? isoOrDay : businessDay(new Date(isoOrDay), ZONE))

/** `2026-11-23T…` or `2026-11-23` → `11月23日`. */
export function monthDay(isoOrDay: string): string {
  const [, m, d] = dayOf(isoOrDay).split('-')
  return `${Number(m)}月${Number(d)}日`
}

/** `2026-11-23T08:05:00Z` → `2026-11-23 16:05` (Shanghai). */
export function dateTime(iso: string): string {
  return businessDateTimeText(new Date(iso), ZONE)
}

/** `2026-11-23T…` → `2026.11.23`. */
export function dotDate(iso: string): string {
  return dayOf(iso).replace(/-/g, '.')
}

/** `2027-11-23` → `2027年11月23日`. */
export function fullDate(isoOrDay: string): string {
  const [y, m, d] = dayOf(isoOrDay).split('-')
  return `${y}年${Number(m)}月${Number(d)}日`
}
