import type { Rules } from './rules.schema'

/** `YYYY-MM-DD` plus `n` calendar days (calendar arithmetic only; no time zone involved). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** The `YYYY-MM` month a `YYYY-MM-DD` day belongs to. */
export const monthOf = (day: string): string => day.slice(0, 7)

/** Every day of a `YYYY-MM` month, in order. */
export function daysOfMonth(month: string): string[] {
  const days: string[] = []
  for (let day = `${month}-01`; monthOf(day) === month; day = addDays(day, 1)) days.push(day)
  return days
}

/** How many consecutive checked days end the day before `day` (a gap resets the streak). */
export function streakBefore(checked: ReadonlySet<string>, day: string): number {
  let n = 0
  while (checked.has(addDays(day, -(n + 1)))) n++
  return n
}

/**
 * The reward of a check-in that extends a streak of `streakSoFar` days (DESIGN.md, Daily
 * check-in): the cycle restarts every `cycleDays`; each day pays `dailyPoints`, the last day of a
 * cycle adds `cycleBonusPoints`.
 */
export function checkinReward(streakSoFar: number, rules: Pick<Rules['checkin'], 'cycleDays' | 'dailyPoints' | 'cycleBonusPoints'>) {
  const cycleDay = (streakSoFar % rules.cycleDays) + 1
  const bonus = cycleDay === rules.cycleDays ? rules.cycleBonusPoints : 0
  return { cycleDay, points: rules.dailyPoints + bonus, bonus }
}

/** The Monday of the week a `YYYY-MM-DD` day falls in. */
export function weekStart(day: string): string {
  return addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7))
}

/** The ISO week (`2026-W48`) a `YYYY-MM-DD` day falls in; weeks start on Monday. */
export function isoWeek(day: string): string {
  const d = new Date(`${day}T00:00:00Z`)
  const weekday = (d.getUTCDay() + 6) % 7 // Monday 0 … Sunday 6
  d.setUTCDate(d.getUTCDate() - weekday + 3) // the Thursday of this week decides its year
  const year = d.getUTCFullYear()
  const week = 1 + Math.floor((d.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000))
  return `${year}-W${String(week).padStart(2, '0')}`
}
