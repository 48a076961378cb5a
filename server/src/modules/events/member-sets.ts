import { Schema, model } from 'mongoose'
import { bulkUpdate } from '../../db/bulk-update'
import { CHANNELS, addDays, type ActivityKind, type Channel, type EventName } from '@xianlin/shared'

/**
 * Who did what on a business day: one document per (day, kind), `_id` `day|kind`, holding the
 * members as their 24-character hex ids run together in one string, written by the daily fold
 * with `$set` from a recount (so reruns agree). Retention, funnels and the active-member trend
 * are counted from these sets, never from raw events.
 *
 * Why a string and reads by `_id`: the embedded database decodes each array element as a
 * document of its own and answers no filter but `_id` from an index, so an array of ids per set,
 * read by a range of days, decoded every set of every day for each report (1.3–2.9 s at 100,000
 * members). Documents written before hold `users`, an array; they are read as they are.
 */
const DayMembersSchema = new Schema(
  {
    _id: { type: String, required: true },
    day: { type: String, required: true },
    kind: { type: String, required: true },
    ids: { type: String },
    /** `register` sets only: each member's first-touch channel, one letter per member in `ids` order (CHANNEL_CODES). */
    channels: { type: String },
    users: { type: [Schema.Types.ObjectId], default: undefined },
  },
  { versionKey: false },
)
const DayMembersModel = model('DayMembers', DayMembersSchema, 'daily_member_sets')
type DayMembers = { _id: string; day: string; kind: string; ids?: string; channels?: string; users?: unknown[] }

const ID_LENGTH = 24
/** One letter per channel, in the `channels` string of a `register` set. */
const CHANNEL_CODES: Record<Channel, string> = { invite: 'i', share_card: 's', poster: 'p', leader: 'l', organic: 'o' }
const CHANNEL_OF_CODE = new Map(CHANNELS.map((c) => [CHANNEL_CODES[c], c]))

function membersOf(doc: DayMembers): string[] {
  if (doc.ids === undefined) return (doc.users ?? []).map(String)
  const out: string[] = []
  for (let i = 0; i < doc.ids.length; i += ID_LENGTH) out.push(doc.ids.slice(i, i + ID_LENGTH))
  return out
}

/** The day documents of `kinds` from `from` to `to`, each read by `_id` (days without one are absent). */
async function daySets(kinds: readonly ActivityKind[], from: string, to: string): Promise<DayMembers[]> {
  const ids: string[] = []
  for (let day = from; day <= to; day = addDays(day, 1)) for (const kind of kinds) ids.push(`${day}|${kind}`)
  const docs = await Promise.all(ids.map((id) => DayMembersModel.findById(id).lean<DayMembers>()))
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
export async function saveDaySets(day: string, sets: ReadonlyMap<ActivityKind, ReadonlySet<string>>, kinds: readonly ActivityKind[], channels: ReadonlyMap<string, Channel> = new Map()): Promise<void> {
  await bulkUpdate(
    DayMembersModel,
    kinds.map((kind) => {
      const members = [...(sets.get(kind) ?? [])]
      if (members.some((id) => id.length !== ID_LENGTH)) throw new Error(`member ids of ${day}|${kind} are not all ObjectIds`)
      const channelCodes = kind === 'register' ? { channels: members.map((id) => CHANNEL_CODES[channels.get(id) ?? 'organic']).join('') } : {}
      return { updateOne: { filter: { _id: `${day}|${kind}` }, update: { $set: { day, kind, ids: members.join(''), ...channelCodes }, $unset: { users: '' } }, upsert: true } }
    }),
  )
}

/** The members of `kind` per day from `from` to `to` (days without a set are absent). */
export async function membersByDay(kind: ActivityKind, from: string, to: string): Promise<Map<string, Set<string>>> {
  return new Map((await daySets([kind], from, to)).map((r) => [r.day, new Set(membersOf(r))]))
}

/** Each member's days of `kind` between `from` and `to`, in order. */
export async function daysByMember(kind: ActivityKind, from: string, to: string): Promise<Map<string, string[]>> {
  return (await daysByMemberOfKinds([kind], from, to)).get(kind)!
}

/** `daysByMember` for several kinds at once. */
export async function daysByMemberOfKinds(kinds: readonly ActivityKind[], from: string, to: string): Promise<Map<ActivityKind, Map<string, string[]>>> {
  const rows = await daySets(kinds, from, to) // in day order
  const out = new Map(kinds.map((kind) => [kind, new Map<string, string[]>()]))
  for (const row of rows) {
    const byMember = out.get(row.kind as ActivityKind)!
    for (const user of membersOf(row)) {
      const days = byMember.get(user)
      if (days) days.push(row.day)
      else byMember.set(user, [row.day])
    }
  }
  return out
}

/**
 * The members who registered on each of `days` (their `register` sets, read by `_id`), with that
 * day and their first-touch channel (null in sets written before channels were kept).
 */
export async function registeredOn(days: readonly string[]): Promise<Map<string, { day: string; channel: Channel | null }>> {
  const docs = await Promise.all(days.map((day) => DayMembersModel.findById(`${day}|register`).lean<DayMembers>()))
  const registered = new Map<string, { day: string; channel: Channel | null }>()
  for (const doc of docs.filter((d): d is DayMembers => d !== null).sort((a, b) => (a.day < b.day ? -1 : 1))) {
    membersOf(doc).forEach((user, i) => {
      if (!registered.has(user)) registered.set(user, { day: doc.day, channel: CHANNEL_OF_CODE.get(doc.channels?.[i] ?? '') ?? null })
    })
  }
  return registered
}
