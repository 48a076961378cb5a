import { Schema, Types, model } from 'mongoose'
import { bulkUpdate } from '../../db/bulk-update'
import type { ActivityKind, EventName } from '@xianlin/shared'

/**
 * Who did what on a business day: one document per (day, kind) holding the members, written by
 * the daily fold with `$set` from a recount (so reruns agree). Retention, funnels and the
 * active-member trend are counted from these sets, never from raw events.
 */
const DayMembersSchema = new Schema(
  {
    _id: { type: String, required: true },
    day: { type: String, required: true },
    kind: { type: String, required: true },
    users: { type: [Schema.Types.ObjectId], default: [] },
  },
  { versionKey: false },
)
DayMembersSchema.index({ kind: 1, day: 1 })
const DayMembersModel = model('DayMembers', DayMembersSchema, 'daily_member_sets')

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

/** Replaces the day's sets with `sets` (kinds missing from it become empty, so a rebuild has no leftovers). */
export async function saveDaySets(day: string, sets: ReadonlyMap<ActivityKind, ReadonlySet<string>>, kinds: readonly ActivityKind[]): Promise<void> {
  await bulkUpdate(
    DayMembersModel,
    kinds.map((kind) => ({
      updateOne: {
        filter: { _id: `${day}|${kind}` },
        update: { $set: { day, kind, users: [...(sets.get(kind) ?? [])].map((id) => new Types.ObjectId(id)) } },
        upsert: true,
      },
    })),
  )
}

/** The members of `kind` per day from `from` to `to` (days without a set are absent). */
export async function membersByDay(kind: ActivityKind, from: string, to: string): Promise<Map<string, Set<string>>> {
  const rows = await DayMembersModel.find({ kind, day: { $gte: from, $lte: to } }, { day: 1, users: 1 }).lean()
  return new Map(rows.map((r) => [r.day, new Set(r.users.map(String))]))
}

/** Each member's days of `kind` between `from` and `to`, in order. */
export async function daysByMember(kind: ActivityKind, from: string, to: string): Promise<Map<string, string[]>> {
  return (await daysByMemberOfKinds([kind], from, to)).get(kind)!
}

/**
 * `daysByMember` for several kinds in one read: the embedded database reads and decodes every
 * day's sets for any such filter, so asking once per kind would pay that again for each.
 */
export async function daysByMemberOfKinds(kinds: readonly ActivityKind[], from: string, to: string): Promise<Map<ActivityKind, Map<string, string[]>>> {
  const rows = await DayMembersModel.find({ kind: { $in: kinds }, day: { $gte: from, $lte: to } }, { day: 1, kind: 1, users: 1 }).lean()
  rows.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
  const out = new Map(kinds.map((kind) => [kind, new Map<string, string[]>()]))
  for (const row of rows) {
    const byMember = out.get(row.kind as ActivityKind)!
    for (const user of row.users) {
      const days = byMember.get(String(user))
      if (days) days.push(row.day)
      else byMember.set(String(user), [row.day])
    }
  }
  return out
}
