import { businessDay, monthOf, type PointsLiability } from '@xianlin/shared'
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

/** Entries are tallied once this old: a write follows its timestamp by moments, and an instance's clock may run a little behind. */
const SETTLE_MS = 60_000
/** Holders whose entries are read together while tallying. */
const OWNERS_PER_READ = 500

type LedgerFields = Pick<PointEntry, 'ownerId' | 'type' | 'amount' | 'availableDelta' | 'credited' | 'lotAmount' | 'lotExpiresAt' | 'createdAt'>
const LEDGER_FIELDS = { ownerId: 1, type: 1, amount: 1, availableDelta: 1, credited: 1, lotAmount: 1, lotExpiresAt: 1, createdAt: 1 }

/** 积分负债's figures: points left by expiry month, and per business month the points moved by type. */
type Figures = { expiring: Map<string, number>; flows: Map<string, Map<string, number>> }
const noFigures = (): Figures => ({ expiring: new Map(), flows: new Map() })
const add = <K>(map: Map<K, number>, key: K, n: number) => map.set(key, (map.get(key) ?? 0) + n)

/**
 * What is left of one holder's lots as of `upTo` (their entries written by then), by the month
 * each lot expires: oldest-first spending, every debit (spends, expiries, clawbacks) counted.
 */
function holderExpiring(entries: readonly LedgerFields[], upTo: Date, timeZone: string, into: Map<string, number>, sign: 1 | -1): void {
  let debited = 0
  for (const e of entries) if (e.createdAt <= upTo && e.availableDelta < 0) debited -= e.availableDelta
  for (const e of entries) {
    if (e.createdAt > upTo || !e.lotAmount || !e.lotExpiresAt) continue
    const left = remainingOfLot({ credited: e.credited, lotAmount: e.lotAmount }, debited)
    if (left > 0) add(into, monthOf(businessDay(e.lotExpiresAt, timeZone)), sign * left)
  }
}

const flowOf = (figures: Figures, e: LedgerFields, timeZone: string) => {
  const month = monthOf(businessDay(e.createdAt, timeZone))
  const types = figures.flows.get(month) ?? new Map<string, number>()
  add(types, e.type, e.amount)
  figures.flows.set(month, types)
}

/**
 * Job, hourly (积分负债, #16): adds to the kept figures what the ledger entries written
 * since the last run changed: the flows of those entries, and for each holder who has any, what is
 * left of their lots now less what was left before. Reads those entries (by `createdAt`) and their
 * holders' entries, so it costs what changed, not the ledger. The kept figures move by one guarded
 * update (from the time tallied to), so a run that fails or races another changes nothing twice.
 * Without figures (a new database, or ones kept before increments) it recounts instead.
 */
export async function tallyPointsLiability(opts: { now: Date; timeZone: string; upTo?: Date }): Promise<{ entries: number }> {
  const { now, timeZone } = opts
  const upTo = opts.upTo ?? new Date(now.getTime() - SETTLE_MS)
  const kept = await LiabilitySnapshotModel.findById('latest').lean<LiabilitySnapshot>()
  if (!kept?.talliedTo || !kept.expiring) return recountPointsLiability({ now, timeZone })
  const from = kept.talliedTo
  if (upTo <= from) return { entries: 0 }
  const written = await PointEntryModel.find({ createdAt: { $gt: from, $lte: upTo } }, LEDGER_FIELDS).lean<LedgerFields[]>()
  const delta = noFigures()
  for (const e of written) flowOf(delta, e, timeZone)
  const holders = [...new Set(written.map((e) => String(e.ownerId)))]
  for (let i = 0; i < holders.length; i += OWNERS_PER_READ) {
    const byHolder = new Map<string, LedgerFields[]>()
    for (const e of await PointEntryModel.find({ ownerId: { $in: holders.slice(i, i + OWNERS_PER_READ) }, createdAt: { $lte: upTo } }, LEDGER_FIELDS).lean<LedgerFields[]>()) {
      const of = byHolder.get(String(e.ownerId)) ?? []
      of.push(e)
      byHolder.set(String(e.ownerId), of)
    }
    for (const entries of byHolder.values()) {
      holderExpiring(entries, upTo, timeZone, delta.expiring, 1)
      holderExpiring(entries, from, timeZone, delta.expiring, -1)
    }
  }
  const inc: Record<string, number> = { entries: written.length, outstanding: [...delta.expiring.values()].reduce((n, p) => n + p, 0) }
  for (const [month, points] of delta.expiring) if (points) inc[`expiring.${month}`] = points
  for (const [month, types] of delta.flows) for (const [type, amount] of types) if (amount) inc[`flows.${month}.${type}`] = amount
  await LiabilitySnapshotModel.updateOne({ _id: 'latest', talliedTo: from }, { $inc: inc, $set: { talliedTo: upTo, computedAt: now } })
  return { entries: written.length }
}

/**
 * Job, daily, and when an operator asks (重新统计): counts 积分负债 from the whole ledger as of
 * `now` and keeps it, after bringing the tallied figures to the same moment and logging any
 * difference (the tally's check). Read in batches that other commands interleave with.
 */
export async function recountPointsLiability(opts: { now: Date; timeZone: string; log?: (drift: object) => void }): Promise<{ entries: number }> {
  const { now, timeZone } = opts
  if (opts.log) await tallyPointsLiability({ now, timeZone, upTo: now })
  const counted = noFigures()
  // Holders' entries arrive in any order: each holder's are kept until all are read. Only the
  // fields the count needs, so a ledger of millions fits.
  const byHolder = new Map<string, LedgerFields[]>()
  let entries = 0
  const cursor = PointEntryModel.find({ createdAt: { $lte: now } }, LEDGER_FIELDS).lean<LedgerFields[]>().cursor({ batchSize: BATCH })
  for await (const e of cursor as AsyncIterable<LedgerFields>) {
    entries++
    flowOf(counted, e, timeZone)
    if (e.availableDelta >= 0 && !e.lotAmount) continue
    const of = byHolder.get(String(e.ownerId)) ?? []
    of.push(e)
    byHolder.set(String(e.ownerId), of)
  }
  for (const of of byHolder.values()) holderExpiring(of, now, timeZone, counted.expiring, 1)
  const flowMonths = new Set(monthsUpTo(now, timeZone, FLOW_MONTHS))
  const expiring = Object.fromEntries([...counted.expiring].filter(([, points]) => points !== 0).sort(([a], [b]) => a.localeCompare(b)))
  const flows = Object.fromEntries([...counted.flows].filter(([month]) => flowMonths.has(month)).map(([month, types]) => [month, Object.fromEntries(types)]))
  const snapshot = { computedAt: now, talliedTo: now, entries, outstanding: Object.values(expiring).reduce((n, p) => n + p, 0), expiring, flows }
  if (opts.log) {
    const kept = await LiabilitySnapshotModel.findById('latest').lean<LiabilitySnapshot>()
    if (kept?.talliedTo?.getTime() === now.getTime() && (kept.outstanding !== snapshot.outstanding || !sameNumbers(kept.expiring ?? {}, expiring))) {
      opts.log({ tallied: { outstanding: kept.outstanding, expiring: kept.expiring }, counted: { outstanding: snapshot.outstanding, expiring } })
    }
  }
  // A recount as of an earlier moment than the kept figures (a slow instance) does not overwrite them.
  await LiabilitySnapshotModel.updateOne({ _id: 'latest', $or: [{ talliedTo: { $lte: now } }, { talliedTo: null }] }, { $set: snapshot }, { upsert: true }).catch((err: unknown) => {
    if (!isDuplicateKeyError(err)) throw err
  })
  return { entries }
}

/** Whether two month → points maps hold the same non-zero figures. */
function sameNumbers(a: Record<string, number>, b: Record<string, number>): boolean {
  const nonZero = (m: Record<string, number>) => JSON.stringify(Object.entries(m).filter(([, n]) => n !== 0).sort(([x], [y]) => x.localeCompare(y)))
  return nonZero(a) === nonZero(b)
}

/**
 * 积分负债 as the job last computed it (`computedAt`; null before its first run), over the last
 * `months` business months, valued at the rules' rate now. One read.
 */
export async function pointsLiability(opts: { now: Date; timeZone: string; months: number; pointsPerYuan: number }): Promise<PointsLiability> {
  const fen = (points: number) => Math.round((points * 100) / opts.pointsPerYuan)
  const snapshot = await LiabilitySnapshotModel.findById('latest').lean<LiabilitySnapshot>()
  const kept = snapshot?.expiring ? snapshot : null
  const outstanding = kept?.outstanding ?? 0
  const flows = kept?.flows ?? {}
  return {
    asOf: businessDay(kept?.computedAt ?? opts.now, opts.timeZone),
    computedAt: kept ? kept.computedAt.toISOString() : null,
    pointsPerYuan: opts.pointsPerYuan,
    outstanding: { points: outstanding, fen: fen(outstanding) },
    byExpiryMonth: Object.entries(kept?.expiring ?? {})
      .filter(([, points]) => points !== 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([month, points]) => ({ month, points, fen: fen(points) })),
    flows: monthsUpTo(opts.now, opts.timeZone, opts.months).map((month) => {
      const of = (type: string) => flows[month]?.[type] ?? 0
      // `release` only moves earned points from pending to available: no change in what members hold.
      return { month, earned: of('earn'), spent: -of('spend') - of('refund'), expired: -of('expire'), adjusted: of('adjust') + of('clawback') + of('cancel') }
    }),
  }
}
