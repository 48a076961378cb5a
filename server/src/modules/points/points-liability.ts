import { Types } from 'mongoose'
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
  const lots = await PointEntryModel.find({ lotSettled: false, lotExpiresAt: { $gt: now } }, { ownerId: 1, credited: 1, lotAmount: 1, lotExpiresAt: 1 }).lean<PointEntry[]>()
  // Each holder's points debited so far (the running total their latest entry carries) is the sum
  // of what each entry took from `available`: one pass over the ledger for every holder at once,
  // not a read of each holder's latest entry (two commands a holder).
  const taken = await PointEntryModel.aggregate<{ _id: Types.ObjectId; delta: number }>([{ $match: { availableDelta: { $lt: 0 } } }, { $group: { _id: '$ownerId', delta: { $sum: '$availableDelta' } } }])
  const debited = new Map(taken.map((t) => [String(t._id), -t.delta]))
  const byMonth = new Map<string, number>()
  for (const lot of lots) {
    const left = remainingOfLot(lot, debited.get(String(lot.ownerId)) ?? 0)
    if (left <= 0) continue
    const month = monthOf(businessDay(lot.lotExpiresAt!, timeZone))
    byMonth.set(month, (byMonth.get(month) ?? 0) + left)
  }
  const outstanding = [...byMonth.values()].reduce((n, p) => n + p, 0)

  const thisMonth = monthOf(businessDay(now, timeZone))
  const flows: PointsLiability['flows'] = []
  for (let n = opts.months - 1; n >= 0; n--) {
    const month = monthsBefore(thisMonth, n)
    const start = startOfBusinessDay(`${month}-01`, timeZone)
    const end = startOfBusinessDay(`${monthsBefore(month, -1)}-01`, timeZone)
    const sums = await PointEntryModel.aggregate<{ _id: string; points: number }>([{ $match: { createdAt: { $gte: start, $lt: end } } }, { $group: { _id: '$type', points: { $sum: '$amount' } } }])
    const of = (type: string) => sums.find((s) => s._id === type)?.points ?? 0
    flows.push({ month, earned: of('earn'), spent: -of('spend') - of('refund'), expired: -of('expire') })
  }
  return {
    asOf: businessDay(now, timeZone),
    pointsPerYuan: opts.pointsPerYuan,
    outstanding: { points: outstanding, fen: fen(outstanding) },
    byExpiryMonth: [...byMonth.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, points]) => ({ month, points, fen: fen(points) })),
    flows,
  }
}
