import { Types } from 'mongoose'
import { levelRankForGrowth, nextLevel, type MembershipView, type Rules } from '@xianlin/shared'
import { appendSequenced, appendToEach, latestEntry } from '../../db/sequenced-ledger'
import { isDuplicateKeyError } from '../../db/errors'
import { AppError } from '../../core/app-error'
import type { EventsService } from '../events/events.service'
import { notify } from '../notifications/notifications.service'
import { GrowthEntryModel, type GrowthEntry } from './growth-entry.model'
import { MembershipModel, RetentionRulesModel } from './membership.model'

const DAY_MS = 24 * 60 * 60 * 1000
/** Members looked at a time by the retention job, and how long one run may work before leaving the rest to the next. */
const RETENTION_BATCH = 500
const RETENTION_BUDGET_MS = 10 * 60_000

/** When the growth of `entries` (oldest first) in a window of `windowMs` falls below `minGrowth` as they leave it, earning nothing more. */
function fallsBelowAt(entries: ReadonlyArray<{ amount: number; createdAt: Date }>, minGrowth: number, windowMs: number, now: Date): Date {
  let left = entries.reduce((n, e) => n + e.amount, 0)
  for (const e of entries) {
    left -= e.amount
    if (left < minGrowth) return new Date(e.createdAt.getTime() + windowMs)
  }
  return new Date(now.getTime() + windowMs)
}

export interface GrowthInput {
  userId: string | Types.ObjectId
  amount: number
  source: string
  sourceId?: string | null
  /** Unique per award: the same key never adds growth twice. */
  key: string
}

/**
 * Growth value and member levels (DESIGN.md, Member levels). Growth only rises; the level follows
 * it on every change, and with a rolling retention window a job may move a member down one
 * level after a warning.
 */
export function createMembershipService(deps: { levels: Rules['levels']; events: EventsService; clock: () => Date }) {
  const { levels, events, clock } = deps
  const tiers = levels.tiers
  const id = (u: string | Types.ObjectId) => (typeof u === 'string' ? new Types.ObjectId(u) : u)

  async function currentGrowth(userId: Types.ObjectId): Promise<number> {
    return (await latestEntry(GrowthEntryModel, userId))?.growth ?? 0
  }

  /** Moves the member to `rank` if that is higher than the stored level; true when this call did. */
  async function raiseTo(userId: Types.ObjectId, rank: number): Promise<boolean> {
    if (rank === 0) return false
    const now = clock()
    let membership
    try {
      membership = await MembershipModel.findOneAndUpdate(
        { _id: userId, levelRank: { $lt: rank } },
        { $set: { levelRank: rank, warnedAt: null, updatedAt: now, retentionCheckAt: now }, $inc: { version: 1 } },
        { upsert: true, new: true },
      )
    } catch (err) {
      if (isDuplicateKeyError(err)) return false // already at or above `rank`
      throw err
    }
    if (!membership) return false
    const tier = tiers[rank]!
    await notify({
      key: `level:${userId}:${membership.version}`,
      userId,
      kind: 'level_up',
      title: `恭喜升级为${tier.name}`,
      body: `您已享受${tier.benefits.join('、')}`,
      at: now,
    })
    await events.track({ userId, name: 'level_up', props: { level: tier.key }, at: now })
    return true
  }

  /** The growth entry an award appends after `latest` (growth only rises, so it is never refused). */
  const growthAfter = (input: GrowthInput) => {
    if (!Number.isInteger(input.amount) || input.amount <= 0) throw new AppError('VALIDATION_FAILED', '成长值必须是正整数')
    return (latest: GrowthEntry | null) => ({
      draft: { source: input.source, sourceId: input.sourceId ?? null, amount: input.amount, growth: (latest?.growth ?? 0) + input.amount, createdAt: clock() },
    })
  }

  return {
    /**
     * A page of the members at level `key` and how many (会员 → 等级). The first level has no
     * document of its own (absent means the first), so its members are everyone else, found by
     * walking every member newest first past those of higher levels.
     */
    async levelPage(key: string, offset: number, limit: number, everyone: { count(): Promise<number>; newestFirst(skip: number, limit: number): Promise<string[]> }): Promise<{ ids: string[]; total: number }> {
      const rank = tiers.findIndex((t) => t.key === key)
      if (rank < 0) throw new AppError('VALIDATION_FAILED', '未知的等级', [{ path: 'level', message: '未知的等级' }])
      if (rank > 0) {
        const [rows, total] = await Promise.all([MembershipModel.find({ levelRank: rank }, { _id: 1 }).sort({ _id: -1 }).skip(offset).limit(limit).lean(), MembershipModel.countDocuments({ levelRank: rank })])
        return { ids: rows.map((m) => String(m._id)), total }
      }
      const ids: string[] = []
      let passed = 0
      for (let skip = 0; ids.length < limit; ) {
        const batch = await everyone.newestFirst(skip, 500)
        if (!batch.length) break
        skip += batch.length
        const higher = new Set((await MembershipModel.find({ _id: { $in: batch.map(id) }, levelRank: { $gt: 0 } }, { _id: 1 }).lean()).map((m) => String(m._id)))
        for (const member of batch) if (!higher.has(member) && passed++ >= offset && ids.length < limit) ids.push(member)
      }
      const total = (await everyone.count()) - (await MembershipModel.countDocuments({ levelRank: { $gt: 0 } }))
      return { ids, total }
    },

    /** Adds growth once per key and upgrades the level when a threshold is reached. */
    async addGrowth(input: GrowthInput) {
      const userId = id(input.userId)
      const result = await appendSequenced(GrowthEntryModel, userId, input.key, growthAfter(input))
      if ('refused' in result) throw new AppError('INTERNAL')
      const upgraded = await raiseTo(userId, levelRankForGrowth(tiers, result.entry.growth))
      return { growth: result.entry.growth, replayed: result.replayed, upgraded }
    },

    /**
     * Takes back growth an order's refunded line had earned, once per key. The level it reached
     * stays (levels follow the retention rule, not single refunds); the total never goes below zero.
     */
    async takeBackGrowth(input: GrowthInput): Promise<void> {
      if (!Number.isInteger(input.amount) || input.amount <= 0) throw new AppError('VALIDATION_FAILED', '成长值必须是正整数')
      const result = await appendSequenced(GrowthEntryModel, id(input.userId), input.key, (latest: GrowthEntry | null) => {
        const taken = Math.min(input.amount, latest?.growth ?? 0)
        return { draft: { source: input.source, sourceId: input.sourceId ?? null, amount: -taken, growth: (latest?.growth ?? 0) - taken, createdAt: clock() } }
      })
      if ('refused' in result) throw new AppError('INTERNAL')
    },

    /** `addGrowth` for many members at once (a job's batch): their entries in a few commands, not three each. */
    async addGrowthToEach(inputs: GrowthInput[]): Promise<void> {
      const appends = inputs.map((input) => ({ ownerId: id(input.userId), key: input.key, build: growthAfter(input) }))
      const results = await appendToEach(GrowthEntryModel, appends)
      for (const [i, result] of results.entries()) {
        if ('refused' in result) throw new AppError('INTERNAL')
        await raiseTo(appends[i]!.ownerId, levelRankForGrowth(tiers, result.entry.growth))
      }
    },

    /** Members at level `rank` or above, by id after `after`, a batch at a time (perk jobs). */
    async membersAtOrAbove(rank: number, after: Types.ObjectId | null, limit: number): Promise<Types.ObjectId[]> {
      if (rank <= 0) throw new AppError('INTERNAL', 'perks for every member are not paged from memberships')
      const list = await MembershipModel.find({ levelRank: { $gte: rank }, ...(after ? { _id: { $gt: after } } : {}) }, { _id: 1 }).sort({ _id: 1 }).limit(limit).lean()
      return list.map((m) => m._id)
    },

    /** The member's level rank (0 = the first level). */
    async rankOf(userId: string | Types.ObjectId): Promise<number> {
      return (await MembershipModel.findById(id(userId)).lean())?.levelRank ?? 0
    },

    /** The member card: level, growth, what the next level needs, every level's benefits. */
    async view(userIdText: string): Promise<MembershipView> {
      const userId = id(userIdText)
      const growth = await currentGrowth(userId)
      const membership = await MembershipModel.findById(userId).lean()
      const rank = membership?.levelRank ?? 0
      const next = nextLevel(tiers, rank, growth)
      const tier = tiers[rank]!
      const windowDays = levels.retention.mode === 'rolling' ? levels.retention.windowDays : null
      return {
        level: { key: tier.key, name: tier.name, rank, priceRatePercent: tier.priceRatePercent, benefits: tier.benefits },
        growth,
        next: next ? { key: next.tier.key, name: next.tier.name, minGrowth: next.tier.minGrowth, growthNeeded: next.growthNeeded } : null,
        levels: tiers.map((t, i) => ({ key: t.key, name: t.name, rank: i, minGrowth: t.minGrowth, priceRatePercent: t.priceRatePercent, benefits: t.benefits })),
        downgradeWarning:
          membership?.warnedAt && levels.retention.mode === 'rolling'
            ? { on: new Date(membership.warnedAt.getTime() + levels.retention.warnDaysBefore * DAY_MS).toISOString(), windowDays: windowDays! }
            : null,
      }
    },

    /**
     * Job for the rolling retention window: a member whose growth inside the window is below
     * their level is warned; still below `warnDaysBefore` days later, they move down one level.
     * Reads only the members due for a look (`retentionCheckAt`): each look sets the next, the
     * moment their window's growth would fall below their level if they earned none meanwhile
     * (growth only adds, so a look is never late), daily while warned. Rules that change the
     * window or the levels make everyone due once. Every change is a guarded update on the level
     * and warning they were read with, so two instances running this at once change each member once.
     */
    async evaluateRetention(now: Date, budgetMs = RETENTION_BUDGET_MS): Promise<{ checked: number; warned: number; downgraded: number }> {
      const retention = levels.retention
      const result = { checked: 0, warned: 0, downgraded: 0 }
      if (retention.mode !== 'rolling') return result
      const windowMs = retention.windowDays * DAY_MS
      const rulesKey = JSON.stringify({ retention, minGrowth: tiers.map((t) => t.minGrowth) })
      if ((await RetentionRulesModel.findById('rules').lean<{ key: string }>())?.key !== rulesKey) {
        await MembershipModel.updateMany({ levelRank: { $gt: 0 } }, { $set: { retentionCheckAt: new Date(0) } })
        await RetentionRulesModel.updateOne({ _id: 'rules' }, { $set: { key: rulesKey } }, { upsert: true })
      }
      const started = Date.now()
      for (;;) {
        const due = await MembershipModel.find({ retentionCheckAt: { $lte: now }, levelRank: { $gt: 0 } }).sort({ retentionCheckAt: 1 }).limit(RETENTION_BATCH).lean()
        for (const m of due) {
          result.checked++
          const entries = await GrowthEntryModel.find({ ownerId: m._id, createdAt: { $gt: new Date(now.getTime() - windowMs) } }, { amount: 1, createdAt: 1 }).sort({ createdAt: 1 }).lean()
          const minGrowth = tiers[m.levelRank]!.minGrowth
          const guard = { _id: m._id, levelRank: m.levelRank, warnedAt: m.warnedAt }
          if (entries.reduce((n, e) => n + e.amount, 0) >= minGrowth) {
            await MembershipModel.updateOne(guard, { $set: { warnedAt: null, retentionCheckAt: fallsBelowAt(entries, minGrowth, windowMs, now), ...(m.warnedAt ? { updatedAt: now } : {}) } })
            continue
          }
          if (!m.warnedAt) {
            const res = await MembershipModel.updateOne(guard, { $set: { warnedAt: now, updatedAt: now, retentionCheckAt: new Date(now.getTime() + DAY_MS) } })
            if (res.modifiedCount === 1) {
              result.warned++
              await notify({
                key: `level-warn:${m._id}:${m.version}`,
                userId: m._id,
                kind: 'level_warning',
                title: '会员等级即将调整',
                body: `近 ${retention.windowDays} 天成长值不足，${retention.warnDaysBefore} 天后将调整为${tiers[m.levelRank - 1]!.name}`,
                at: now,
              })
            }
          } else if (now.getTime() - m.warnedAt.getTime() >= retention.warnDaysBefore * DAY_MS) {
            // The lower level is looked at on the next run.
            const res = await MembershipModel.updateOne(guard, { $set: { levelRank: m.levelRank - 1, warnedAt: null, updatedAt: now, retentionCheckAt: new Date(now.getTime() + 1) }, $inc: { version: 1 } })
            if (res.modifiedCount === 1) {
              result.downgraded++
              await notify({
                key: `level:${m._id}:${m.version + 1}`,
                userId: m._id,
                kind: 'level_down',
                title: `会员等级调整为${tiers[m.levelRank - 1]!.name}`,
                body: '继续消费和签到可以重新升级',
                at: now,
              })
            }
          } else {
            const warningEnds = m.warnedAt.getTime() + retention.warnDaysBefore * DAY_MS
            await MembershipModel.updateOne(guard, { $set: { retentionCheckAt: new Date(Math.min(warningEnds, now.getTime() + DAY_MS)) } })
          }
        }
        if (due.length < RETENTION_BATCH || Date.now() - started >= budgetMs) return result
      }
    },
  }
}

export type MembershipService = ReturnType<typeof createMembershipService>
