import { RETENTION_OFFSETS, addDays, isoWeek, weekStart, type RetentionReport } from '@xianlin/shared'
import { membersByDay } from './member-sets'

/**
 * 留存 by weekly cohort of registration: of the members who registered in a week, how many did
 * the returning activity exactly 1, 7 and 30 days after their own registration day. Only members
 * whose day N is over count (`eligible`), so a young cohort shows no rate rather than a low one.
 */
export async function retentionReport(from: string, to: string, returning: RetentionReport['returning'], today: string): Promise<RetentionReport> {
  const lastComplete = addDays(today, -1)
  const registered = await membersByDay('register', from, to)
  const latest = addDays(to, Math.max(...RETENTION_OFFSETS))
  const back = await membersByDay(returning, addDays(from, 1), latest < lastComplete ? latest : lastComplete)

  const cohorts = new Map<string, { start: string; members: Array<{ user: number; day: string }> }>()
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const users = registered.get(day)
    if (!users?.size) continue
    const week = isoWeek(day)
    const cohort = cohorts.get(week) ?? { start: weekStart(day), members: [] }
    for (const user of users) cohort.members.push({ user, day })
    cohorts.set(week, cohort)
  }

  return {
    from,
    to,
    returning,
    cohorts: [...cohorts.entries()].map(([week, { start, members }]) => ({
      week,
      start,
      size: members.length,
      offsets: RETENTION_OFFSETS.map((offset) => {
        const due = members.filter((m) => addDays(m.day, offset) <= lastComplete)
        const retained = due.filter((m) => back.get(addDays(m.day, offset))?.has(m.user)).length
        return { offset, eligible: due.length, retained, rate: due.length ? retained / due.length : null }
      }),
    })),
  }
}
