import { Schema, model } from 'mongoose'
import { bulkUpdate } from '../../db/bulk-update'
import { CHANNELS, addDays, type ActivityKind, type Channel, type EventName } from '@xianlin/shared'
import { MemberSet } from './member-set'

/**
 * Who did what on a business day: one document per (day, kind), `_id` `day|kind`, holding the
 * members as a bitmap of their member numbers (`MemberSet`), written by the daily fold with `$set`
 * from a recount (so reruns agree). Retention, funnels, tiers and the active-member trend are
 * counted from these sets, never from raw events.
 *
 * Why bitmaps read by `_id`: the embedded database answers no filter but `_id` from an index and
 * decodes every byte of what it reads. Sets of ObjectIds (24 hex characters a member) cost 8 ms
 * a day for 15,000 members; a bitmap of 100,000 members is 12.5 KB. Documents written before
 * (`ids`, a string of ids, or `users`, an array) are renumbered once by `numberOldSets`; until
 * then they read as empty.
 */
const DayMembersSchema = new Schema(
  {
    _id: { type: String, required: true },
    day: { type: String, required: true },
    kind: { type: String, required: true },
    bits: { type: Buffer },
    /** `register` sets only: each member's first-touch channel, one letter per member in ascending number order (CHANNEL_CODES). */
    channels: { type: String },
    ids: { type: String },
    users: { type: [Schema.Types.ObjectId], default: undefined },
  },
  { versionKey: false },
)
const DayMembersModel = model('DayMembers', DayMembersSchema, 'daily_member_sets')
type DayMembers = { _id: string; day: string; kind: string; bits?: { buffer: Uint8Array } | Uint8Array; channels?: string; ids?: string; users?: unknown[] }

/** The days someone registered on (`_id` the day): the days whose `register` sets the reports read. */
const RegistrationDayModel = model('RegistrationDay', new Schema({ _id: { type: String, required: true } }, { versionKey: false }), 'registration_days')

/** One letter per channel, in the `channels` string of a `register` set (`?`: not known, for members registered before channels were kept). */
const CHANNEL_CODES: Record<Channel | 'unknown', string> = { invite: 'i', share_card: 's', poster: 'p', leader: 'l', organic: 'o', unknown: '?' }
const CHANNEL_OF_CODE = new Map(([...CHANNELS, 'unknown'] as const).map((c) => [CHANNEL_CODES[c], c]))

function membersOf(doc: DayMembers): MemberSet {
  if (!doc.bits) return MemberSet.of([])
  return MemberSet.fromBytes(doc.bits instanceof Uint8Array ? doc.bits : doc.bits.buffer)
}

/** The day documents of `kinds` from `from` to `to`, each read by `_id` (days without one are absent). */
async function daySets(kinds: readonly ActivityKind[], from: string, to: string): Promise<DayMembers[]> {
  const ids: string[] = []
  for (let day = from; day <= to; day = addDays(day, 1)) for (const kind of kinds) ids.push(`${day}|${kind}`)
  const docs = await Promise.all(ids.map((id) => DayMembersModel.findById(id, { ids: 0, users: 0 }).lean<DayMembers>()))
  return docs.filter((d): d is DayMembers => d !== null)
}

/** The kinds an event counts towards besides `any` (every event of a member counts there). */
export const KINDS_OF_EVENT: Partial<Record<EventName, ActivityKind[]>> = {
  register: ['register'],
  visit: ['visit'],
  product_view: ['product_view'],
  group_open: ['group', 'order'],
  group_join: ['group', 'order'],
  solo_order: ['order'],
  payment: ['payment'],
  pickup: ['pickup'],
  checkin: ['checkin'],
}

/**
 * Replaces the day's sets with `sets` (kinds missing from it become empty, so a rebuild has no
 * leftovers); the `register` set keeps each member's channel from `channels` (organic if none).
 */
export async function saveDaySets(day: string, sets: ReadonlyMap<ActivityKind, MemberSet>, kinds: readonly ActivityKind[], channels: ReadonlyMap<number, Channel | 'unknown'> = new Map()): Promise<void> {
  await bulkUpdate(
    DayMembersModel,
    kinds.map((kind) => {
      const members = sets.get(kind) ?? MemberSet.of([])
      const channelCodes = kind === 'register' ? { channels: [...members].map((n) => CHANNEL_CODES[channels.get(n) ?? 'organic']).join('') } : {}
      return { updateOne: { filter: { _id: `${day}|${kind}` }, update: { $set: { day, kind, bits: Buffer.from(members.bytes()), ...channelCodes }, $unset: { ids: '', users: '' } }, upsert: true } }
    }),
  )
  if (!kinds.includes('register')) return
  if (sets.get('register')?.size) await noteRegistrationDays([day])
  else await RegistrationDayModel.deleteOne({ _id: day })
}

/** Notes `days` as days someone registered on. */
export async function noteRegistrationDays(days: readonly string[]): Promise<void> {
  await bulkUpdate(
    RegistrationDayModel,
    days.map((_id) => ({ updateOne: { filter: { _id }, update: { $setOnInsert: { _id } }, upsert: true } })),
  )
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
  for (const row of await daySets(kinds, from, to)) out.get(row.kind as ActivityKind)!.set(row.day, membersOf(row))
  return out
}

/**
 * The members who registered on each of `days` (their `register` sets, read by `_id`), with that
 * day and their first-touch channel.
 */
export async function registeredOn(days: readonly string[]): Promise<Map<number, { day: string; channel: Channel | 'unknown' }>> {
  const docs = await Promise.all(days.map((day) => DayMembersModel.findById(`${day}|register`, { ids: 0, users: 0 }).lean<DayMembers>()))
  const registered = new Map<number, { day: string; channel: Channel | 'unknown' }>()
  for (const doc of docs.filter((d): d is DayMembers => d !== null).sort((a, b) => (a.day < b.day ? -1 : 1))) {
    let i = 0
    membersOf(doc).forEach((n) => {
      if (!registered.has(n)) registered.set(n, { day: doc.day, channel: CHANNEL_OF_CODE.get(doc.channels?.[i] ?? '') ?? 'unknown' })
      i++
    })
  }
  return registered
}

/**
 * Rewrites sets kept before member numbers (ObjectIds in `ids` or `users`) as bitmaps, numbering
 * their members with `numbers` and taking channels from `channelsOf` where a register set has none.
 * Does nothing when there are none; returns how many sets it rewrote.
 */
export async function numberOldSets(
  numbers: (ids: readonly string[]) => Promise<Map<string, number>>,
  channelsOf: (ids: readonly string[]) => Promise<Map<string, Channel | 'unknown'>>,
): Promise<number> {
  const old = await DayMembersModel.find({ bits: { $exists: false } }).lean<DayMembers[]>()
  if (!old.length) return 0
  const idsOf = (doc: DayMembers) => (doc.ids !== undefined ? (doc.ids.match(/.{24}/g) ?? []) : (doc.users ?? []).map(String))
  const everyone = [...new Set(old.flatMap(idsOf))]
  const numberOf = await numbers(everyone)
  const registers = old.filter((d) => d.kind === 'register')
  const withoutChannels = registers.filter((d) => d.channels === undefined).flatMap(idsOf)
  const profileChannels = withoutChannels.length ? await channelsOf(withoutChannels) : new Map<string, Channel | 'unknown'>()
  for (const doc of old) {
    const ids = idsOf(doc).filter((id) => numberOf.has(id)) // the fold numbered every member it saw; one without a profile is no member
    const channels = new Map(ids.map((id, i) => [numberOf.get(id)!, doc.channels !== undefined ? (CHANNEL_OF_CODE.get(doc.channels[i] ?? '') ?? 'unknown') : (profileChannels.get(id) ?? 'unknown')]))
    await saveDaySets(doc.day, new Map([[doc.kind as ActivityKind, MemberSet.of(ids.map((id) => numberOf.get(id)!))]]), [doc.kind as ActivityKind], channels)
  }
  return old.length
}
