/**
 * Calendar arithmetic in the business timezone (DESIGN.md: times are stored in UTC and read in the
 * configured zone). Pure: callers pass `now`.
 */

const dayFormatters = new Map<string, Intl.DateTimeFormat>()

/** The calendar day (`YYYY-MM-DD`) that instant `at` falls on in `timeZone`. */
export function businessDay(at: Date, timeZone: string): string {
  let fmt = dayFormatters.get(timeZone)
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    dayFormatters.set(timeZone, fmt)
  }
  return fmt.format(at)
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone })
    return true
  } catch {
    return false
  }
}

const hourFormatters = new Map<string, Intl.DateTimeFormat>()

/** The hour of the day (0–23) that instant `at` falls in, in `timeZone`. */
export function businessHour(at: Date, timeZone: string): number {
  let fmt = hourFormatters.get(timeZone)
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' })
    hourFormatters.set(timeZone, fmt)
  }
  return Number(fmt.format(at))
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>()

/** `11月23日 14:05` for instant `at` in `timeZone`: how a shop tells people when something happened. */
export function businessTimeText(at: Date, timeZone: string): string {
  let fmt = timeFormatters.get(timeZone)
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-GB', { timeZone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    timeFormatters.set(timeZone, fmt)
  }
  const parts = Object.fromEntries(fmt.formatToParts(at).map((p) => [p.type, p.value]))
  return `${Number(parts.month)}月${Number(parts.day)}日 ${parts.hour}:${parts.minute}`
}

const dateTimeFormatters = new Map<string, Intl.DateTimeFormat>()

/** `2026-11-23 14:05` for instant `at` in `timeZone`: dates in the operator console's tables. */
export function businessDateTimeText(at: Date, timeZone: string): string {
  let fmt = dateTimeFormatters.get(timeZone)
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    dateTimeFormatters.set(timeZone, fmt)
  }
  const parts = Object.fromEntries(fmt.formatToParts(at).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`
}

/**
 * The instant business day `day` (`YYYY-MM-DD`) starts in `timeZone`: midnight there, as UTC.
 * Reports count "today" from here to the next day's start.
 */
export function startOfBusinessDay(day: string, timeZone: string): Date {
  // Pure and asked often (a synthetic history asks once per event): answers are kept.
  const key = `${timeZone}|${day}`
  const known = dayStarts.get(key)
  if (known !== undefined) return new Date(known)
  let fmt = wallFormatters.get(timeZone)
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    wallFormatters.set(timeZone, fmt)
  }
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const guess = Date.UTC(y, m - 1, d)
  // The zone's offset at that moment: what the wall clock there reads, minus UTC.
  const wall = (at: number) => {
    const p = Object.fromEntries(fmt.formatToParts(new Date(at)).map((x) => [x.type, Number(x.value)]))
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!)
  }
  const first = guess - (wall(guess) - guess)
  // Across a DST change the offset at midnight may differ from the one at the guess: correct once.
  const start = guess - (wall(first) - first)
  if (dayStarts.size >= 10_000) dayStarts.clear()
  dayStarts.set(key, start)
  return new Date(start)
}
const wallFormatters = new Map<string, Intl.DateTimeFormat>()
const dayStarts = new Map<string, number>()

const HOUR_MS = 3_600_000

/**
 * The instant the wall clock in `timeZone` reads `hour`:00 on business day `day` (a session's
 * cut-off at 23:00, its pickup from 16:00). On a day the zone changes its clocks the hour is
 * found from midnight and corrected once by what the wall clock then reads.
 */
export function businessInstant(day: string, hour: number, timeZone: string): Date {
  const guess = startOfBusinessDay(day, timeZone).getTime() + hour * HOUR_MS
  const wallDay = businessDay(new Date(guess), timeZone)
  const wallHour = businessHour(new Date(guess), timeZone) + (wallDay > day ? 24 : wallDay < day ? -24 : 0)
  return new Date(guess - (wallHour - hour) * HOUR_MS)
}

const clockFormatters = new Map<string, Intl.DateTimeFormat>()

/** `16:00` for instant `at` in `timeZone`. */
export function businessClockText(at: Date, timeZone: string): string {
  let fmt = clockFormatters.get(timeZone)
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    clockFormatters.set(timeZone, fmt)
  }
  return fmt.format(at)
}

/** Words for days near today, by their distance from it: the shop's 今天/明天, or a card's 今日/明日. */
export const DAY_WORDS = { '-1': '昨天', '0': '今天', '1': '明天', '2': '后天' } as const
export const SESSION_DAY_WORDS = { '0': '今日', '1': '明日', '2': '后天' } as const

/**
 * How a person reads business day `day` seen from business day `today`: a word when it is near
 * (今天, 明天), `12月7日` within today's year, and `2027年12月7日` outside it.
 */
export function dayText(day: string, today: string, words: Partial<Record<string, string>> = DAY_WORDS): string {
  const distance = Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000)
  const word = words[String(distance)]
  if (word) return word
  const [y, m, d] = day.split('-')
  return y === today.slice(0, 4) ? `${Number(m)}月${Number(d)}日` : `${y}年${Number(m)}月${Number(d)}日`
}
