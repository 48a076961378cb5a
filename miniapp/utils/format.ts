import { SESSION_DAY_WORDS, businessDateTimeText, businessDay, dayText, orderableDays, sessionPromise, type SessionBrief } from '@xianlin/shared'

/**
 * Dates and times a shopper reads, in the business time zone (set at build time from
 * config/rules.json), through the helpers in shared/, whatever the phone's own zone: a voucher
 * valid "until the 5th" means the 5th in the shop's city.
 */
const ZONE = __BUSINESS_TIME_ZONE__

/** A business day (`2026-11-23`) as it is, or the business day an instant falls on. */
const dayOf = (isoOrDay: string) => (isoOrDay.length === 10 ? isoOrDay : businessDay(new Date(isoOrDay), ZONE))

/** Today in the business time zone. */
export const today = () => businessDay(new Date(), ZONE)
/** The session taking orders now: today's until its cut-off, then tomorrow's. */
export const openSessionDay = (cutoffHour: number) => orderableDays(new Date(), cutoffHour, 0, ZONE)[0]!

/** A day as people say it: 今天 / 明天 near today, `12月23日` this year, `2027年1月5日` in another. */
export function monthDay(isoOrDay: string): string {
  return dayText(dayOf(isoOrDay), today())
}

/** A sale day as the shop names its session: 今日场, 明日场, 12月9日场. */
export function sessionName(day: string): string {
  return `${dayText(day, today(), SESSION_DAY_WORDS)}场`
}

/** `今日 23:00 截单` and `明日 16:00 后自提` for a session. */
export function sessionWords(s: SessionBrief): { cutoff: string; pickup: string } {
  return sessionPromise(s, new Date(), ZONE)
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
