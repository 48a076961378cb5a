import { Types } from 'mongoose'
import { businessDay, isoWeek, type Rules } from '@xianlin/shared'
import { isDuplicateKeyError } from '../../db/errors'
import type { PointsService } from '../points/points.service'
import { RewardCounterModel, RewardGrantModel } from './reward.model'
import { takeCapped } from '../../core/capped-counter'

type Caps = Rules['checkin']['caps']
export type RewardRefusal = 'BUDGET_EXHAUSTED' | 'DAILY_CAP' | 'WEEKLY_CAP' | 'LIFETIME_CAP' | 'IN_PROGRESS'
export type RewardOutcome = { paid: true; points: number } | { paid: false; reason: RewardRefusal }

const STALE_MS = 60_000

/**
 * Pays points for a reward rule within its campaign budget and per-user caps (DESIGN.md, Budgets
 * and caps). A reward that would exceed a limit is refused whole, with the reason; never partly
 * paid. Limits are counters taken with guarded `$inc`, so concurrent rewards never overshoot.
 */
export function createRewardsService(deps: { points: PointsService; timeZone: string; clock: () => Date }) {
  const { points, timeZone, clock } = deps

  /** Adds `amount` to a counter unless that would pass `limit`; false when it would. */
  const take = (counter: string, amount: number, limit: number) => takeCapped(RewardCounterModel, counter, 'used', amount, limit)

  async function giveBack(grantKey: string, taken: Array<{ counter: string; amount: number }>) {
    for (const t of taken) await RewardCounterModel.updateOne({ _id: t.counter }, { $inc: { used: -t.amount } })
    await RewardGrantModel.updateOne({ _id: grantKey }, { $set: { taken: [] } })
  }

  return {
    async payPoints(input: { rule: string; caps: Caps; userId: string | Types.ObjectId; amount: number; key: string; source: string; sourceId?: string }): Promise<RewardOutcome> {
      const userId = typeof input.userId === 'string' ? new Types.ObjectId(input.userId) : input.userId
      const now = clock()
      if (Object.values(input.caps).every((limit) => limit === null)) {
        // Nothing to count: the ledger's unique key alone keeps the payment once, and the grant
        // record (two more writes) would guard nothing.
        await points.earn({ userId, amount: input.amount, source: input.source, sourceId: input.sourceId, key: input.key })
        return { paid: true, points: input.amount }
      }
      try {
        await RewardGrantModel.create({ _id: input.key, rule: input.rule, userId, points: input.amount, state: 'reserving', createdAt: now })
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err
        const existing = (await RewardGrantModel.findById(input.key).lean())!
        if (existing.state === 'paid') return { paid: true, points: existing.points }
        if (existing.state === 'refused') return { paid: false, reason: existing.reason as RewardRefusal }
        return { paid: false, reason: 'IN_PROGRESS' }
      }

      const day = businessDay(now, timeZone)
      const limits: Array<{ counter: string; amount: number; limit: number | null; reason: RewardRefusal }> = [
        { counter: `${input.rule}:budget`, amount: input.amount, limit: input.caps.campaignBudget, reason: 'BUDGET_EXHAUSTED' },
        { counter: `${input.rule}:${userId}:day:${day}`, amount: 1, limit: input.caps.perUserPerDay, reason: 'DAILY_CAP' },
        { counter: `${input.rule}:${userId}:week:${isoWeek(day)}`, amount: 1, limit: input.caps.perUserPerWeek, reason: 'WEEKLY_CAP' },
        { counter: `${input.rule}:${userId}:life`, amount: 1, limit: input.caps.perUserLifetime, reason: 'LIFETIME_CAP' },
      ]
      const taken: Array<{ counter: string; amount: number }> = []
      for (const l of limits) {
        if (l.limit === null) continue
        if (!(await take(l.counter, l.amount, l.limit))) {
          await giveBack(input.key, taken)
          await RewardGrantModel.updateOne({ _id: input.key }, { $set: { state: 'refused', reason: l.reason } })
          return { paid: false, reason: l.reason }
        }
        taken.push({ counter: l.counter, amount: l.amount })
        await RewardGrantModel.updateOne({ _id: input.key }, { $push: { taken: { counter: l.counter, amount: l.amount } } })
      }
      await points.earn({ userId, amount: input.amount, source: input.source, sourceId: input.sourceId, key: input.key })
      await RewardGrantModel.updateOne({ _id: input.key }, { $set: { state: 'paid' } })
      return { paid: true, points: input.amount }
    },

    /**
     * Job: a grant a crash left `reserving` is finished when its points were paid, else its
     * counters are given back and the grant removed, so the caller's own retry can start over.
     */
    async recover(now: Date): Promise<{ completed: number; undone: number }> {
      let completed = 0
      let undone = 0
      for (const g of await RewardGrantModel.find({ state: 'reserving', createdAt: { $lt: new Date(now.getTime() - STALE_MS) } }).lean()) {
        if (await points.hasEntry(g._id)) {
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
