import { createHash } from 'node:crypto'
import { Schema, Types, model } from 'mongoose'
import { addDays, startOfBusinessDay, type Channel, type EventName } from '@xianlin/shared'
import { devShopperOpenid } from '../auth/demo-accounts'
import { existingUserIds, importMembers } from '../users/users.service'
import { insertNew, type StoredEvent } from './event.model'
import { foldDay, rollupDay, type FoldedEvent } from './daily-metrics'
import { profilesInMemory } from './member-profiles'
import { seededRandom } from '../../lib/seeded-random'

/**
 * Synthetic history for the demo and the benchmarks (#16): members who register on a rising
 * curve through the five channels, visit, view, check in by habit, buy in groups, pick up, and
 * drift away after a lifetime of their own. Written straight as events (the shape the emitters
 * write), then folded day by day like real ones, so every report has something to show.
 * Deterministic: the same options give the same members and events (ids derive from them), so
 * a second run adds nothing.
 */
export interface HistoryOptions {
  members: number
  days: number
  /** The last day of history (usually yesterday). */
  endDay: string
  timeZone: string
  seed?: number
  /** The group-buy activities members open and join (the demo's own); made-up ones otherwise. */
  activities?: Array<{ id: string; sizes: number[] }>
  /**
   * Members numbered from this one on registered in the history's first three weeks and never
   * came back: a shop's long tail. The bench's scale section adds them to compare two sizes of
   * membership with the same daily activity.
   */
  dormantFrom?: number
}

/** The days at the start of a history in which its dormant members registered. */
const DORMANT_DAYS = 21

const MarkerModel = model('SyntheticHistory', new Schema({ _id: String, members: Number, days: Number, endDay: String, events: Number, at: Date }, { versionKey: false }), 'synthetic_history')

const idOf = (text: string) => new Types.ObjectId(createHash('sha256').update(text).digest().subarray(0, 12))
const CHANNEL_SHARE: Array<[Channel, number]> = [
  ['invite', 0.3],
  ['share_card', 0.2],
  ['poster', 0.1],
  ['leader', 0.15],
  ['organic', 0.25],
]

interface SyntheticEvent {
  _id: Types.ObjectId
  userId: Types.ObjectId
  name: EventName
  props: Record<string, unknown>
  at: Date
  day: string
}

const memberId = (i: number, o: HistoryOptions) => idOf(`synthetic:${o.seed ?? 1}:member:${i}`)

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高'
const GIVEN = ['芳', '静', '敏', '丽', '强', '磊', '洋', '艳', '军', '杰', '娟', '涛', '超', '霞', '平', '刚', '桂兰', '建华', '晓红', '雪梅', '志强', '海燕', '玉兰', '春梅', '德明']
/**
 * A synthetic member's nickname: a common name and a number, unique within the history. Their
 * openid is the development login's for that nickname, so where that login is on (the demo) one
 * can sign in as any synthetic member by typing their nickname.
 */
export function syntheticNickname(i: number): string {
  const name = SURNAMES[i % SURNAMES.length]! + GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]!
  return `${name}${String(Math.floor(i / (SURNAMES.length * GIVEN.length)) + 1).padStart(2, '0')}`
}

/** Every event of one synthetic member (and their friends' opening their shares), day by day. */
export function* memberEvents(i: number, o: HistoryOptions): Generator<SyntheticEvent> {
  const rnd = seededRandom((o.seed ?? 1) * 1_000_003 + i)
  const userId = memberId(i, o)
  const firstDay = addDays(o.endDay, -(o.days - 1))
  const dormant = o.dormantFrom !== undefined && i >= o.dormantFrom
  // More members join later in the range (sqrt skews towards the end): a shop that grows.
  const regIndex = dormant ? Math.floor(rnd() * Math.min(DORMANT_DAYS, o.days)) : Math.min(o.days - 1, Math.floor(Math.sqrt(rnd()) * o.days))
  let pick = rnd()
  const channel: Channel = CHANNEL_SHARE.find(([, share]) => (pick -= share) < 0)?.[0] ?? 'organic'
  const habit = 0.05 + 0.65 * rnd() ** 2 // how often they come while they still care
  const checker = rnd() < 0.4
  const lifetime = Math.ceil(-Math.log(1 - rnd()) * 45) // days until they drift away
  let n = 0
  const event = (name: EventName, day: string, minute: number, props: Record<string, unknown>): SyntheticEvent => ({
    _id: idOf(`synthetic:${o.seed ?? 1}:member:${i}:event:${n++}`),
    userId,
    name,
    props,
    at: new Date(startOfBusinessDay(day, o.timeZone).getTime() + minute * 60_000),
    day,
  })
  const activities = o.activities?.length ? o.activities : [0, 1, 2, 3, 4, 5].map((n) => ({ id: idOf(`synthetic:activity:${n}`).toHexString(), sizes: [2, 5] }))
  const pickups: Array<{ day: string; orderId: string }> = []
  let streak = 0
  let lastCheckin = -2
  for (let d = regIndex; d < o.days; d++) {
    const day = addDays(firstDay, d)
    const since = d - regIndex
    let minute = 8 * 60 + Math.floor(rnd() * 13 * 60) // between 08:00 and 21:00
    const next = () => (minute = Math.min(minute + 1 + Math.floor(rnd() * 5), 24 * 60 - 1))
    if (since === 0) {
      yield event('visit', day, minute, { page: 'home' }) // what the mini-program's home page reports
      yield event('register', day, next(), { source: 'wechat', channel })
      if (dormant) return
    } else {
      const caring = since <= lifetime ? habit : 0.02
      if (rnd() >= caring) {
        for (const p of pickups.filter((p) => p.day === day)) yield event('pickup', day, next(), { orderId: p.orderId, at: rnd() < 0.6 ? 'leader' : 'store' })
        continue
      }
      yield event('visit', day, minute, { page: 'home' })
    }
    if (checker && since <= lifetime) {
      streak = lastCheckin === d - 1 ? streak + 1 : 1
      lastCheckin = d
      yield event('checkin', day, next(), { day, cycleDay: 1 + ((streak - 1) % 7), streak })
    }
    const views = rnd() < 0.6 ? 1 + Math.floor(rnd() * 3) : 0
    for (let v = 0; v < views; v++) yield event('product_view', day, next(), { productId: idOf(`synthetic:product:${Math.floor(rnd() * 24)}`).toHexString() })
    if (views && rnd() < 0.25) {
      const groupId = idOf(`synthetic:${o.seed ?? 1}:group:${i}:${d}`).toHexString()
      const activity = activities[Math.floor(rnd() * activities.length)]!
      const opening = rnd() < 0.4
      yield event(opening ? 'group_open' : 'group_join', day, next(), { activityId: activity.id, groupId })
      if (opening) {
        // The group's end, from its opener's side: most fill within hours, some expire.
        const size = activity.sizes[Math.floor(rnd() * activity.sizes.length)]!
        const facts = { groupId, activityId: activity.id, size }
        if (rnd() < 0.75) {
          const openMinutes = 5 + Math.floor(rnd() * 600)
          yield event('group_success', day, Math.min(minute + openMinutes, 24 * 60 - 1), { ...facts, openMinutes, autoFilled: size > 2 && rnd() < 0.2 })
        } else yield event('group_fail', day, Math.min(minute + 1, 24 * 60 - 1), { ...facts, openMinutes: 24 * 60 })
      }
      if (rnd() < 0.8) {
        const orderId = idOf(`synthetic:${o.seed ?? 1}:order:${i}:${d}`).toHexString()
        yield event('payment', day, next(), { orderId, fen: 990 + 100 * Math.floor(rnd() * 120) })
        if (rnd() < 0.9) pickups.push({ day: addDays(day, 1 + Math.floor(rnd() * 3)), orderId })
      }
    }
    if (rnd() < 0.05) {
      yield event('share', day, next(), { page: 'pages/groupbuy/index', targetId: null })
      // Often a friend opens it: another member of the history, the opener of the event.
      if (rnd() < 0.6) yield { ...event('share_open', day, next(), { shareId: idOf(`synthetic:${o.seed ?? 1}:share:${i}:${d}`).toHexString(), sharerId: userId.toHexString() }), userId: memberId((i + 1 + Math.floor(rnd() * 50)) % o.members, o) }
    }
    for (const p of pickups.filter((p) => p.day === day)) yield event('pickup', day, next(), { orderId: p.orderId, at: rnd() < 0.6 ? 'leader' : 'store' })
  }
}

/**
 * Writes the history's events (a batch at a time; ones already there are skipped) and, with
 * `fold`, folds each day from the events in hand rather than reading them back. The members'
 * profiles are kept in memory for every day but the last and written once; the last day's
 * events are written only then and folded through the database like any day, because the
 * rollup job folds yesterday meanwhile: until then it finds no member of the history to touch.
 */
export async function writeSyntheticHistory(o: HistoryOptions, opts: { fold: boolean; onProgress?: (members: number, events: number) => void }): Promise<number> {
  const byDay = new Map<string, FoldedEvent[]>()
  // Events wait per day (each day has its own collection) until a day has a batch's worth.
  const pending = new Map<string, StoredEvent[]>()
  let members: Array<{ _id: Types.ObjectId; openid: string; nickname: string; createdAt: Date }> = []
  let written = 0
  // Asked once: the embedded database answers it by scanning every user, whatever the ids.
  const known = await existingUserIds(Array.from({ length: o.members }, (_, i) => memberId(i, o)))
  const flush = async (minimum: number, lastDayToo = false) => {
    if (members.length) {
      await importMembers(members.filter((m) => !known.has(String(m._id))))
      members = []
    }
    for (const [day, events] of pending) {
      if (events.length < minimum || (day === o.endDay && !lastDayToo)) continue
      await insertNew(day, events)
      written += events.length
      pending.delete(day)
    }
  }
  for (let i = 0; i < o.members; i++) {
    for (const e of memberEvents(i, o)) {
      const sameDay = pending.get(e.day)
      if (sameDay) sameDay.push({ ...e, tier: null })
      else pending.set(e.day, [{ ...e, tier: null }])
      if (e.name === 'register') {
        const nickname = syntheticNickname(i)
        members.push({ _id: e.userId, openid: devShopperOpenid(nickname), nickname, createdAt: e.at })
      }
      if (!opts.fold) continue
      const toFold = byDay.get(e.day)
      if (toFold) toFold.push(e)
      else byDay.set(e.day, [e])
    }
    if (members.length >= 1000) await flush(2000)
    if (opts.onProgress && (i + 1) % 10_000 === 0) opts.onProgress(i + 1, written)
  }
  await flush(1)
  if (opts.fold) {
    const profiles = await profilesInMemory()
    for (let day = addDays(o.endDay, -(o.days - 1)); day < o.endDay; day = addDays(day, 1)) await foldDay(day, byDay.get(day) ?? [], profiles)
    await profiles.flush()
  }
  await flush(1, true)
  if (opts.fold) await foldDay(o.endDay, byDay.get(o.endDay) ?? [])
  return written
}

/** Folds every day from `from` to `to` again from its stored events; returns the events read. */
export async function rebuildDays(from: string, to: string, onDay?: (day: string, events: number, ms: number) => void): Promise<number> {
  let total = 0
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const started = Date.now()
    const events = await rollupDay(day)
    onDay?.(day, events, Date.now() - started)
    total += events
  }
  return total
}

/**
 * The demo's history, once per database: written and folded unless a history was made before.
 * Returns null when there was one already.
 */
export async function ensureSyntheticHistory(o: HistoryOptions): Promise<{ events: number } | null> {
  if (await MarkerModel.exists({ _id: 'demo' })) return null
  const events = await writeSyntheticHistory(o, { fold: true })
  await MarkerModel.updateOne({ _id: 'demo' }, { $set: { members: o.members, days: o.days, endDay: o.endDay, events, at: new Date() } }, { upsert: true })
  return { events }
}
