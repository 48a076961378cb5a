import { Schema, Types, model } from 'mongoose'
import { bulkUpdate } from '../../db/bulk-update'
import { isDuplicateKeyError } from '../../db/errors'
import { TimeSlice } from '../../lib/time-slice'
import { REFERRAL_CHANNELS, addDays, type Channel, type LifecycleTier } from '@xianlin/shared'
import { formatPaidEntries, parsePaidEntries, type PaidTotals } from './member-payments'
import { readByIds } from '../../db/read-by-ids'

/**
 * Per-member growth profile, kept by the daily fold: when the member registered and through
 * which channel, first and last active day, first and last paid day (written with `$min`/`$max`,
 * and `$set` of the registration, which never changes, so folds of different days in any order
 * converge on the same profile), and orders and amount paid in the 30, 90 and 180 days ending
 * `windowsAsOf` (the latest day folded into them), from the member's own paid days (`paidDays`).
 */
/** The rolling windows of a member's orders and amount paid, in days (DESIGN.md's 30/90/180). */
export const PAID_WINDOWS = [30, 90, 180] as const
const LONGEST = PAID_WINDOWS[PAID_WINDOWS.length - 1]

const MemberProfileSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    registeredDay: { type: String },
    channel: { type: String },
    firstActiveDay: { type: String },
    lastActiveDay: { type: String },
    firstPaidDay: { type: String },
    lastPaidDay: { type: String },
    /** The member's number: small, dense, given once by the first fold that sees them (`numberMembers`); day sets are bitmaps of these. */
    no: { type: Number },
    /** The member's lifecycle tier as last stamped (`stampTiers`): what their events carry. */
    tier: { type: String },
    /** Their paid days of the last 180: `YYYY-MM-DD:orders:fen` separated by spaces (one string: cheap for the embedded database to read). */
    paidDays: { type: String },
    windowsAsOf: { type: String },
    ...Object.fromEntries(PAID_WINDOWS.flatMap((w) => [[`orders${w}`, Number], [`paidFen${w}`, Number]])),
  },
  { versionKey: false },
)
MemberProfileSchema.index({ lastActiveDay: 1 })
MemberProfileSchema.index({ no: 1 })
const MemberProfileModel = model('MemberProfile', MemberProfileSchema, 'member_profiles')
/** Members per tier stamp: a byte each, so a stamp document stays under half a megabyte. */
const MEMBERS_PER_STAMP = 500_000
/** The tiers last stamped on profiles (`stampTiers`), a byte per member number, a document per range of numbers (`_id` the range). */
const TierStampModel = model('TierStamp', new Schema({ _id: { type: Number, required: true }, tiers: { type: Buffer, required: true } }, { versionKey: false }), 'member_tier_stamps')
type TierStamp = { _id: number; tiers: Uint8Array | { buffer: Uint8Array } }
/** The next member number (one document). */
const MemberNumberCounterModel = model('MemberNumberCounter', new Schema({ _id: { type: String, required: true }, next: { type: Number, required: true } }, { versionKey: false }), 'member_number_counter')

type Windows = { windowsAsOf: string; orders30: number; paidFen30: number; orders90: number; paidFen90: number; orders180: number; paidFen180: number }
type Profile = { _id: Types.ObjectId; no?: number; tier?: string; registeredDay?: string; channel?: string; firstActiveDay?: string; lastActiveDay?: string; firstPaidDay?: string; lastPaidDay?: string; paidDays?: string } & Partial<Windows>

const CHUNK = 1000

/** One change a fold makes to a member's profile (by `_id`; `$set`, `$min`, `$max`, maybe creating it). */
type ProfileWrite = {
  updateOne: { filter: { _id: Types.ObjectId }; update: { $set?: Partial<Profile>; $min?: Partial<Record<DayField, string>>; $max?: Partial<Record<DayField, string>> }; upsert?: boolean }
}
type DayField = 'firstActiveDay' | 'lastActiveDay' | 'firstPaidDay' | 'lastPaidDay'

/**
 * Where a fold reads and writes member profiles: the database (every fold of real events), or
 * memory while a synthetic history is folded day after day (`profilesInMemory`).
 */
export interface ProfileStore {
  /** The profiles of `ids` that exist. */
  read(ids: readonly Types.ObjectId[]): Promise<Map<string, Profile>>
  write(writes: ProfileWrite[]): Promise<void>
  /** Numbers those of `ids` who have a profile and no number; returns the number of each of `ids` who has one. */
  number(ids: readonly string[]): Promise<Map<string, number>>
}

export const profilesInDatabase: ProfileStore = {
  // By id, a thousand a read: a day costs what its members do, however many members there are.
  async read(ids) {
    return new Map((await readByIds<Profile>(MemberProfileModel, ids)).map((p) => [String(p._id), p]))
  },
  write: async (writes) => void (await bulkUpdate(MemberProfileModel, writes)),
  number: (ids) => numberMembers(ids),
}

/**
 * Folds one day into the profiles of its active members and of those whose paid windows it
 * moves (members who paid 30, 90 or 180 days before: `leaving`); only profiles the day changes
 * are written. Returns how many of the day's payers had paid on an earlier day (repurchases), and
 * how many paid for the first time having come through a friend (invite, share card, poster,
 * leader link), as the profiles knew before this fold (days are folded in order: every earlier day),
 * and the number of each active member (numbering those seen for the first time).
 */
export async function foldProfiles(
  day: string,
  active: ReadonlySet<string>,
  paidBy: ReadonlyMap<string, PaidTotals>,
  registered: ReadonlyMap<string, Channel>,
  leaving: ReadonlySet<string> = new Set(),
  store: ProfileStore = profilesInDatabase,
): Promise<{ repeatPayers: number; referredFirstPayers: number; numbers: Map<string, number> }> {
  const ids = [...new Set([...active, ...leaving])].map((id) => new Types.ObjectId(id))
  let repeatPayers = 0
  let referredFirstPayers = 0
  const numbers = new Map<string, number>()
  const unnumbered: string[] = []
  const known = await store.read(ids)
  const writes: ProfileWrite[] = []
  const slice = new TimeSlice()
  for (const _id of ids) {
    if (slice.due) await slice.pause()
    const id = String(_id)
    const p = known.get(id)
    const paidToday = paidBy.get(id)
    const paid = paidToday !== undefined
    if (!active.has(id)) {
      // Only a window moved: nothing to do for a member without a profile (never active).
      const windows = p && windowsOf(p.paidDays ?? '', day, p.windowsAsOf)
      if (windows && changed(p, windows)) writes.push({ updateOne: { filter: { _id }, update: { $set: windows } } })
      continue
    }
    if (p?.no !== undefined) numbers.set(id, p.no)
    else unnumbered.push(id)
    if (paid && p?.firstPaidDay !== undefined && p.firstPaidDay < day) repeatPayers++
    const channel = registered.get(id)
    if (paid && !(p?.firstPaidDay !== undefined && p.firstPaidDay < day) && REFERRAL_CHANNELS.includes((channel ?? p?.channel) as Channel)) referredFirstPayers++
    const paidDays = paid ? withPaidDay(p?.paidDays ?? '', day, paidToday) : (p?.paidDays ?? '')
    const windows = windowsOf(paidDays, day, p?.windowsAsOf)
    const stale =
      !p ||
      (channel !== undefined && (p.registeredDay !== day || p.channel !== channel)) ||
      !(p.firstActiveDay! <= day) ||
      !(p.lastActiveDay! >= day) ||
      (paid && (!(p.firstPaidDay! <= day) || !(p.lastPaidDay! >= day))) ||
      paidDays !== (p.paidDays ?? '') ||
      changed(p, windows)
    if (!stale) continue
    writes.push({
      updateOne: {
        filter: { _id },
        update: {
          $set: { ...(channel !== undefined ? { registeredDay: day, channel } : {}), ...(paidDays ? { paidDays } : {}), ...windows },
          $min: { firstActiveDay: day, ...(paid ? { firstPaidDay: day } : {}) },
          $max: { lastActiveDay: day, ...(paid ? { lastPaidDay: day } : {}) },
        },
        upsert: true,
      },
    })
  }
  await store.write(writes)
  for (const [id, no] of await store.number(unnumbered)) numbers.set(id, no)
  return { repeatPayers, referredFirstPayers, numbers }
}

/**
 * Profiles held in memory while a synthetic history is folded (#16): every profile read once
 * before, the changed ones written once after (`flush`), where the database path reads every
 * profile and writes the active ones for each day (about 16 minutes for 100,000 members over 130
 * days). Folds through it apply the same updates as through the database; member numbers still
 * come from the shared counter. Only for days no other fold touches meanwhile (the history's
 * days before yesterday, see `writeSyntheticHistory`).
 */
export async function profilesInMemory(): Promise<ProfileStore & { flush(): Promise<number> }> {
  const stored = new Map((await MemberProfileModel.find({}).lean<Profile[]>()).map((p) => [String(p._id), p]))
  const changedProfiles = new Map<string, Profile>()
  const current = (id: string) => changedProfiles.get(id) ?? stored.get(id)
  return {
    async read(ids) {
      const found = new Map<string, Profile>()
      for (const id of ids) {
        const p = current(String(id))
        if (p) found.set(String(id), p)
      }
      return found
    },
    async write(writes) {
      for (const { updateOne: { filter, update } } of writes) {
        const id = String(filter._id)
        const p: Profile = { ...(current(id) ?? { _id: filter._id }), ...update.$set }
        for (const [field, day] of Object.entries(update.$min ?? {}) as Array<[DayField, string]>) if (p[field] === undefined || day < p[field]) p[field] = day
        for (const [field, day] of Object.entries(update.$max ?? {}) as Array<[DayField, string]>) if (p[field] === undefined || day > p[field]) p[field] = day
        changedProfiles.set(id, p)
      }
    },
    async number(ids) {
      const unnumbered = ids.filter((id) => current(id) !== undefined && current(id)!.no === undefined)
      const first = await takeMemberNumbers(unnumbered.length)
      unnumbered.forEach((id, i) => changedProfiles.set(id, { ...current(id)!, no: first + i }))
      return new Map(ids.filter((id) => current(id)?.no !== undefined).map((id) => [id, current(id)!.no!]))
    },
    async flush() {
      const fresh = [...changedProfiles.values()].filter((p) => !stored.has(String(p._id)))
      const existing = [...changedProfiles.values()].filter((p) => stored.has(String(p._id)))
      let duplicates = false
      for (let i = 0; i < fresh.length; i += CHUNK) {
        try {
          await MemberProfileModel.collection.insertMany(fresh.slice(i, i + CHUNK), { ordered: false })
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err
          duplicates = true
        }
      }
      // A profile made meanwhile by another fold keeps its number; the rest is this fold's.
      if (duplicates) await bulkUpdate(MemberProfileModel, fresh.map(({ _id, no, ...fields }) => ({ updateOne: { filter: { _id }, update: { $set: fields, $setOnInsert: { no } }, upsert: true } })))
      await bulkUpdate(MemberProfileModel, existing.map(({ _id, ...fields }) => ({ updateOne: { filter: { _id }, update: { $set: fields } } })))
      return changedProfiles.size
    },
  }
}

/** Takes `n` member numbers from the counter; returns the first. */
async function takeMemberNumbers(n: number): Promise<number> {
  if (n === 0) return 0
  const counter = await MemberNumberCounterModel.findOneAndUpdate({ _id: 'member' }, { $inc: { next: n } }, { upsert: true, new: true }).lean<{ next: number }>()
  return counter!.next - n
}

/**
 * Gives each of `ids` a member number if they have none, and returns every one's number (a member
 * without a profile gets none: the fold writes a member's profile before numbering them). Numbers come from a counter, a block at a time; a member is numbered with
 * a conditional `$set`, so when two instances number the same member at once one number sticks
 * (read back), and the other is never used.
 */
export async function numberMembers(ids: readonly string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map()
  const first = await takeMemberNumbers(ids.length)
  const modified = await bulkUpdate(
    MemberProfileModel,
    ids.map((id, i) => ({ updateOne: { filter: { _id: new Types.ObjectId(id), no: { $exists: false } }, update: { $set: { no: first + i } } } })),
  )
  if (modified === ids.length) return new Map(ids.map((id, i) => [id, first + i]))
  // Some were numbered meanwhile (or had a number): read what stuck.
  return numbersOf(ids)
}

/** The member numbers of `ids` (members without one are absent). */
export async function numbersOf(ids: readonly string[]): Promise<Map<string, number>> {
  const profiles = await readByIds<Profile>(MemberProfileModel, ids, { no: 1 })
  return new Map(profiles.filter((p) => p.no !== undefined).map((p) => [String(p._id), p.no!]))
}

/** Every numbered member's id by number (jobs and campaign targets: reads every profile). */
export async function memberIdsByNumber(): Promise<Map<number, string>> {
  return new Map((await MemberProfileModel.find({ no: { $exists: true } }, { no: 1 }).lean<Profile[]>()).map((p) => [p.no!, String(p._id)]))
}

/** `paidDays` with `day`'s totals (replacing any earlier count of that day), oldest first, none older than the longest window before the newest. */
export function withPaidDay(paidDays: string, day: string, paid: PaidTotals): string {
  const days = parsePaidDays(paidDays).filter((d) => d.day !== day)
  days.push({ day, ...paid })
  days.sort((a, b) => (a.day < b.day ? -1 : 1))
  const oldest = addDays(days[days.length - 1]!.day, -(LONGEST - 1))
  return formatPaidEntries(days.filter((d) => d.day >= oldest).map(({ day: key, ...paid }) => ({ key, ...paid })))
}

const parsePaidDays = (paidDays: string) => parsePaidEntries(paidDays).map(({ key, ...paid }) => ({ day: key, ...paid }))

/**
 * Orders and amount paid in each window ending on `day`, or on `asOf` when a later day was folded
 * already (a rebuild of an old day leaves the windows as the latest day saw them).
 */
export function windowsOf(paidDays: string, day: string, asOf?: string): Windows {
  const end = asOf !== undefined && asOf > day ? asOf : day
  const windows = { windowsAsOf: end, orders30: 0, paidFen30: 0, orders90: 0, paidFen90: 0, orders180: 0, paidFen180: 0 }
  for (const d of parsePaidDays(paidDays)) {
    if (d.day > end) continue
    for (const w of PAID_WINDOWS) {
      if (d.day < addDays(end, -(w - 1))) continue
      windows[`orders${w}`] += d.orders
      windows[`paidFen${w}`] += d.paidFen
    }
  }
  return windows
}

const changed = (p: Partial<Windows>, w: Windows) => (Object.keys(w) as Array<keyof Windows>).some((k) => p[k] !== w[k])

/** The first-touch channel of each member (`unknown` when they registered before events were kept). */
export async function channelsOf(ids: readonly string[]): Promise<Map<string, Channel | 'unknown'>> {
  const channels = new Map<string, Channel | 'unknown'>(ids.map((id) => [id, 'unknown']))
  const found = await readByIds<Profile>(MemberProfileModel, ids, { channel: 1 })
  for (const p of found) if (p.channel) channels.set(String(p._id), p.channel as Channel)
  return channels
}

/** The ids of the members numbered `numbers`, by number (the members without a profile are left out). */
export async function memberIdsOf(numbers: readonly number[]): Promise<Map<number, string>> {
  const ids = new Map<number, string>()
  for (let i = 0; i < numbers.length; i += CHUNK) {
    for (const p of await MemberProfileModel.find({ no: { $in: numbers.slice(i, i + CHUNK) } }, { no: 1 }).lean<Profile[]>()) ids.set(p.no!, String(p._id))
  }
  return ids
}

/**
 * Job: writes the tier of each member whose tier moved since the last stamp (`tiers`: every
 * registered member's tier index into `names` on one day, by member number; `none` before they
 * registered). Compares with the stamps kept from the last run, so it reads and writes the
 * profiles of the members who moved, not every profile.
 */
export async function stampTiers(tiers: Uint8Array, names: readonly LifecycleTier[], none: number): Promise<number> {
  // Each range's tiers as last stamped, to stamp only the members whose tier moved since.
  const ranges = Math.ceil(tiers.length / MEMBERS_PER_STAMP)
  const stamped = new Map((await TierStampModel.find({ _id: { $in: Array.from({ length: ranges }, (_, r) => r) } }).lean<TierStamp[]>()).map((s) => [s._id, s.tiers instanceof Uint8Array ? s.tiers : s.tiers.buffer]))
  let changed = 0
  for (let r = 0; r < ranges; r++) {
    const now = tiers.subarray(r * MEMBERS_PER_STAMP, (r + 1) * MEMBERS_PER_STAMP)
    const before = stamped.get(r)
    const moved: number[] = []
    for (let i = 0; i < now.length; i++) if (now[i] !== none && now[i] !== (before?.[i] ?? none)) moved.push(r * MEMBERS_PER_STAMP + i)
    for (let i = 0; i < moved.length; i += CHUNK) {
      const ids = await memberIdsOf(moved.slice(i, i + CHUNK))
      await bulkUpdate(
        MemberProfileModel,
        [...ids].map(([n, id]) => ({ updateOne: { filter: { _id: new Types.ObjectId(id) }, update: { $set: { tier: names[tiers[n]!]! } } } })),
      )
      changed += ids.size
    }
    // Kept after the profiles: a run cut short stamps the same members again.
    await TierStampModel.updateOne({ _id: r }, { $set: { tiers: Buffer.from(now) } }, { upsert: true })
  }
  return changed
}

/** Members' stamped tiers, by id; a member without one yet (registered before the last stamp, or before events were kept) is left out. */
export async function stampedTiersOf(userIds: Types.ObjectId[]): Promise<Map<string, LifecycleTier>> {
  const profiles = await MemberProfileModel.find({ _id: { $in: userIds }, tier: { $ne: null } }, { tier: 1 }).lean<Profile[]>()
  return new Map(profiles.filter((p) => p.tier).map((p) => [String(p._id), p.tier as LifecycleTier]))
}

/** A member's orders and amount paid in the last 30, 90 and 180 days as of `windowsAsOf`; null before their first fold. */
export async function paidWindowsOf(userId: Types.ObjectId): Promise<Windows | null> {
  const p = await MemberProfileModel.findById(userId).lean<Profile>()
  if (!p?.windowsAsOf) return null
  return { windowsAsOf: p.windowsAsOf, orders30: p.orders30 ?? 0, paidFen30: p.paidFen30 ?? 0, orders90: p.orders90 ?? 0, paidFen90: p.paidFen90 ?? 0, orders180: p.orders180 ?? 0, paidFen180: p.paidFen180 ?? 0 }
}

/** The profiles of `ids` that exist, by id. */
export async function profilesOf(ids: readonly string[]): Promise<Map<string, Profile>> {
  const found = await readByIds<Profile>(MemberProfileModel, ids.filter((id) => Types.ObjectId.isValid(id)))
  return new Map(found.map((p) => [String(p._id), p]))
}

/** Members last active on `lastDay` or before (会员 → 未活跃), most recently lapsed first, a page and how many. */
export async function inactivePage(lastDay: string, offset: number, limit: number): Promise<{ ids: string[]; total: number }> {
  const filter = { lastActiveDay: { $lte: lastDay } }
  const [rows, total] = await Promise.all([MemberProfileModel.find(filter, { _id: 1 }).sort({ lastActiveDay: -1, _id: -1 }).skip(offset).limit(limit).lean(), MemberProfileModel.countDocuments(filter)])
  return { ids: rows.map((r) => String(r._id)), total }
}
