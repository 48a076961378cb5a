import { Schema, model } from 'mongoose'
import { bulkUpdate } from '../../db/bulk-update'
import { CHANNELS, monthOf, type ActivityKind, type Channel, type EventName } from '@xianlin/shared'
import { MemberSet } from './member-set'
import { dayField, dayIn, monthsBetween } from './month-documents'

/**
 * Who did what on each business day, as a bitmap of member numbers (`MemberSet`) per day and
 * kind, written by the daily fold with `$set` from a recount (so reruns agree). Retention,
 * funnels, tiers and the active-member trend are counted from these sets, never from raw events.
 *
 * Stored one document per (month, kind, range of 500,000 member numbers), `_id` `YYYY-MM|kind`
 * for the first range and `YYYY-MM|kind|r` for range r, a day's part of the set in `days.DD`,
 * because of how the embedded database answers: by `_id` only from an index, about 1 ms a command,
 * decoding every byte it reads. A report over 37 days of 5 kinds reads 10 documents, not 185; a
 * bitmap of 100,000 members is 12.5 KB whoever is in it (their ObjectIds would be 24 bytes each);
 * and no document outgrows its bound: a range's month is at most 31 bitmaps of 62.5 KB, plus one
 * channel letter per member registered in it. Sets kept before (one document per day and kind,
 * as ObjectIds in `ids` or `users`, or as `bits`) are moved here once by `moveDaySets`; until
 * then they are not read.
 */
const MonthMembersSchema = new Schema(
  {
    _id: { type: String, required: true },
    month: { type: String, required: true },
    kind: { type: String, required: true },
    /** `DD` → that day's bitmap. */
    days: { type: Schema.Types.Mixed, default: {} },
    /** `register` sets only: `DD` → each member's first-touch channel, one letter per member in ascending number order (CHANNEL_CODES). */
    channels: { type: Schema.Types.Mixed },
    /** The first range's document only: how many ranges the month's sets of this kind span. */
    ranges: { type: Number },
  },
  { versionKey: false, minimize: false },
)
const MonthMembersModel = model('MonthMembers', MonthMembersSchema, 'monthly_member_sets')
type Bytes = { buffer: Uint8Array } | Uint8Array
type MonthMembers = { _id: string; month: string; kind: string; days?: Record<string, Bytes>; channels?: Record<string, string>; ranges?: number }

/** Member numbers per document range (a multiple of 8: a range starts on a byte of the bitmap). */
export const MEMBERS_PER_RANGE = 500_000
const BYTES_PER_RANGE = MEMBERS_PER_RANGE / 8
const rangeId = (month: string, kind: string, range: number) => (range === 0 ? `${month}|${kind}` : `${month}|${kind}|${range}`)
const bytesOf = (bytes: Bytes | undefined): Uint8Array | undefined => (bytes === undefined ? undefined : bytes instanceof Uint8Array ? bytes : bytes.buffer)

/** The days someone registered on (`_id` the day): the days whose `register` sets the reports read. */
const RegistrationDayModel = model('RegistrationDay', new Schema({ _id: { type: String, required: true } }, { versionKey: false }), 'registration_days')

/** One letter per channel, in the `channels` string of a `register` set (`?`: not known, for members registered before channels were kept). */
const CHANNEL_CODES: Record<Channel | 'unknown', string> = { invite: 'i', share_card: 's', poster: 'p', leader: 'l', organic: 'o', unknown: '?' }
const CHANNEL_OF_CODE = new Map(([...CHANNELS, 'unknown'] as const).map((c) => [CHANNEL_CODES[c], c]))

const setOf = (bytes: Bytes | undefined) => (bytes ? MemberSet.fromBytes(bytes instanceof Uint8Array ? bytes : bytes.buffer) : MemberSet.of([]))

/** Each day's set of each of `kinds` from `from` to `to`, as `{ day, kind, members, channels }` (days without a set are absent). */
async function daySets(kinds: readonly ActivityKind[], from: string, to: string): Promise<Array<{ day: string; kind: ActivityKind; members: MemberSet; channels?: string }>> {
  const firsts = await MonthMembersModel.find({ _id: { $in: monthsBetween(from, to).flatMap((month) => kinds.map((kind) => rangeId(month, kind, 0))) } }).lean<MonthMembers[]>()
  const moreIds = firsts.flatMap((doc) => Array.from({ length: (doc.ranges ?? 1) - 1 }, (_, i) => rangeId(doc.month, doc.kind, i + 1)))
  const more = new Map((moreIds.length ? await MonthMembersModel.find({ _id: { $in: moreIds } }).lean<MonthMembers[]>() : []).map((doc) => [doc._id, doc]))
  const out: Array<{ day: string; kind: ActivityKind; members: MemberSet; channels?: string }> = []
  for (const first of firsts) {
    const ranges = [first, ...Array.from({ length: (first.ranges ?? 1) - 1 }, (_, i) => more.get(rangeId(first.month, first.kind, i + 1)))]
    for (const date of Object.keys(first.days ?? {})) {
      const day = `${first.month}-${date}`
      if (day < from || day > to) continue
      const parts = ranges.map((doc) => bytesOf(dayIn(doc?.days, day)))
      const channels = ranges.map((doc) => dayIn(doc?.channels, day))
      out.push({ day, kind: first.kind as ActivityKind, members: MemberSet.fromBytes(joinRanges(parts)), channels: channels.some((c) => c !== undefined) ? channels.join('') : undefined })
    }
  }
  return out.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
}

/** One bitmap from its ranges' parts, each placed at its range's first byte. */
function joinRanges(parts: ReadonlyArray<Uint8Array | undefined>): Uint8Array {
  if (parts.length === 1) return parts[0] ?? new Uint8Array(0)
  let last = -1
  parts.forEach((part, r) => {
    if (part?.length) last = r
  })
  if (last < 0) return new Uint8Array(0)
  const bits = new Uint8Array(last * BYTES_PER_RANGE + parts[last]!.length)
  parts.forEach((part, r) => part && r <= last && bits.set(part, r * BYTES_PER_RANGE))
  return bits
}

/** The kinds an event counts towards besides `any` (every event of a member counts there). */
export const KINDS_OF_EVENT: Partial<Record<EventName, ActivityKind[]>> = {
  register: ['register'],
  visit: ['visit'],
  product_view: ['product_view'],
  group_open: ['group', 'order'],
  group_join: ['group', 'order'],
  solo_order: ['order'],
  add_to_cart: ['cart'],
  basket_order: ['order'],
  payment: ['payment'],
  pickup: ['pickup'],
  checkin: ['checkin'],
}

/**
 * Replaces the day's sets with `sets` (kinds missing from it become empty, so a rebuild has no
 * leftovers); the `register` set keeps each member's channel from `channels` (organic if none).
 */
export async function saveDaySets(day: string, sets: ReadonlyMap<ActivityKind, MemberSet>, kinds: readonly ActivityKind[], channels: ReadonlyMap<number, Channel | 'unknown'> = new Map()): Promise<void> {
  const month = monthOf(day)
  // Ranges an earlier fold of the month wrote beyond this one's are cleared for the day.
  const known = new Map((await MonthMembersModel.find({ _id: { $in: kinds.map((kind) => rangeId(month, kind, 0)) } }, { kind: 1, ranges: 1 }).lean<MonthMembers[]>()).map((doc) => [doc.kind, doc.ranges ?? 1]))
  const writes: Parameters<typeof MonthMembersModel.bulkWrite>[0] = []
  for (const kind of kinds) {
    const bits = (sets.get(kind) ?? MemberSet.of([])).bytes()
    const ranges = Math.max(1, Math.ceil(bits.length / BYTES_PER_RANGE))
    const codes = kind === 'register' ? channelCodesByRange(sets.get(kind) ?? MemberSet.of([]), channels, ranges) : undefined
    for (let r = 0; r < ranges; r++) {
      const part = Buffer.from(bits.subarray(r * BYTES_PER_RANGE, (r + 1) * BYTES_PER_RANGE))
      const update = { $set: { month, kind, [dayField(day)]: part, ...(codes ? { [dayField(day, 'channels')]: codes[r] } : {}) }, ...(r === 0 ? { $max: { ranges } } : {}) }
      writes.push({ updateOne: { filter: { _id: rangeId(month, kind, r) }, update, upsert: true } })
    }
    for (let r = ranges; r < (known.get(kind) ?? 1); r++) writes.push({ updateOne: { filter: { _id: rangeId(month, kind, r) }, update: { $unset: { [dayField(day)]: 1, [dayField(day, 'channels')]: 1 } } } })
  }
  await bulkUpdate(MonthMembersModel, writes)
  if (!kinds.includes('register')) return
  if (sets.get('register')?.size) await RegistrationDayModel.updateOne({ _id: day }, { $setOnInsert: { _id: day } }, { upsert: true })
  else await RegistrationDayModel.deleteOne({ _id: day })
}

/** Each range's channel letters of the `register` set's members, in ascending number order. */
function channelCodesByRange(members: MemberSet, channels: ReadonlyMap<number, Channel | 'unknown'>, ranges: number): string[] {
  const codes: string[][] = Array.from({ length: ranges }, () => [])
  members.forEach((n) => codes[Math.floor(n / MEMBERS_PER_RANGE)]!.push(CHANNEL_CODES[channels.get(n) ?? 'organic']))
  return codes.map((letters) => letters.join(''))
}

/** The days up to `to` someone registered on, in order (one read of a small collection). */
export async function registrationDays(to: string): Promise<string[]> {
  return (await RegistrationDayModel.find({ _id: { $lte: to } }).lean<Array<{ _id: string }>>()).map((d) => d._id).sort()
}

/** The members of `kind` per day from `from` to `to` (days without a set are absent). */
export async function membersByDay(kind: ActivityKind, from: string, to: string): Promise<Map<string, MemberSet>> {
  return (await membersByDayOfKinds([kind], from, to)).get(kind)!
}

/** `membersByDay` for several kinds at once. */
export async function membersByDayOfKinds(kinds: readonly ActivityKind[], from: string, to: string): Promise<Map<ActivityKind, Map<string, MemberSet>>> {
  const out = new Map(kinds.map((kind) => [kind, new Map<string, MemberSet>()]))
  for (const row of await daySets(kinds, from, to)) out.get(row.kind)!.set(row.day, row.members)
  return out
}

/**
 * The members who registered on each of `days` (their `register` sets, read by `_id`), with that
 * day and their first-touch channel.
 */
export async function registeredOn(days: readonly string[]): Promise<Map<number, { day: string; channel: Channel | 'unknown' }>> {
  const registered = new Map<number, { day: string; channel: Channel | 'unknown' }>()
  for (const set of await registerSetsOn(days)) {
    let i = 0
    set.members.forEach((n) => {
      if (!registered.has(n)) registered.set(n, { day: set.day, channel: CHANNEL_OF_CODE.get(set.channels?.[i] ?? '') ?? 'unknown' })
      i++
    })
  }
  return registered
}

/** The `register` sets of `days`, oldest first (with each member's channel code). */
export async function registerSetsOn(days: readonly string[]): Promise<Array<{ day: string; members: MemberSet; channels?: string }>> {
  if (!days.length) return []
  const wanted = new Set(days)
  const sorted = [...days].sort()
  return (await daySets(['register'], sorted[0]!, sorted[sorted.length - 1]!)).filter((set) => wanted.has(set.day))
}

/**
 * Moves sets kept one document per day and kind (`daily_member_sets`) into their months, then
 * drops that collection: sets of ObjectIds (`ids`, `users`) have their members numbered with
 * `numbers`, and register sets without channels take them from `channelsOf`; sets of numbers
 * (`bits`) move as they are. Does nothing when there are none; returns how many sets it moved.
 */
export async function moveDaySets(
  numbers: (ids: readonly string[]) => Promise<Map<string, number>>,
  channelsOf: (ids: readonly string[]) => Promise<Map<string, Channel | 'unknown'>>,
): Promise<number> {
  type DaySet = { day: string; kind: ActivityKind; bits?: Bytes; ids?: string; users?: unknown[]; channels?: string }
  const db = MonthMembersModel.db.db!
  if (!(await db.listCollections({ name: 'daily_member_sets' }, { nameOnly: true }).toArray()).length) return 0
  const old = await db.collection<DaySet>('daily_member_sets').find({}).toArray()
  const idsOf = (doc: DaySet) => (doc.ids !== undefined ? (doc.ids.match(/.{24}/g) ?? []) : (doc.users ?? []).map(String))
  const byIds = old.filter((d) => d.bits === undefined)
  const numberOf = await numbers([...new Set(byIds.flatMap(idsOf))])
  const withoutChannels = byIds.filter((d) => d.kind === 'register' && d.channels === undefined).flatMap(idsOf)
  const profileChannels = withoutChannels.length ? await channelsOf(withoutChannels) : new Map<string, Channel | 'unknown'>()
  for (const doc of old) {
    let members: MemberSet
    const channels = new Map<number, Channel | 'unknown'>()
    const channelOf = (i: number) => CHANNEL_OF_CODE.get(doc.channels?.[i] ?? '') ?? 'unknown'
    if (doc.bits !== undefined) {
      members = setOf(doc.bits)
      ;[...members].forEach((n, i) => channels.set(n, channelOf(i)))
    } else {
      // The fold numbered every member it saw; one without a profile is no member and is left out.
      const numbered = idsOf(doc).map((id, i) => ({ n: numberOf.get(id), channel: doc.channels !== undefined ? channelOf(i) : (profileChannels.get(id) ?? 'unknown') }))
      for (const { n, channel } of numbered) if (n !== undefined) channels.set(n, channel)
      members = MemberSet.of(channels.keys())
    }
    await saveDaySets(doc.day, new Map([[doc.kind, members]]), [doc.kind], channels)
  }
  await db.collection('daily_member_sets').drop()
  return old.length
}
