import { STREAK_BUCKETS, addDays, type CheckinReport, type StreakBucket } from '@xianlin/shared'
import { metricsBetween } from './daily-metrics'
import { funnelReport } from './funnel-report'

const CONVERSION_WINDOW_DAYS = 7

/**
 * 签到 (#16): check-ins per day by the streak they reached, make-ups, and how many members who
 * checked in paid for an order within a week of their first check-in in the range.
 */
export async function checkinReport(from: string, to: string, today: string): Promise<CheckinReport> {
  const values = await metricsBetween(from, to, ['checkins', 'makeups', 'checkin_streak'])
  const buckets = () => Object.fromEntries(STREAK_BUCKETS.map((b) => [b.key, 0])) as Record<StreakBucket, number>
  const total = buckets()
  const days: CheckinReport['days'] = []
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const byStreak = buckets()
    for (const b of STREAK_BUCKETS) {
      byStreak[b.key] = values.get(`${day}|checkin_streak|${b.key}`) ?? 0
      total[b.key] += byStreak[b.key]
    }
    days.push({ day, checkins: values.get(`${day}|checkins|all`) ?? 0, makeups: values.get(`${day}|makeups|all`) ?? 0, byStreak })
  }
  const funnel = await funnelReport({ from, to, steps: ['checkin', 'payment'], windowDays: CONVERSION_WINDOW_DAYS }, today)
  return { from, to, days, byStreak: total, conversion: { windowDays: CONVERSION_WINDOW_DAYS, checkedIn: funnel.reached[0]!, paid: funnel.reached[1]! } }
}
