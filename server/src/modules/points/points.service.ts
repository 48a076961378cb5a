import { Types } from 'mongoose'
import { businessDay, type Rules } from '@xianlin/shared'
import { appendSequenced, entriesWithKeys, latestEntry, type LedgerOptions } from '../../db/sequenced-ledger'
import { accountPointsHeads, accountPointsHeadsRaisedLater } from '../users/account-hints'
import { nicknamesOf } from '../users/user-stats'
import { AppError } from '../../core/app-error'
import { listAudit, recordAudit } from '../audit/audit.service'
import { leftToRelease, takeBackFrozen } from '../../core/frozen-earning'
import { PointEntryModel, type PointEntry, type PointEntryType } from './point-entry.model'

/** A ledger entry as routes show it. */
export type { PointEntry } from './point-entry.model'

const DAY_MS = 24 * 60 * 60 * 1000
/** Each member's points ledger head is kept on their account, which authentication reads anyway. */
const POINTS_LEDGER: LedgerOptions = { heads: accountPointsHeads }
/** The same, for an entry whose copy on the account a job raises soon after (a check-in's). */
const POINTS_LEDGER_COPIED_LATER: LedgerOptions = { heads: accountPointsHeadsRaisedLater }

export interface Movement {
  userId: string | Types.ObjectId
  /** Positive whole points. */
  amount: number
  source: string
  sourceId?: string | null
  /** Unique per movement: retrying with the same key never moves points twice. */
  key: string
}

type Draft = Omit<PointEntry, '_id' | 'ownerId' | 'seq' | 'key'>

/** A refusal the caller can show: not enough points, or a negative balance blocking spending. */
export type Refusal = 'INSUFFICIENT_POINTS' | 'POINTS_FROZEN' | 'NOTHING_TO_DO'

/**
 * The points ledger (DESIGN.md, Points). Every change is an entry; balance ≥ 0 except after a
 * clawback; balance = sum of entries; an idempotency key never applies twice. Spending takes the
 * oldest lots first, which falls out of the running totals (see `PointEntry`).
 */
export function createPointsService(deps: { rules: Rules['points']; timeZone: string; clock: () => Date }) {
  const { rules, timeZone, clock } = deps

  function draft(latest: PointEntry | null, type: PointEntryType, m: Pick<Movement, 'source' | 'sourceId'>, change: Partial<Draft>): Draft {
    const availableDelta = change.availableDelta ?? 0
    const pendingDelta = change.pendingDelta ?? 0
    const now = clock()
    return {
      type,
      source: m.source,
      sourceId: m.sourceId ?? null,
      amount: change.amount ?? availableDelta + pendingDelta,
      availableDelta,
      pendingDelta,
      available: (latest?.available ?? 0) + availableDelta,
      pending: (latest?.pending ?? 0) + pendingDelta,
      credited: (latest?.credited ?? 0) + Math.max(availableDelta, 0),
      debited: (latest?.debited ?? 0) + Math.max(-availableDelta, 0),
      lotAmount: change.lotAmount ?? 0,
      lotExpiresAt: change.lotExpiresAt ?? null,
      lotSettled: !change.lotAmount,
      pendingUntil: change.pendingUntil ?? null,
      pendingSettled: !change.pendingUntil,
      note: change.note ?? null,
      actorId: change.actorId ?? null,
      createdAt: now,
    }
  }

  const lotExpiry = (earnedAt: Date) => new Date(earnedAt.getTime() + rules.expiryDays * DAY_MS)
  const owner = (id: string | Types.ObjectId) => (typeof id === 'string' ? new Types.ObjectId(id) : id)

  /** Appends, or returns the entry a previous call with the same key wrote; throws refusals. */
  async function apply(m: Movement, type: PointEntryType, build: (latest: PointEntry | null) => Draft | Refusal, ledger = POINTS_LEDGER) {
    assertWholePoints(m.amount)
    const result = await appendSequenced(PointEntryModel, owner(m.userId), m.key, (latest) => {
      const decision = build(latest)
      return typeof decision === 'string' ? { refuse: decision } : { draft: decision }
    }, ledger)
    if ('refused' in result) throw new AppError(result.refused === 'NOTHING_TO_DO' ? 'INTERNAL' : (result.refused as Exclude<Refusal, 'NOTHING_TO_DO'>))
    if (result.replayed && (result.entry.type !== type || Math.abs(result.entry.amount) !== m.amount)) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED')
    }
    return result
  }

  return {
    /**
     * Credits points; with `pending`, they wait `pendingDays` before they can be spent. With
     * `headCopiedLater`, the caller's job copies the entry to the account (`raiseCopies`).
     */
    earn(m: Movement & { pending?: boolean; headCopiedLater?: boolean }) {
      const build = (latest: PointEntry | null) => {
        if (m.pending) {
          return draft(latest, 'earn', m, { pendingDelta: m.amount, pendingUntil: new Date(clock().getTime() + rules.pendingDays * DAY_MS) })
        }
        return draft(latest, 'earn', m, { availableDelta: m.amount, lotAmount: m.amount, lotExpiresAt: lotExpiry(clock()) })
      }
      return apply(m, 'earn', build, m.headCopiedLater ? POINTS_LEDGER_COPIED_LATER : POINTS_LEDGER)
    },

    /** Spends available points; refused when they do not cover it or the balance is negative. */
    spend(m: Movement) {
      return apply(m, 'spend', (latest) => {
        const available = latest?.available ?? 0
        if (available < 0) return 'POINTS_FROZEN'
        if (available < m.amount) return 'INSUFFICIENT_POINTS'
        return draft(latest, 'spend', m, { availableDelta: -m.amount })
      })
    },

    /** Gives back points of a spend that was undone (a cancelled voucher, a refunded order). */
    refund(m: Movement) {
      return apply(m, 'refund', (latest) =>
        draft(latest, 'refund', m, { availableDelta: m.amount, lotAmount: m.amount, lotExpiresAt: lotExpiry(clock()) }),
      )
    },

    /** An operator's correction, with its reason; a deduction may not overdraw. */
    adjust(m: Movement & { direction: 'credit' | 'debit'; reason: string; actorId: string }) {
      return apply(m, 'adjust', (latest) => {
        const extra = { note: m.reason, actorId: owner(m.actorId) }
        if (m.direction === 'credit') {
          return draft(latest, 'adjust', m, { ...extra, availableDelta: m.amount, lotAmount: m.amount, lotExpiresAt: lotExpiry(clock()) })
        }
        if ((latest?.available ?? 0) < m.amount) return 'INSUFFICIENT_POINTS'
        return draft(latest, 'adjust', m, { ...extra, availableDelta: -m.amount })
      })
    },

    /**
     * Takes back points after the refund window (DESIGN.md): may leave the balance negative, which
     * blocks spending until later earnings repay it; such entries are what operators review.
     */
    async clawback(m: Movement) {
      const result = await apply(m, 'clawback', (latest) => draft(latest, 'clawback', m, { availableDelta: -m.amount }))
      if (!result.replayed && result.entry.available < 0) {
        await recordAudit({
          actorId: null,
          action: 'points.negative_balance',
          targetType: 'user',
          targetId: String(m.userId),
          outcome: 'flagged',
          details: { balance: result.entry.available, entryId: result.entry._id, source: m.source, sourceId: m.sourceId ?? null },
          at: clock(),
        })
      }
      return result
    },

    /** Users a clawback left below zero, for operators to review (newest first). */
    async negativeBalances(limit = 100) {
      const flags = await listAudit({ action: 'points.negative_balance', limit })
      const names = await nicknamesOf(flags.map((f) => f.targetId))
      const out = []
      for (const f of flags) {
        const now = await latestEntry(PointEntryModel, new Types.ObjectId(f.targetId), POINTS_LEDGER)
        out.push({ userId: f.targetId, nickname: names.get(f.targetId) ?? null, flaggedAt: f.at.toISOString(), balanceThen: f.details.balance as number, balanceNow: now?.available ?? 0 })
      }
      return out
    },

    /**
     * Settles a pending earning: `release` makes what is left of it spendable (its release is
     * claimed first, so no take-back counts the same points), `cancel` takes all that is left back.
     * Returns the settlement that did happen, which may be the other one.
     */
    async settlePending(earnKey: string, action: 'release' | 'cancel'): Promise<'release' | 'cancel'> {
      const earn = await PointEntryModel.findOne({ key: earnKey, type: 'earn' }).lean()
      if (!earn || !earn.pendingUntil) throw new AppError('NOT_FOUND', '待入账积分不存在')
      if (action === 'cancel') {
        const taken = await this.takeBackPending(earn, earn.amount, 'all')
        return taken > 0 || !earn.releaseClaimed ? 'cancel' : 'release'
      }
      const claimed = (await PointEntryModel.findOneAndUpdate({ _id: earn._id }, { $set: { releaseClaimed: true } }, { new: true }).lean())!
      const left = leftToRelease(claimed, earn.amount)
      // Taken back in full before its day: it was cancelled, not released.
      if (left <= 0) {
        await PointEntryModel.updateOne({ _id: earn._id }, { $set: { pendingSettled: true } })
        return 'cancel'
      }
      {
        const result = await appendSequenced(PointEntryModel, earn.ownerId, `settle:${earn._id}`, (latest) => {
          const change: Partial<Draft> = { pendingDelta: -left, availableDelta: left, amount: left, lotAmount: left, lotExpiresAt: lotExpiry(earn.pendingUntil!) }
          return { draft: draft(latest, 'release', { source: earn.source, sourceId: earn.sourceId }, change) }
        }, POINTS_LEDGER)
        if ('refused' in result) throw new AppError('INTERNAL')
      }
      await PointEntryModel.updateOne({ _id: earn._id }, { $set: { pendingSettled: true } })
      return 'release'
    },

    /**
     * Takes back up to `amount` of a pending earning (a refund by the line): a `cancel` entry for
     * what it took, keyed by the earning and `key`. Returns what it took (0 once released).
     */
    async takeBackPending(earn: PointEntry, amount: number, key: string): Promise<number> {
      const taken = await takeBackFrozen(PointEntryModel, earn._id, 'amount', { releaseClaimed: { $ne: true } }, key, amount)
      if (taken <= 0) return 0
      const result = await appendSequenced(PointEntryModel, earn.ownerId, `cancel:${earn._id}:${key}`, (latest) => ({
        draft: draft(latest, 'cancel', { source: earn.source, sourceId: earn.sourceId }, { pendingDelta: -taken, amount: -taken }),
      }), POINTS_LEDGER)
      if ('refused' in result) throw new AppError('INTERNAL')
      if (taken + (earn.takenBack ?? 0) >= earn.amount) await PointEntryModel.updateOne({ _id: earn._id, releaseClaimed: { $ne: true } }, { $set: { pendingSettled: true } })
      return taken
    },

    /**
     * Takes back `amount` points a source earned (a refunded line of an order): first from its
     * earnings still pending, newest first, the rest clawed back from the balance (which may go
     * below zero, DESIGN.md). `key` names the take-back; repeating it takes nothing more.
     */
    async takeBackEarned(m: Movement & { earnKeys: string[] }): Promise<void> {
      let left = m.amount
      const earns = [...(await entriesWithKeys<PointEntry>(PointEntryModel, m.earnKeys)).values()].filter((e) => e.type === 'earn' && e.pendingUntil).sort((a, b) => b.seq - a.seq)
      for (const earn of earns) {
        if (left <= 0) break
        left -= await this.takeBackPending(earn, left, m.key)
      }
      if (left > 0) await this.clawback({ userId: m.userId, amount: left, source: m.source, sourceId: m.sourceId, key: `${m.key}:clawback` })
    },

    /** Job: releases pending earnings whose date has come. Safe to run anywhere, any number of times. */
    async releaseDuePending(now: Date): Promise<number> {
      const due = await PointEntryModel.find({ pendingSettled: false, pendingUntil: { $lte: now } }).sort({ seq: 1 }).limit(500).lean()
      let released = 0
      for (const earn of due) if ((await this.settlePending(earn.key, 'release')) === 'release') released++
      return released
    },

    /**
     * Job: expires what is left of lots past their date, a batch at a time in the order they fell
     * due (the due-date index), one `expire` entry per lot keyed by the lot, so two runs at once
     * expire it once and a run cut short resumes where it stopped (expired lots leave the filter).
     * Works until none is due or `budgetMs` has passed, so it keeps up however many lots an hour makes.
     */
    async expireDueLots(now: Date, budgetMs = EXPIRY_BUDGET_MS): Promise<number> {
      const started = Date.now()
      let expired = 0
      for (;;) {
        const lots = await PointEntryModel.find({ lotSettled: false, lotExpiresAt: { $lte: now } })
          .sort({ lotExpiresAt: 1 })
          .limit(EXPIRY_BATCH)
          .lean()
        // Each holder's lots oldest first, as they are spent; several holders at a time.
        const byHolder = new Map<string, typeof lots>()
        for (const lot of lots.sort((a, b) => a.seq - b.seq)) {
          const of = byHolder.get(String(lot.ownerId))
          if (of) of.push(lot)
          else byHolder.set(String(lot.ownerId), [lot])
        }
        const holders = [...byHolder.values()]
        const expireLots = async () => {
          for (let of = holders.pop(); of; of = holders.pop()) {
            for (const lot of of) {
              const result = await appendSequenced(PointEntryModel, lot.ownerId, `expire:${lot._id}`, (latest) => {
                const left = remainingOfLot(lot, latest!.debited)
                if (left <= 0) return { refuse: 'NOTHING_TO_DO' as const }
                return { draft: draft(latest, 'expire', { source: 'expiry', sourceId: lot._id }, { availableDelta: -left }) }
              }, POINTS_LEDGER)
              if ('entry' in result && !result.replayed) expired++
              await PointEntryModel.updateOne({ _id: lot._id }, { $set: { lotSettled: true } })
            }
          }
        }
        await Promise.all(Array.from({ length: EXPIRY_HOLDERS_AT_ONCE }, expireLots))
        if (lots.length < EXPIRY_BATCH || Date.now() - started >= budgetMs) return expired
      }
    },

    /** True when an entry with this idempotency key exists (recovery paths ask). */
    async hasEntry(key: string): Promise<boolean> {
      return (await entriesWithKeys(PointEntryModel, [key])).has(key)
    },

    /** The entries of `keys` the ledger has, by key (one query). */
    entriesWithKeys: (keys: string[], owners?: ReadonlyArray<Types.ObjectId>) => entriesWithKeys<PointEntry>(PointEntryModel, keys, owners),

    /** Balance and pending from the ledger's head (one read by `_id`): what `summary` shows, without the lots. */
    async balance(userId: string): Promise<{ available: number; pending: number }> {
      const latest = await latestEntry(PointEntryModel, owner(userId), POINTS_LEDGER)
      return { available: latest?.available ?? 0, pending: latest?.pending ?? 0 }
    },

    /** Balance, pending, and what is left of the lots expiring on the next expiry day. */
    async summary(userId: string) {
      const ownerId = owner(userId)
      const latest = await latestEntry(PointEntryModel, ownerId, POINTS_LEDGER)
      const debited = latest?.debited ?? 0
      const lots = await PointEntryModel.find({ ownerId, lotSettled: false, lotExpiresAt: { $gt: clock() } })
        .sort({ seq: 1 })
        .limit(200)
        .lean()
      const next = lots.find((lot) => remainingOfLot(lot, debited) > 0)
      const day = next && businessDay(next.lotExpiresAt!, timeZone)
      const nextExpiry = next
        ? {
            points: lots
              .filter((l) => businessDay(l.lotExpiresAt!, timeZone) === day)
              .reduce((sum, l) => sum + remainingOfLot(l, debited), 0),
            at: next.lotExpiresAt!.toISOString(),
            day: day!,
          }
        : null
      return { available: latest?.available ?? 0, pending: latest?.pending ?? 0, negative: (latest?.available ?? 0) < 0, nextExpiry }
    },

    /** The user's entries, newest first, `limit` at a time after the `before` sequence number. */
    async ledger(userId: string, page: { before?: number; limit: number }) {
      const filter = { ownerId: owner(userId), ...(page.before ? { seq: { $lt: page.before } } : {}) }
      const entries = await PointEntryModel.find(filter).sort({ seq: -1 }).limit(page.limit + 1).lean()
      const more = entries.length > page.limit
      const shown = entries.slice(0, page.limit)
      return { entries: shown, nextCursor: more ? shown[shown.length - 1]!.seq : null }
    },
  }
}

export type PointsService = ReturnType<typeof createPointsService>

/** Lots read at a time by the expiry job, and how long one run may work before leaving the rest to the next. */
const EXPIRY_BATCH = 500
const EXPIRY_BUDGET_MS = 10 * 60_000
/** Holders whose lots expire side by side: each holder's in order, their round trips overlapping. */
const EXPIRY_HOLDERS_AT_ONCE = 8

/** What is left of a lot when `debited` points have left the account, oldest lots first. */
export function remainingOfLot(lot: Pick<PointEntry, 'credited' | 'lotAmount'>, debited: number): number {
  return Math.min(Math.max(lot.credited - debited, 0), lot.lotAmount)
}

function assertWholePoints(amount: number) {
  if (!Number.isInteger(amount) || amount <= 0) throw new AppError('VALIDATION_FAILED', '积分数量必须是正整数')
}
