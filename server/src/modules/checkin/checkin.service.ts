import { Types } from 'mongoose'
import {
  addDays,
  businessDay,
  businessHour,
  checkinReward,
  monthOf,
  streakBefore,
  type CheckinMonth,
  type CheckinResult,
  type Rules,
} from '@xianlin/shared'
import { isDuplicateKeyError } from '../../db/errors'
import { insertBuilt } from '../../db/insert-built'
import { bulkUpdate } from '../../db/bulk-update'
import { AppError } from '../../core/app-error'
import { claimNumberedSlot } from '../../core/numbered-slot'
import type { Logger } from '../../logger'
import { WechatError, type WechatClient } from '../../wechat'
import { getUser } from '../users/users.service'
import { accountHints, forgetCheckin, raiseCopies, type AccountHints } from '../users/account-hints'
import type { EventsService } from '../events/events.service'
import type { MembershipService } from '../membership/membership.service'
import type { PointEntry, PointsService } from '../points/points.service'
import type { RewardOutcome, RewardsService } from '../rewards/rewards.service'
import { CheckinModel, MakeupSlotModel, ReminderModel, type Checkin } from './checkin.model'

const STALE_MS = 60_000

interface Deps {
  rules: Rules['checkin']
  /** Read at each check-in (a live view: a saved rules version applies to the next one). */
  growth: Rules['growth']
  timeZone: string
  points: PointsService
  rewards: RewardsService
  membership: MembershipService
  events: EventsService
  clock: () => Date
  wechat: WechatClient
  reminderTemplateId: string | null
  log: Logger
  /** Tests only: throws at a named step to simulate a crash there. */
  crashAt?: (step: string) => void | Promise<void>
}

/** Daily check-in, make-ups and reminders (DESIGN.md, Daily check-in). */
export function createCheckinService(deps: Deps) {
  const { rules, timeZone, points, rewards, membership, events, clock } = deps
  const today = () => businessDay(clock(), timeZone)
  const oid = (id: string) => new Types.ObjectId(id)

  async function checkedDays(userId: Types.ObjectId, from: string): Promise<Set<string>> {
    const rows = await CheckinModel.find({ userId, day: { $gte: from } }, { day: 1 }).lean()
    return new Set(rows.map((r) => r.day))
  }

  const rewardKey = (c: Pick<Checkin, 'userId' | 'day'>) => `checkin:${c.userId}:${c.day}`

  /**
   * Pays a check-in's points within the check-in rule's budget and caps; idempotent by its key.
   * In the request, the entry's copy on the account is left to the settle job (`finish`).
   */
  const payPoints = (c: Checkin, opts: { headCopiedLater?: boolean } = {}): Promise<RewardOutcome> =>
    rewards.payPoints({ rule: 'checkin', caps: rules.caps, userId: c.userId, amount: c.points, key: rewardKey(c), source: 'checkin', sourceId: c.day, ...opts })

  /**
   * What check-ins' requests leave to the settle job once their points are paid (or refused):
   * the copies on the account (the streak for tomorrow's check-in, the points entry for the next
   * append), their growth, their events and their `rewarded` marks, a batch in a few commands.
   * Each is keyed or a `$max`, so doing it twice does it once.
   */
  async function finish(settled: Array<{ c: Checkin; outcome: RewardOutcome; entry?: PointEntry }>): Promise<void> {
    if (settled.length === 0) return
    await raiseCopies(
      settled.map(({ c, entry }) => ({ userId: c.userId, madeAt: c.createdAt, lastCheckin: typeof c.streak === 'number' ? { day: c.day, streak: c.streak } : undefined, pointsEntry: entry })),
    )
    if (deps.growth.checkin > 0) {
      await membership.addGrowthToEach(settled.map(({ c }) => ({ userId: c.userId, amount: deps.growth.checkin, source: 'checkin', sourceId: c.day, key: rewardKey(c) })))
    }
    await events.trackMany(settled.map(({ c }) => ({ userId: c.userId, name: 'checkin' as const, props: { day: c.day, cycleDay: c.cycleDay, streak: c.streak ?? 1 }, at: c.createdAt, key: rewardKey(c) })))
    const mark = ({ c, outcome }: (typeof settled)[number]) => ({ updateOne: { filter: { _id: c._id }, update: { $set: { rewarded: true, rewardRefused: outcome.paid ? null : outcome.reason } } } })
    await bulkUpdate(CheckinModel, settled.map(mark))
  }

  return {
    /** Checks in for today in the business time zone: once per day, whatever the races. */
    async checkIn(userIdText: string): Promise<CheckinResult> {
      const userId = oid(userIdText)
      const day = today()
      const account = await accountHints(userId)
      // The account's copy never leads: when it names today, today's check-in exists.
      if (account?.lastCheckin?.day === day) throw new AppError('ALREADY_CHECKED_IN')
      const streak = await streakEndingBefore(userId, day, account)
      const reward = checkinReward(streak, rules)
      const doc: Checkin = {
        _id: `${userId}:${day}`,
        userId,
        day,
        month: monthOf(day),
        kind: 'daily',
        ...reward,
        streak: streak + 1,
        rewarded: false,
        rewardRefused: null,
        makeupSlot: null,
        createdAt: clock(),
      }
      try {
        await insertBuilt(CheckinModel, doc)
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err
        throw new AppError('ALREADY_CHECKED_IN')
      }
      // The shopper's points are paid here; the copies on the account (tomorrow's streak, the
      // points head), growth and the event follow within seconds, a batch at a time (`settle`).
      const outcome = await payPoints(doc, { headCopiedLater: true })
      if (outcome.paid) return { day, ...reward, streak: streak + 1, rewardRefused: null }
      return { day, cycleDay: reward.cycleDay, points: 0, bonus: 0, streak: streak + 1, rewardRefused: outcome.reason }
    },

    /**
     * Make-up check-in for a missed day of this month: claims one of the month's slots, pays
     * with points, then records the day. A crash between those steps is finished or undone by
     * `recover` (forward when the points were paid, back when not).
     */
    async makeup(userIdText: string, date: string): Promise<CheckinResult> {
      const userId = oid(userIdText)
      const now = today()
      if (monthOf(date) !== monthOf(now) || date >= now) throw new AppError('MAKEUP_NOT_ALLOWED')
      // A day before the member registered was never missed (and `checkIn` relies on it).
      if (date < makeupFrom(await accountHints(userId), now)) throw new AppError('MAKEUP_NOT_ALLOWED')
      if (await CheckinModel.exists({ _id: `${userId}:${date}` })) throw new AppError('ALREADY_CHECKED_ON_DAY')

      const slot = await claimSlot(userId, date)
      const spendKey = `makeup:${userId}:${date}`
      try {
        await points.spend({ userId, amount: rules.makeupCostPoints, source: 'makeup', sourceId: date, key: spendKey })
      } catch (err) {
        await MakeupSlotModel.deleteOne({ _id: slot })
        throw err
      }
      await deps.crashAt?.('makeup-after-spend')
      const recorded = await recordMakeup(userId, date, slot)
      if (!recorded) {
        // Another make-up of the same day won: it paid with the same key, so nothing was charged twice.
        await MakeupSlotModel.deleteOne({ _id: slot })
        throw new AppError('ALREADY_CHECKED_ON_DAY')
      }
      await MakeupSlotModel.updateOne({ _id: slot }, { $set: { state: 'done' } })
      await events.track({ userId, name: 'makeup', props: { day: date, costPoints: rules.makeupCostPoints }, at: clock(), key: spendKey })
      const streak = currentStreak(await checkedDays(userId, addDays(now, -400)), now)
      return { day: date, cycleDay: 0, points: 0, bonus: 0, streak, rewardRefused: null }
    },

    /** The calendar page: checked days of the month, streak, next reward, make-ups left. */
    async month(userIdText: string, month?: string): Promise<CheckinMonth> {
      const userId = oid(userIdText)
      const day = today()
      const shown = month ?? monthOf(day)
      const checked = await checkedDays(userId, addDays(day, -400))
      const inMonth = await CheckinModel.find({ userId, month: shown }, { day: 1, kind: 1 }).sort({ day: 1 }).lean()
      const checkedToday = checked.has(day)
      const streak = currentStreak(checked, day)
      const reward = checkinReward(streak, rules)
      const used = await MakeupSlotModel.countDocuments({ userId, day: { $gte: `${monthOf(day)}-01`, $lte: `${monthOf(day)}-31` } })
      const reminder = await ReminderModel.findById(userId).lean()
      return {
        month: shown,
        today: day,
        checkedToday,
        days: inMonth.map((c) => ({ day: c.day, makeup: c.kind === 'makeup' })),
        streak,
        nextReward: { cycleDay: reward.cycleDay, points: reward.points },
        cycle: Array.from({ length: rules.cycleDays }, (_, i) => checkinReward(i, rules).points),
        makeup: { used, allowed: rules.makeupPerMonth, costPoints: rules.makeupCostPoints, from: makeupFrom(await accountHints(userId), day) },
        reminder: reminder?.enabled ?? false,
        reminderTemplateId: deps.reminderTemplateId,
      }
    },

    /** Turns the daily reminder on or off; each "on" with a template records one more consent. */
    async setReminder(userIdText: string, input: { enabled: boolean; templateId?: string }): Promise<{ reminder: boolean }> {
      const update = input.enabled
        ? { $set: { enabled: true, updatedAt: clock(), ...(input.templateId ? { templateId: input.templateId } : {}) }, $inc: { consents: input.templateId ? 1 : 0 } }
        : { $set: { enabled: false, updatedAt: clock() }, $setOnInsert: { consents: 0 } }
      await ReminderModel.updateOne({ _id: oid(userIdText) }, update, { upsert: true })
      return { reminder: input.enabled }
    },

    /** Account deletion: the reminder subscription (and its consents) goes. */
    async forgetReminder(userIdText: string): Promise<void> {
      await ReminderModel.deleteOne({ _id: oid(userIdText) })
    },

    /**
     * Job: from the reminder hour on, sends each subscriber who has not checked in today one
     * reminder, spending one of their consents. The day is claimed in the database before the
     * send, so several instances never remind anyone twice; a failed send gives the consent back.
     */
    async sendReminders(now: Date): Promise<number> {
      const templateId = deps.reminderTemplateId
      if (!templateId || businessHour(now, timeZone) < rules.reminderHour) return 0
      const day = businessDay(now, timeZone)
      let sent = 0
      for (const r of await ReminderModel.find({ enabled: true, consents: { $gt: 0 }, lastSentDay: { $ne: day } }).limit(500).lean()) {
        if (await CheckinModel.exists({ _id: `${r._id}:${day}` })) continue
        const claim = await ReminderModel.updateOne(
          { _id: r._id, consents: { $gt: 0 }, lastSentDay: { $ne: day } },
          { $set: { lastSentDay: day }, $inc: { consents: -1 } },
        )
        if (claim.modifiedCount !== 1) continue
        const view = await this.month(r._id.toHexString())
        try {
          const user = await getUser(r._id.toHexString())
          await deps.wechat.sendSubscribeMessage({
            touser: user.openid,
            templateId,
            page: 'pages/checkin/index',
            data: { thing1: '每日签到', thing2: `已连续签到${view.streak}天，今天签到得${view.nextReward.points}积分` },
          })
          sent++
        } catch (err) {
          if (err instanceof WechatError && err.errcode === 43101) {
            // The user withdrew consent: stop until they subscribe again.
            await ReminderModel.updateOne({ _id: r._id }, { $set: { enabled: false, consents: 0 } })
          } else {
            deps.log.warn({ err, userId: r._id }, 'check-in reminder not sent')
            await ReminderModel.updateOne({ _id: r._id, lastSentDay: day }, { $set: { lastSentDay: null }, $inc: { consents: 1 } })
          }
        }
      }
      return sent
    },

    /**
     * Job, every few seconds: finishes check-ins. One whose points are paid gets its growth, its
     * event and its mark; one a crash left unpaid for a minute is paid first (or refused by a cap,
     * which is then recorded). Safe on every instance at once: each step is keyed.
     */
    async settle(now: Date): Promise<number> {
      const stale = now.getTime() - STALE_MS
      const settled: Array<{ c: Checkin; outcome: RewardOutcome; entry?: PointEntry }> = []
      const due = await CheckinModel.find({ rewarded: false }).limit(500).lean()
      const paidEntries = await points.entriesWithKeys(due.map(rewardKey), due.map((c) => c.userId))
      for (const c of due) {
        const entry = paidEntries.get(rewardKey(c))
        if (!entry && c.createdAt.getTime() >= stale) continue // its request is still paying
        const outcome: RewardOutcome = entry ? { paid: true, points: c.points } : await payPoints(c)
        if (!outcome.paid && outcome.reason === 'IN_PROGRESS') continue // the rewards recovery finishes the grant
        settled.push({ c, outcome, entry })
      }
      await finish(settled)
      return settled.length
    },

    /**
     * Job: finishes make-ups a crash interrupted: slots left claimed are completed when their
     * points were paid and released when they were not.
     */
    async recover(now: Date): Promise<{ completed: number; released: number }> {
      const stale = new Date(now.getTime() - STALE_MS)
      let completed = 0
      let released = 0
      for (const slot of await MakeupSlotModel.find({ state: 'claimed', createdAt: { $lt: stale } }).limit(500).lean()) {
        const checkin = await CheckinModel.findById(`${slot.userId}:${slot.day}`).lean()
        const paid = await points.hasEntry(`makeup:${slot.userId}:${slot.day}`)
        if (checkin?.makeupSlot === slot._id || (!checkin && paid && (await recordMakeup(slot.userId, slot.day, slot._id)))) {
          await MakeupSlotModel.updateOne({ _id: slot._id, state: 'claimed' }, { $set: { state: 'done' } })
          completed++
        } else {
          await MakeupSlotModel.deleteOne({ _id: slot._id, state: 'claimed' })
          released++
        }
      }
      return { completed, released }
    },
  }

  /**
   * Consecutive checked days before `day`. No lookup when the account's copy of the latest
   * check-in is yesterday's, or the member registered today (no make-up goes before that);
   * else one `_id` lookup (yesterday carries its streak), walking past days whose streak a
   * make-up made unknown, one lookup a day.
   */
  async function streakEndingBefore(userId: Types.ObjectId, day: string, account: AccountHints | null): Promise<number> {
    if (account?.lastCheckin?.day === addDays(day, -1)) return account.lastCheckin.streak
    if (account && businessDay(account.createdAt, timeZone) === day) return 0
    for (let n = 0; n < 400; n++) {
      const earlier = await CheckinModel.findById(`${userId}:${addDays(day, -(n + 1))}`, { streak: 1 }).lean()
      if (!earlier) return n
      if (typeof earlier.streak === 'number') return n + earlier.streak
    }
    return 400
  }

  /**
   * A make-up joins runs, so the streaks written on the checked days after it are now too low:
   * they become unknown (walked next time). A check-in racing this make-up may keep its lower
   * streak; the calendar counts from the days themselves and stays right.
   */
  async function forgetStreaksAfter(userId: Types.ObjectId, day: string): Promise<void> {
    const last = today()
    for (let d = addDays(day, 1); d <= last; d = addDays(d, 1)) {
      const res = await CheckinModel.updateOne({ _id: `${userId}:${d}` }, { $set: { streak: null } })
      if (res.matchedCount === 0) return
    }
  }

  /** The first day of `day`'s month a make-up may fill: none before the member registered. */
  function makeupFrom(account: AccountHints | null, day: string): string {
    const joined = account ? businessDay(account.createdAt, timeZone) : ''
    const first = `${monthOf(day)}-01`
    return joined > first ? joined : first
  }

  /** The streak as the user sees it: through today when checked, else through yesterday. */
  function currentStreak(checked: ReadonlySet<string>, day: string): number {
    return streakBefore(checked, checked.has(day) ? addDays(day, 1) : day)
  }

  /** One of the month's make-up slots, or MAKEUP_LIMIT_REACHED. */
  async function claimSlot(userId: Types.ObjectId, day: string): Promise<string> {
    const slot = await claimNumberedSlot({
      count: rules.makeupPerMonth,
      idOf: (n) => `${userId}:${monthOf(day)}:${n}`,
      insert: (_id) => MakeupSlotModel.create({ _id, userId, day, state: 'claimed', createdAt: clock() }),
    })
    if (!slot) throw new AppError('MAKEUP_LIMIT_REACHED')
    return slot.id
  }

  /** Records a make-up day; false when the day was already checked (other than by this slot). */
  async function recordMakeup(userId: Types.ObjectId, day: string, slot: string): Promise<boolean> {
    // Before the day is recorded: the account's copy of the latest streak is about to be wrong.
    await forgetCheckin(userId, clock())
    try {
      await CheckinModel.create({
        _id: `${userId}:${day}`,
        userId,
        day,
        month: monthOf(day),
        kind: 'makeup',
        cycleDay: 0,
        points: 0,
        bonus: 0,
        rewarded: true,
        rewardRefused: null,
        makeupSlot: slot,
        streak: null,
        createdAt: clock(),
      })
      await forgetStreaksAfter(userId, day)
      return true
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err
      // Two recovery runs finishing the same make-up: the one that lost still saw it recorded.
      const existing = await CheckinModel.findById(`${userId}:${day}`, { makeupSlot: 1 }).lean()
      return existing?.makeupSlot === slot
    }
  }
}

export type CheckinService = ReturnType<typeof createCheckinService>
