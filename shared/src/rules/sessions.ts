import { addDays } from './checkin'
import { SESSION_DAY_WORDS, businessClockText, businessDay, businessInstant, dayText } from '../time'

/**
 * Daily sessions (团期; DESIGN.md, Shop): a product sells in the session of a sale day until that
 * day's cut-off, and is picked up `pickupDaysAfter` days later from the pickup hour. Hours are
 * business time; a session may set its own, otherwise the rules' (`shop`) apply.
 */
export interface SessionHours {
  cutoffHour: number
  pickupHour: number
  pickupDaysAfter: number
}

export interface SessionTimes {
  cutoffAt: Date
  pickupDay: string
  pickupFrom: Date
}

/** When the session of sale day `day` stops taking orders, and when and from when its goods are picked up. */
export function sessionTimes(day: string, hours: SessionHours, timeZone: string): SessionTimes {
  const pickupDay = addDays(day, hours.pickupDaysAfter)
  return { cutoffAt: businessInstant(day, hours.cutoffHour, timeZone), pickupDay, pickupFrom: businessInstant(pickupDay, hours.pickupHour, timeZone) }
}

/**
 * The sale days a shopper may order for at `now`: from the first whose cut-off is still ahead
 * (today's before the cut-off hour, tomorrow's from it) and `daysAhead` more. An order placed at
 * 22:59:59 lands in today's session, one at 23:00:00 in tomorrow's.
 */
export function orderableDays(now: Date, cutoffHour: number, daysAhead: number, timeZone: string): string[] {
  const today = businessDay(now, timeZone)
  const first = businessInstant(today, cutoffHour, timeZone) > now ? today : addDays(today, 1)
  return Array.from({ length: daysAhead + 1 }, (_, i) => addDays(first, i))
}

/** `今日 23:00 截单` and `明日 16:00 后自提`, as the product card and page say them. */
export function sessionPromise(s: { cutoffAt: string | Date; pickupDay: string; pickupFrom: string | Date }, now: Date, timeZone: string): { cutoff: string; pickup: string } {
  const today = businessDay(now, timeZone)
  const cutoffAt = new Date(s.cutoffAt)
  return {
    cutoff: `${dayText(businessDay(cutoffAt, timeZone), today, SESSION_DAY_WORDS)} ${businessClockText(cutoffAt, timeZone)} 截单`,
    pickup: `${dayText(s.pickupDay, today, SESSION_DAY_WORDS)} ${businessClockText(new Date(s.pickupFrom), timeZone)} 后自提`,
  }
}
