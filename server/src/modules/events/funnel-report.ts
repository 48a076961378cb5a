import { FUNNEL_CHANNELS, addDays, type ActivityKind, type FunnelReport } from '@xianlin/shared'
import { registrationsBy } from './registrations'
import { membersByDayOfKinds } from './member-sets'
import type { MemberSet } from './member-set'

/**
 * 转化漏斗 by business day: a member enters on the first day in the range they did the first
 * step, and reaches each next step on a day no earlier than the step before and at most
 * `windowDays - 1` days after entering. Steps on the same day count as in order (the day is the
 * rollups' grain). Split by each member's first-touch channel.
 */
export async function funnelReport(q: { from: string; to: string; steps: ActivityKind[]; windowDays: number }, today: string): Promise<FunnelReport> {
  const windowEnd = addDays(q.to, q.windowDays - 1)
  const last = windowEnd < today ? windowEnd : today
  const [byKind, registrations] = await Promise.all([membersByDayOfKinds(q.steps, q.from, last), registrationsBy(last)])
  const days: string[] = []
  for (let day = q.from; day <= last; day = addDays(day, 1)) days.push(day)
  const setsOf = (kind: ActivityKind) => days.map((day) => byKind.get(kind)!.get(day))
  const span = [...byKind.values()].flatMap((byDay) => [...byDay.values()]).reduce((n, set) => Math.max(n, set.span), 0)

  // Per member (by number): the day index they entered, the index of the last step they reached, and how many steps.
  const entered = new Int32Array(span).fill(-1)
  const at = new Int32Array(span)
  const depth = new Uint8Array(span)
  const [first, ...later] = q.steps
  setsOf(first!).forEach((set, i) => {
    if (days[i]! > q.to) return // entering is within the range; later steps may follow after it
    set?.forEach((n) => {
      if (entered[n]! >= 0) return
      entered[n] = i
      at[n] = i
      depth[n] = 1
    })
  })
  later.forEach((kind, k) => {
    // The earliest day of this step, from the day of the step before to the end of the window.
    const next = new Int32Array(span).fill(-1)
    setsOf(kind).forEach((set: MemberSet | undefined, i) =>
      set?.forEach((n) => {
        if (depth[n] === k + 1 && next[n]! < 0 && i >= at[n]! && i <= entered[n]! + q.windowDays - 1) next[n] = i
      }),
    )
    next.forEach((i, n) => {
      if (i < 0) return
      at[n] = i
      depth[n] = k + 2
    })
  })

  const reached = q.steps.map(() => 0)
  const byChannel = new Map(FUNNEL_CHANNELS.map((channel) => [channel, q.steps.map(() => 0)]))
  depth.forEach((d, n) => {
    if (!d) return
    const ofChannel = byChannel.get(registrations.get(n)?.channel ?? 'unknown')!
    for (let i = 0; i < d; i++) {
      reached[i]!++
      ofChannel[i]!++
    }
  })
  return {
    from: q.from,
    to: q.to,
    steps: q.steps,
    windowDays: q.windowDays,
    reached,
    byChannel: [...byChannel].map(([channel, counts]) => ({ channel, reached: counts })).filter((c) => c.reached[0]! > 0),
  }
}
