import { businessDay, monthOf, startOfBusinessDay, type PointsLiability } from '@xianlin/shared'
import { PointEntryModel, type PointEntry } from './point-entry.model'
import { remainingOfLot } from './points.service'

/** The `YYYY-MM` month `n` months before `month`. */
function monthsBefore(month: string, n: number): string {
  const d = new Date(`${month}-01T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() - n)
  return d.toISOString().slice(0, 7)
}

/**
 * 积分负债 (#16): the points members hold that have not expired — what is left of each unexpired
 * lot under oldest-first spending — by the month they expire, with their value at the rules'
 * rate; and per business month of the last `months`, points earned, spent (net of points given
 * back) and expired. Read from the ledger itself, so it is exact, not a rollup.
 */
export async function pointsLiability(opts: { now: Date; timeZone: string; months: number; pointsPerYuan: number }): Promise<PointsLiability> {
  const { now, timeZone } = opts
  const fen = (points: number) => Math.round((points * 100) / opts.pointsPerYuan)
  // One read of the ledger answers every part: the embedded database scans the whole collection
  // for any filter but `_id` (about 75 µs an entry), so eight filtered queries cost eight scans.
  const entries = await PointEntryModel.find({}, { ownerId: 1, type: 1, amount: 1, availableDelta: 1, credited: 1, lotAmount: 1, lotExpiresAt: 1, lotSettled: 1, createdAt: 1 }).lean<PointEntry[]>()

  // Each holder's points debited so far (the running total their latest entry carries) is the sum
  // of what each entry took from `available`.
  const debited = new Map<string, number>()
  for (const e of entries) if (e.availableDelta < 0) debited.set(String(e.ownerId), (debited.get(String(e.ownerId)) ?? 0) - e.availableDelta)
  const byMonth = new Map<string, number>()
  for (const lot of entries) {
    if (lot.lotSettled || !lot.lotExpiresAt || lot.lotExpiresAt <= now) continue
    const left = remainingOfLot(lot, debited.get(String(lot.ownerId)) ?? 0)
    if (left <= 0) continue
    const month = monthOf(businessDay(lot.lotExpiresAt, timeZone))
    byMonth.set(month, (byMonth.get(month) ?? 0) + left)
  }
  const outstanding = [...byMonth.values()].reduce((n, p) => n + p, 0)

  // Per business month of the last `months`: each entry's amount by its type.
  const thisMonth = monthOf(businessDay(now, timeZone))
  const months = Array.from({ length: opts.months }, (_, i) => monthsBefore(thisMonth, opts.months - 1 - i))
  const bounds = [...months, monthsBefore(thisMonth, -1)].map((m) => startOfBusinessDay(`${m}-01`, timeZone).getTime())
  const sums = months.map(() => new Map<string, number>())
  for (const e of entries) {
    const t = e.createdAt.getTime()
    if (t < bounds[0]! || t >= bounds[bounds.length - 1]!) continue
    const i = bounds.findIndex((b, j) => t >= b && t < bounds[j + 1]!)
    sums[i]!.set(e.type, (sums[i]!.get(e.type) ?? 0) + e.amount)
  }
  const flows: PointsLiability['flows'] = months.map((month, i) => {
    const of = (type: string) => sums[i]!.get(type) ?? 0
    return { month, earned: of('earn'), spent: -of('spend') - of('refund'), expired: -of('expire') }
  })
  return {
    asOf: businessDay(now, timeZone),
    pointsPerYuan: opts.pointsPerYuan,
    outstanding: { points: outstanding, fen: fen(outstanding) },
    byExpiryMonth: [...byMonth.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, points]) => ({ month, points, fen: fen(points) })),
    flows,
  }
}
