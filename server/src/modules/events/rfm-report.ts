import { RFM_SEGMENTS, addDays, rfmSegment, type RfmMembers, type RfmReport, type RfmSegment, type Rules } from '@xianlin/shared'
import { paymentsBetween } from './member-payments'
import { rfmSegments } from './rfm-snapshots'

type Thresholds = Rules['rfm']

/** A member's segment from what they paid in the window ending `to` (the one rule every RFM figure uses). */
export const segmentOf = (m: { orders: number; paidFen: number; lastPaidDay: string }, to: string, t: Thresholds): RfmSegment =>
  rfmSegment(m.lastPaidDay >= addDays(to, -(t.recentDays - 1)), m.orders >= t.frequentOrders, m.paidFen >= t.valuableFen)

/** The first day of the RFM window ending `to`. */
export const rfmWindowFrom = (to: string, t: Thresholds) => addDays(to, -(t.windowDays - 1))

/** Every member who paid in the window ending `to`, with their segment (reports, campaign targets). */
export async function segmented(to: string, t: Thresholds) {
  const totals = await paymentsBetween(rfmWindowFrom(to, t), to)
  return [...totals].map(([userId, m]) => ({ userId, ...m, segment: segmentOf(m, to, t) }))
}

/** RFM (#16): members and amount paid per segment over the rules' window ending `to`. */
export async function rfmReport(to: string, t: Thresholds): Promise<RfmReport> {
  const key = [t.windowDays, t.recentDays, t.frequentOrders, t.valuableFen].join(':')
  const segments = await rfmSegments(to, key, async () => {
    const members = await segmented(to, t)
    return RFM_SEGMENTS.map((segment) => {
      const of = members.filter((m) => m.segment === segment)
      return { segment, members: of.length, paidFen: of.reduce((n, m) => n + m.paidFen, 0) }
    })
  })
  return { to, ...t, segments }
}

/** One segment's members, highest paid first, a page at a time (nicknames are the caller's to add). */
export async function rfmMembers(q: { to: string; segment: RfmSegment; offset: number; limit: number }, t: Thresholds): Promise<RfmMembers> {
  const of = (await segmented(q.to, t)).filter((m) => m.segment === q.segment).sort((a, b) => b.paidFen - a.paidFen || a.userId.localeCompare(b.userId))
  return {
    segment: q.segment,
    total: of.length,
    members: of.slice(q.offset, q.offset + q.limit).map((m) => ({ userId: m.userId, nickname: null, lastPaidDay: m.lastPaidDay, orders: m.orders, paidFen: m.paidFen })),
  }
}
