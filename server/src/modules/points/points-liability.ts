import { businessDay, monthOf, startOfBusinessDay, type PointsLiability } from '@xianlin/shared'
import { isDuplicateKeyError } from '../../db/errors'
import { LiabilitySnapshotModel, type LiabilitySnapshot } from './liability-snapshot.model'
import { PointEntryModel, type PointEntry } from './point-entry.model'
import { remainingOfLot } from './points.service'

/** Months of flows the job keeps: the most the report can be asked for. */
const FLOW_MONTHS = 24
/** Entries per read while the job walks the ledger: other commands take turns between batches. */
const BATCH = 2_000

/** The `YYYY-MM` month `n` months before `month`. */
function monthsBefore(month: string, n: number): string {
  const d = new Date(`${month}-01T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() - n)
  return d.toISOString().slice(0, 7)
}

/** The `count` business months up to and including the one `now` is in, oldest first. */
function monthsUpTo(now: Date, timeZone: string, count: number): string[] {
  const thisMonth = monthOf(businessDay(now, timeZone))
  return Array.from({ length: count }, (_, i) => monthsBefore(thisMonth, count - 1 - i))
}

/**
 * Job, hourly and at start (积分负债, #16): reads the whole ledger once and keeps what the report
 * shows. What is left of each unexpired lot under oldest-first spending, by the month it expires;
 * and per business month, points earned, spent (net of points given back) and expired.
 *
 * Why a job: what is left of a lot depends on everything its holder spent since, so the figures
 * need every entry, and the embedded database reads about 13,000 entries a second. Done in the
 * report, a ledger of millions would keep an operator waiting minutes; here it is read in batches
 * that other commands interleave with, and the report reads one document.
 */
export async function refreshPointsLiability(opts: { now: Date; timeZone: string }): Promise<{ entries: number }> {
  const { now, timeZone } = opts
  const months = monthsUpTo(now, timeZone, FLOW_MONTHS)
  const bounds = [...months, monthsBefore(months[months.length - 1]!, -1)].map((m) => startOfBusinessDay(`${m}-01`, timeZone).getTime())
  const sums = months.map(() => new Map<string, number>())
  // Each holder's points debited so far is the sum of what their entries took from `available`.
  const debited = new Map<string, number>()
  // Unexpired lots, kept until every debit of their holder is known.
  const lots: Array<{ owner: string; credited: number; lotAmount: number; month: string }> = []
  let entries = 0

  const cursor = PointEntryModel.find({}, { ownerId: 1, type: 1, amount: 1, availableDelta: 1, credited: 1, lotAmount: 1, lotExpiresAt: 1, lotSettled: 1, createdAt: 1 })
    .lean<PointEntry[]>()
    .cursor({ batchSize: BATCH })
  for await (const e of cursor as AsyncIterable<PointEntry>) {
    entries++
    const owner = String(e.ownerId)
    if (e.availableDelta < 0) debited.set(owner, (debited.get(owner) ?? 0) - e.availableDelta)
    if (!e.lotSettled && e.lotExpiresAt && e.lotExpiresAt > now) {
      lots.push({ owner, credited: e.credited, lotAmount: e.lotAmount ?? 0, month: monthOf(businessDay(e.lotExpiresAt, timeZone)) })
    }
    const t = e.createdAt.getTime()
    if (t < bounds[0]! || t >= bounds[bounds.length - 1]!) continue
    const i = bounds.findIndex((b, j) => t >= b && t < bounds[j + 1]!)
    sums[i]!.set(e.type, (sums[i]!.get(e.type) ?? 0) + e.amount)
  }

  const byMonth = new Map<string, number>()
  for (const lot of lots) {
    const left = remainingOfLot(lot, debited.get(lot.owner) ?? 0)
    if (left > 0) byMonth.set(lot.month, (byMonth.get(lot.month) ?? 0) + left)
  }
  const snapshot: LiabilitySnapshot = {
    _id: 'latest',
    computedAt: now,
    entries,
    outstanding: [...byMonth.values()].reduce((n, p) => n + p, 0),
    byExpiryMonth: [...byMonth.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, points]) => ({ month, points })),
    flows: months.map((month, i) => {
      const of = (type: string) => sums[i]!.get(type) ?? 0
      // `release` only moves earned points from pending to available: no change in what members hold.
      return { month, earned: of('earn'), spent: -of('spend') - of('refund'), expired: -of('expire'), adjusted: of('adjust') + of('clawback') + of('cancel') }
    }),
  }
  // A run that started earlier than the stored one (a slow instance) does not overwrite it.
  await LiabilitySnapshotModel.updateOne({ _id: 'latest', computedAt: { $lte: now } }, { $set: snapshot }, { upsert: true }).catch((err: unknown) => {
    if (!isDuplicateKeyError(err)) throw err
  })
  return { entries }
}

/**
 * 积分负债 as the job last computed it (`computedAt`; null before its first run), over the last
 * `months` business months, valued at the rules' rate now. One read.
 */
export async function pointsLiability(opts: { now: Date; timeZone: string; months: number; pointsPerYuan: number }): Promise<PointsLiability> {
  const fen = (points: number) => Math.round((points * 100) / opts.pointsPerYuan)
  const snapshot = await LiabilitySnapshotModel.findById('latest').lean<LiabilitySnapshot>()
  const flows = new Map(snapshot?.flows.map((f) => [f.month, f]))
  const outstanding = snapshot?.outstanding ?? 0
  return {
    asOf: businessDay(snapshot?.computedAt ?? opts.now, opts.timeZone),
    computedAt: snapshot ? snapshot.computedAt.toISOString() : null,
    pointsPerYuan: opts.pointsPerYuan,
    outstanding: { points: outstanding, fen: fen(outstanding) },
    byExpiryMonth: (snapshot?.byExpiryMonth ?? []).map(({ month, points }) => ({ month, points, fen: fen(points) })),
    // Months since the last run (a month that began since) show nothing yet.
    flows: monthsUpTo(opts.now, opts.timeZone, opts.months).map((month) => {
      const f = flows.get(month)
      // `adjusted` is absent from figures kept before it was counted: 0 until the next run.
      return { month, earned: f?.earned ?? 0, spent: f?.spent ?? 0, expired: f?.expired ?? 0, adjusted: f?.adjusted ?? 0 }
    }),
  }
}
