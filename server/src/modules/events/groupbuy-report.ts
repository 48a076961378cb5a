import type { GroupbuyReport } from '@xianlin/shared'
import { metricsBetween } from './daily-metrics'

/**
 * 拼团 (#16): of the groups that ended in the range, per activity and size, how many filled and
 * how many failed, how many the auto-fill rule completed, and the average time to fill. Titles
 * are the caller's to add (`title` is null here).
 */
export async function groupbuyReport(from: string, to: string): Promise<GroupbuyReport> {
  const values = await metricsBetween(from, to, ['groups_succeeded', 'groups_failed', 'groups_autofilled', 'group_fill_minutes'])
  const rows = new Map<string, { succeeded: number; failed: number; autoFilled: number; fillMinutes: number }>()
  const field = { groups_succeeded: 'succeeded', groups_failed: 'failed', groups_autofilled: 'autoFilled', group_fill_minutes: 'fillMinutes' } as const
  for (const [key, value] of values) {
    const [, metric, dim] = key.split('|') as [string, keyof typeof field, string]
    const row = rows.get(dim) ?? { succeeded: 0, failed: 0, autoFilled: 0, fillMinutes: 0 }
    row[field[metric]] += value
    rows.set(dim, row)
  }
  return {
    from,
    to,
    rows: [...rows.entries()]
      .map(([dim, r]) => {
        const [activityId, size] = dim.split(':') as [string, string]
        return { activityId, title: null, size: Number(size), succeeded: r.succeeded, failed: r.failed, autoFilled: r.autoFilled, averageFillMinutes: r.succeeded ? Math.round(r.fillMinutes / r.succeeded) : null }
      })
      .filter((r) => r.succeeded + r.failed > 0)
      .sort((a, b) => b.succeeded + b.failed - (a.succeeded + a.failed) || a.activityId.localeCompare(b.activityId) || a.size - b.size),
  }
}
