import { Types } from 'mongoose'
import { businessDay, isoWeek, type Rules } from '@xianlin/shared'
import { isDuplicateKeyError } from '../../db/errors'
import type { PointsService } from '../points/points.service'
import { RewardCounterModel, RewardGrantModel, type PaidElsewhere } from './reward.model'
import { takeCapped } from '../../core/capped-counter'

type Caps = Rules['checkin']['caps']
export type RewardRefusal = 'BUDGET_EXHAUSTED' | 'DAILY_CAP' | 'WEEKLY_CAP' | 'LIFETIME_CAP' | 'IN_PROGRESS'
export type RewardOutcome = { paid: true; points: number } | { paid: false; reason: RewardRefusal }

const STALE_MS = 60_000


/**
 * Pays a reward rule's points (or, through `grant`, a voucher) within its campaign budget and
 * per-user caps (DESIGN.md, Budgets and caps). A reward that would exceed a limit is refused
 * whole, with the reason; never partly paid. Limits are counters taken with guarded `$inc`, so
 * concurrent rewards never overshoot.
 */
export function createRewardsService(deps: { points: PointsService; timeZone: string; clock: () => Date; paidElsewhere: Record<PaidElsewhere, (key: string) => Promise<boolean>> }) {
  const { points, timeZone, clock } = deps

  /** Adds `amount` to a counter unless that would pass `limit`; false when it would. */
  const take = (counter: string, amount: number, limit: number) => takeCapped(RewardCounterModel, counter, 'used', amount, limit)

  async function giveBack(grantKey: string, taken: Array<{ counter: string; amount: number }>) {
    for (const t of taken) await RewardCounterModel.updateOne({ _id: t.counter }, { $inc: { used: -t.amount } })
    await RewardGrantModel.updateOne({ _id: grantKey }, { $set: { taken: [] } })
  }

  interface Grant {
    rule: string
    caps: Caps
    userId: string | Types.ObjectId
    /** What the campaign budget counts: points for a points reward, 1 for a voucher. */
    amount: number
    key: string
    /** What is paid: `points` (the points ledger), or another kind named in `paidElsewhere`. */
    kind: 'points' | PaidElsewhere
  }

  /**
   * Reserves every limit of `g` (budget, then per-user day, week, lifetime), then pays with
   * `pay`, once per key. A refusal gives back what it took and is remembered, so a replay answers
   * the same; a reservation another request holds answers IN_PROGRESS.
   */
  async function grantWithinCaps(g: Grant, pay: () => Promise<void>): Promise<{ paid: true } | { paid: false; reason: RewardRefusal }> {
    const userId = typeof g.userId === 'string' ? new Types.ObjectId(g.userId) : g.userId
    const now = clock()
    if (Object.values(g.caps).every((limit) => limit === null)) {
      // Nothing to count: the payment's own unique key keeps it once, and the grant record (two
      // more writes) would guard nothing.
      await pay()
      return { paid: true }
    }
    try {
      await RewardGrantModel.create({ _id: g.key, rule: g.rule, kind: g.kind, userId, points: g.amount, state: 'reserving', createdAt: now })
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err
      const existing = (await RewardGrantModel.findById(g.key).lean())!
      if (existing.state === 'paid') return { paid: true }
      if (existing.state === 'refused') return { paid: false, reason: existing.reason as RewardRefusal }
      return { paid: false, reason: 'IN_PROGRESS' }
    }
    const taken: Array<{ counter: string; amount: number }> = []
    for (const l of limitsOf(g.rule, g.caps, userId, g.amount, now)) {
      if (l.limit === null) continue
      if (!(await take(l.counter, l.amount, l.limit))) {
        await giveBack(g.key, taken)
        await RewardGrantModel.updateOne({ _id: g.key }, { $set: { state: 'refused', reason: l.reason } })
        return { paid: false, reason: l.reason }
      }
      taken.push({ counter: l.counter, amount: l.amount })
      await RewardGrantModel.updateOne({ _id: g.key }, { $push: { taken: { counter: l.counter, amount: l.amount } } })
    }
    await pay()
    await RewardGrantModel.updateOne({ _id: g.key }, { $set: { state: 'paid' } })
    return { paid: true }
  }

  /** The counters a reward of `rule` takes for `userId` now, with their limits. */
  function limitsOf(rule: string, caps: Caps, userId: Types.ObjectId, amount: number, now: Date) {
    const day = businessDay(now, timeZone)
    return [
      { counter: `${rule}:budget`, amount, limit: caps.campaignBudget, reason: 'BUDGET_EXHAUSTED' as const },
      { counter: `${rule}:${userId}:day:${day}`, amount: 1, limit: caps.perUserPerDay, reason: 'DAILY_CAP' as const },
      { counter: `${rule}:${userId}:week:${isoWeek(day)}`, amount: 1, limit: caps.perUserPerWeek, reason: 'WEEKLY_CAP' as const },
      { counter: `${rule}:${userId}:life`, amount: 1, limit: caps.perUserLifetime, reason: 'LIFETIME_CAP' as const },
    ]
  }

  return {
    /** `headCopiedLater`: as `points.earn`'s (the caller's job copies the entry to the account). */
    async payPoints(input: { rule: string; caps: Caps; userId: string | Types.ObjectId; amount: number; key: string; source: string; sourceId?: string; headCopiedLater?: boolean }): Promise<RewardOutcome> {
      const userId = typeof input.userId === 'string' ? new Types.ObjectId(input.userId) : input.userId
      const { rule, caps, amount, key, source, sourceId, headCopiedLater } = input
      const outcome = await grantWithinCaps({ rule, caps, userId, amount, key, kind: 'points' }, () =>
        points.earn({ userId, amount, source, sourceId, key, headCopiedLater }).then(() => undefined),
      )
      return outcome.paid ? { paid: true, points: input.amount } : outcome
    },

    /** A reward other than points (a voucher, a coupon) within the rule's caps: `pay` issues it, once. */
    grant: (input: Omit<Grant, 'kind'> & { kind: PaidElsewhere }, pay: () => Promise<void>) => grantWithinCaps(input, pay),

    /**
     * The limit a reward of `rule` would pass for this user now, or null: a look without taking
     * anything, for refusing early (the grant itself decides).
     */
    async limitReached(rule: string, caps: Caps, userIdText: string, amount: number): Promise<RewardRefusal | null> {
      const limits = limitsOf(rule, caps, new Types.ObjectId(userIdText), amount, clock()).filter((l) => l.limit !== null)
      if (limits.length === 0) return null
      const used = new Map((await RewardCounterModel.find({ _id: { $in: limits.map((l) => l.counter) } }).lean()).map((c) => [c._id, c.used]))
      return limits.find((l) => (used.get(l.counter) ?? 0) + l.amount > l.limit!)?.reason ?? null
    },

    /**
     * Job: a grant a crash left `reserving` is finished when its points were paid, else its
     * counters are given back and the grant removed, so the caller's own retry can start over.
     */
    async recover(now: Date): Promise<{ completed: number; undone: number }> {
      let completed = 0
      let undone = 0
      for (const g of await RewardGrantModel.find({ state: 'reserving', createdAt: { $lt: new Date(now.getTime() - STALE_MS) } }).lean()) {
        const paid = g.kind === 'points' || !g.kind ? await points.hasEntry(g._id) : await deps.paidElsewhere[g.kind as PaidElsewhere](g._id)
        if (paid) {
          await RewardGrantModel.updateOne({ _id: g._id, state: 'reserving' }, { $set: { state: 'paid' } })
          completed++
        } else {
          const res = await RewardGrantModel.deleteOne({ _id: g._id, state: 'reserving' })
          if (res.deletedCount === 1) {
            for (const t of g.taken) await RewardCounterModel.updateOne({ _id: t.counter }, { $inc: { used: -t.amount! } })
            undone++
          }
        }
      }
      return { completed, undone }
    },
  }
}

export type RewardsService = ReturnType<typeof createRewardsService>
