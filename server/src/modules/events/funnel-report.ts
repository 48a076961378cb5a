import { FUNNEL_CHANNELS, addDays, type ActivityKind, type FunnelReport } from '@xianlin/shared'
import { registrationsBy } from './registrations'
import { daysByMemberOfKinds } from './member-sets'

/**
 * 转化漏斗 by business day: a member enters on the first day in the range they did the first
 * step, and reaches each next step on a day no earlier than the step before and at most
 * `windowDays - 1` days after entering. Steps on the same day count as in order (the day is the
 * rollups' grain). Split by each member's first-touch channel.
 */
export async function funnelReport(q: { from: string; to: string; steps: ActivityKind[]; windowDays: number }, today: string): Promise<FunnelReport> {
  const windowEnd = addDays(q.to, q.windowDays - 1)
  const last = windowEnd < today ? windowEnd : today
  const byKind = await daysByMemberOfKinds(q.steps, q.from, last)
  const [first, ...later] = q.steps.map((kind) => byKind.get(kind)!)

  const depth = new Map<string, number>()
  for (const [user, days] of first!) {
    const entered = days[0]!
    if (entered > q.to) continue // entering is within the range; later steps may follow after it
    const deadline = addDays(entered, q.windowDays - 1)
    let at = entered
    let reached = 1
    for (const step of later) {
      const next = step.get(user)?.find((d) => d >= at && d <= deadline)
      if (!next) break
      at = next
      reached++
    }
    depth.set(user, reached)
  }

  const tally = (users: Iterable<string>) => {
    const reached = q.steps.map(() => 0)
    for (const user of users) for (let i = 0; i < depth.get(user)!; i++) reached[i]!++
    return reached
  }
  const registrations = await registrationsBy(last)
  const channelOf = (u: string) => registrations.get(u)?.channel ?? 'unknown'
  const byChannel = FUNNEL_CHANNELS.map((channel) => ({ channel, reached: tally([...depth.keys()].filter((u) => channelOf(u) === channel)) })).filter((c) => c.reached[0]! > 0)
  return { from: q.from, to: q.to, steps: q.steps, windowDays: q.windowDays, reached: tally(depth.keys()), byChannel }
}
