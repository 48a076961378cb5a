import { RETENTION_OFFSETS, addDays, isoWeek, weekStart, type RetentionReport } from '@xianlin/shared'
import { membersByDay } from './member-sets'
import { MemberSet } from './member-set'

/**
 * 留存 by weekly cohort of registration: of the members who registered in a week, how many did
 * the returning activity exactly 1, 7 and 30 days after their own registration day. Only members
 * whose day N is over count (`eligible`), so a young cohort shows no rate rather than a low one.
 * Counted a registration day at a time: that day's members against the returning set N days on.
 */
export async function retentionReport(from: string, to: string, returning: RetentionReport['returning'], today: string): Promise<RetentionReport> {
  const lastComplete = addDays(today, -1)
  const latest = addDays(to, Math.max(...RETENTION_OFFSETS))
  const [registered, back] = await Promise.all([membersByDay('register', from, to), membersByDay(returning, addDays(from, 1), latest < lastComplete ? latest : lastComplete)])

  type Cohort = RetentionReport['cohorts'][number]
  const cohorts = new Map<string, Cohort>()
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const members = registered.get(day)
    if (!members?.size) continue
    const week = isoWeek(day)
    const cohort = cohorts.get(week) ?? { week, start: weekStart(day), size: 0, offsets: RETENTION_OFFSETS.map((offset) => ({ offset, eligible: 0, retained: 0, rate: null })) }
    cohort.size += members.size
    for (const o of cohort.offsets) {
      const due = addDays(day, o.offset)
      if (due > lastComplete) continue
      o.eligible += members.size
      o.retained += members.countIn(back.get(due) ?? MemberSet.of([]))
    }
    cohorts.set(week, cohort)
  }
  for (const cohort of cohorts.values()) for (const o of cohort.offsets) o.rate = o.eligible ? o.retained / o.eligible : null
  return { from, to, returning, cohorts: [...cohorts.values()] }
}
