import mongoose, { Schema, model } from 'mongoose'
import { bulkUpdate } from '../../db/bulk-update'
import { ACTIVITY_KINDS, STREAK_BUCKETS, addDays, streakBucketOf, type ActivityKind, type Channel, type EventName, type GrowthTrend } from '@xianlin/shared'
import { eventsOfDay } from './event.model'
import { PAID_WINDOWS, foldProfiles, profilesInDatabase, type ProfileStore } from './member-profiles'
import { KINDS_OF_EVENT, membersByDay, saveDaySets } from './member-sets'
import { MemberSet } from './member-set'
import { payersOn, saveDayPayments, type PaidTotals } from './member-payments'
import { readDayLists, saveDayList } from './day-lists'
import { listMembers } from '../users/users.service'

/**
 * Daily rollups of the events (#16, "rollups, not scans"): reports read these, never raw events.
 * One document per day (`_id` the day) holding every metric and dimension of the day as
 * `values['metric|dim']`, written with `$set` from a full recount of the day, so running the fold
 * twice, on two instances at once, or rebuilding a past day gives the same figures. A range of
 * days is read by `_id`, which the embedded database answers from its index (a document per
 * metric, read by a range of days, made it decode every metric of every day: 0.66 s at 100 days).
 * Distinct active members are kept per day as a set of member numbers, so weeks and months can be unioned.
 */
const DayMetricsSchema = new Schema(
  {
    _id: { type: String, required: true },
    values: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, minimize: false },
)
const DayMetricsModel = model('DayMetrics', DayMetricsSchema, 'daily_metric_days')
type DayMetrics = { _id: string; values: Record<string, number> }

/** The fields of an event a fold reads. */
export type FoldedEvent = { userId?: unknown; name: string; props?: unknown }

/** Folds one business day's events into its metrics, member sets and profiles. Idempotent: the day is recounted whole. */
export function rollupDay(day: string): Promise<number> {
  return foldDay(day, eventsOfDay(day).find({}, { userId: 1, name: 1, props: 1 }).lean<FoldedEvent[]>().cursor())
}

/** Folds `events`, all of one day and all there is of it (a recount), into that day's rollups (and the profiles in `profiles`). */
export async function foldDay(day: string, events: AsyncIterable<FoldedEvent> | Iterable<FoldedEvent>, profiles: ProfileStore = profilesInDatabase): Promise<number> {
  const counts = new Map<string, number>()
  const add = (metric: string, dim: string, n: number) => counts.set(`${metric}|${dim}`, (counts.get(`${metric}|${dim}`) ?? 0) + n)
  const sets = new Map<ActivityKind, Set<string>>(ACTIVITY_KINDS.map((k) => [k, new Set<string>()]))
  const registered = new Map<string, Channel>()
  const paidBy = new Map<string, PaidTotals>()
  // Opens of each sharer's cards: a list that grows with the sharers, kept apart from the day's figures.
  const opensBy = new Map<string, number>()
  let folded = 0
  for await (const e of events) {
    folded++
    const props = (e.props ?? {}) as Record<string, unknown>
    const user = e.userId ? String(e.userId) : null
    if (user) {
      sets.get('any')!.add(user)
      for (const kind of KINDS_OF_EVENT[e.name as EventName] ?? []) sets.get(kind)!.add(user)
    }
    if (e.name === 'register') {
      const channel = (props.channel ?? 'organic') as Channel
      add('new_members', channel, 1)
      if (user) registered.set(user, channel)
    }
    if (e.name === 'payment') {
      add('payments', 'all', 1)
      add('paid_fen', 'all', Number(props.fen ?? 0))
      if (user) {
        const paid = paidBy.get(user) ?? { orders: 0, paidFen: 0 }
        paid.orders++
        paid.paidFen += Number(props.fen ?? 0)
        paidBy.set(user, paid)
      }
    }
    if (e.name === 'refund') add('refunded_fen', 'all', Number(props.fen ?? 0))
    if (e.name === 'checkin') {
      add('checkins', 'all', 1)
      add('checkin_streak', streakBucketOf(Number(props.streak ?? 1)), 1)
    }
    if (e.name === 'makeup') add('makeups', 'all', 1)
    if (e.name === 'share') add('shares', 'all', 1)
    if (e.name === 'share_open') {
      add('share_opens', 'all', 1)
      const sharer = String(props.sharerId)
      opensBy.set(sharer, (opensBy.get(sharer) ?? 0) + 1)
    }
    if (e.name === 'group_success' || e.name === 'group_fail') {
      // Per activity and size; events from before these properties existed count as unknown.
      const dim = `${String(props.activityId ?? 'unknown')}:${Number(props.size ?? 0)}`
      add(e.name === 'group_success' ? 'groups_succeeded' : 'groups_failed', dim, 1)
      if (e.name === 'group_success') {
        add('group_fill_minutes', dim, Number(props.openMinutes ?? 0))
        if (props.autoFilled) add('groups_autofilled', dim, 1)
      }
    }
  }
  // Members who paid exactly 30, 90 or 180 days before leave a window today: their figures move too.
  const leaving = await payersOn(PAID_WINDOWS.map((w) => addDays(day, -w)))
  const { repeatPayers, referredFirstPayers, numbers } = await foldProfiles(day, sets.get('any')!, paidBy, registered, leaving, profiles)
  const numbered = new Map(ACTIVITY_KINDS.map((kind) => [kind, MemberSet.of([...sets.get(kind)!].map((id) => numbers.get(id)!))]))
  add('referred_first_paying_members', 'all', referredFirstPayers)
  add('active_members', 'all', sets.get('any')!.size)
  add('paying_members', 'all', sets.get('payment')!.size)
  add('repeat_paying_members', 'all', repeatPayers)
  // Members active in the 7 and 30 days ending today, so the trend reads figures, not 30 days of sets per day.
  const month = await membersByDay('any', addDays(day, -(MONTH - 1)), addDays(day, -1))
  month.set(day, numbered.get('any')!)
  add('weekly_active_members', 'all', distinctOver(month, day, WEEK))
  add('monthly_active_members', 'all', distinctOver(month, day, MONTH))
  // Every metric the report reads exists for the day, zero included, so a rebuilt day has no holes.
  for (const m of ['new_members|all', 'payments|all', 'paid_fen|all', 'refunded_fen|all', 'checkins|all', 'makeups|all', 'shares|all', 'share_opens|all', ...STREAK_BUCKETS.map((b) => `checkin_streak|${b.key}`)]) if (!counts.has(m)) counts.set(m, 0)
  const newMembers = [...counts.entries()].filter(([k]) => k.startsWith('new_members|') && k !== 'new_members|all').reduce((n, [, v]) => n + v, 0)
  counts.set('new_members|all', newMembers)
  await DayMetricsModel.updateOne({ _id: day }, { $set: { values: Object.fromEntries(counts) } }, { upsert: true })
  await saveDaySets(day, numbered, ACTIVITY_KINDS, new Map([...registered].map(([id, channel]) => [numbers.get(id)!, channel])))
  await saveDayPayments(day, paidBy)
  await saveDayList('share_opens_by', day, [...opensBy].map(([sharer, opens]) => `${sharer}:${opens}`))
  // The day's new members join the console's member list here, not in their sign-up.
  await listMembers([...registered.keys()])
  return folded
}

const WEEK = 7
const MONTH = 30

/** Distinct members of `byDay`'s sets over the `days` days ending `day`. */
function distinctOver(byDay: ReadonlyMap<string, MemberSet>, day: string, days: number): number {
  const sets: MemberSet[] = []
  for (let i = 0; i < days; i++) sets.push(byDay.get(addDays(day, -i)) ?? MemberSet.of([]))
  return MemberSet.union(sets).size
}

/** A day of 增长趋势's members (the money beside them comes from the orders and refunds). */
export type MemberTrendDay = Pick<GrowthTrend['days'][number], 'day' | 'dau' | 'wau' | 'mau' | 'newMembers' | 'payingMembers' | 'repeatPayingMembers'>

/**
 * 增长趋势's members from the rollups: per day members active that day, that week and that month
 * (the 7 and 30 days ending that day, counted by each day's fold), new and paying members (and of
 * those, who had paid before: the repurchase rate).
 */
export async function growthTrend(from: string, to: string): Promise<{ from: string; to: string; days: MemberTrendDay[] }> {
  const value = await metricsBetween(from, to, ['active_members', 'weekly_active_members', 'monthly_active_members', 'new_members', 'paying_members', 'repeat_paying_members'])
  const counted = (day: string, metric: string) => value.get(`${day}|${metric}|all`)
  let week = (day: string) => counted(day, 'weekly_active_members') ?? 0
  let month = (day: string) => counted(day, 'monthly_active_members') ?? 0
  // Days folded before folds counted them: counted here from the day sets, as the folds do.
  let missing = false
  for (let day = from; day <= to && !missing; day = addDays(day, 1)) missing = counted(day, 'active_members') !== undefined && counted(day, 'weekly_active_members') === undefined
  if (missing) {
    const actives = await membersByDay('any', addDays(from, -(MONTH - 1)), to)
    week = (day) => distinctOver(actives, day, WEEK)
    month = (day) => distinctOver(actives, day, MONTH)
  }
  const days: MemberTrendDay[] = []
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const get = (metric: string) => value.get(`${day}|${metric}|all`) ?? 0
    days.push({
      day,
      dau: get('active_members'),
      wau: week(day),
      mau: month(day),
      newMembers: get('new_members'),
      payingMembers: get('paying_members'),
      repeatPayingMembers: get('repeat_paying_members'),
    })
  }
  return { from, to, days }
}

/** The metrics of each day from `from` to `to` (every dimension of those named), as `day|metric|dim` → value. */
export async function metricsBetween(from: string, to: string, metrics: readonly string[]): Promise<Map<string, number>> {
  const days: string[] = []
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day)
  const docs = await DayMetricsModel.find({ _id: { $in: days } }).lean<DayMetrics[]>()
  const wanted = new Set(metrics)
  const values = new Map<string, number>()
  for (const doc of docs) if (doc) for (const [key, value] of Object.entries(doc.values)) if (wanted.has(key.slice(0, key.indexOf('|')))) values.set(`${doc._id}|${key}`, value)
  return values
}

/**
 * Moves metrics kept one document per (day, metric, dimension) into one document per day, then
 * drops the old collection; does nothing when there is none. A day folded since keeps its figures.
 */
export async function moveMetricRows(): Promise<number> {
  const db = mongoose.connection.db!
  if (!(await db.listCollections({ name: 'daily_metrics' }, { nameOnly: true }).toArray()).length) return 0
  const byDay = new Map<string, Record<string, number>>()
  for await (const row of db.collection<{ day: string; metric: string; dim: string; value: number }>('daily_metrics').find({})) {
    const values = byDay.get(row.day) ?? {}
    values[`${row.metric}|${row.dim}`] = row.value
    byDay.set(row.day, values)
  }
  await bulkUpdate(
    DayMetricsModel,
    [...byDay].map(([day, values]) => ({ updateOne: { filter: { _id: day }, update: { $setOnInsert: { values } }, upsert: true } })),
  )
  await db.collection('daily_metrics').drop()
  return byDay.size
}

/** Each sharer's card opens over `days`, summed (the days' `share_opens_by` lists). */
export async function shareOpensBySharer(days: readonly string[]): Promise<Map<string, number>> {
  const opensBy = new Map<string, number>()
  for (const entries of (await readDayLists('share_opens_by', days)).values()) {
    for (const entry of entries) {
      const [sharer, opens] = entry.split(':') as [string, string]
      opensBy.set(sharer, (opensBy.get(sharer) ?? 0) + Number(opens))
    }
  }
  return opensBy
}

/**
 * Moves each sharer's opens, kept before among a day's figures (`share_opens_by|<sharer>`, which
 * grew with the sharers), into the day's `share_opens_by` list; returns how many days it moved.
 */
export async function moveShareOpensBy(): Promise<number> {
  let moved = 0
  for await (const doc of DayMetricsModel.find({}).lean<DayMetrics>().cursor()) {
    const keys = Object.keys(doc.values).filter((key) => key.startsWith('share_opens_by|'))
    if (!keys.length) continue
    await saveDayList('share_opens_by', doc._id, keys.map((key) => `${key.slice('share_opens_by|'.length)}:${doc.values[key]}`))
    await DayMetricsModel.updateOne({ _id: doc._id }, { $unset: Object.fromEntries(keys.map((key) => [`values.${key}`, 1])) })
    moved++
  }
  return moved
}
