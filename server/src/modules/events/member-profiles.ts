import { Schema, Types, model } from 'mongoose'
import { bulkUpdate } from '../../db/bulk-update'
import { REFERRAL_CHANNELS, type Channel, type LifecycleTier } from '@xianlin/shared'

/**
 * Per-member growth profile, kept by the daily fold: when the member registered and through
 * which channel, first and last active day, first and last paid day. Written with `$min`/`$max`
 * (and `$set` of the registration, which never changes), so folds of different days on several
 * instances, in any order, converge on the same profile.
 */
const MemberProfileSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    registeredDay: { type: String },
    channel: { type: String },
    firstActiveDay: { type: String },
    lastActiveDay: { type: String },
    firstPaidDay: { type: String },
    lastPaidDay: { type: String },
    /** The member's lifecycle tier as last stamped (`stampTiers`): what their events carry. */
    tier: { type: String },
  },
  { versionKey: false },
)
MemberProfileSchema.index({ lastActiveDay: 1 })
const MemberProfileModel = model('MemberProfile', MemberProfileSchema, 'member_profiles')

type Profile = { _id: Types.ObjectId; tier?: string; registeredDay?: string; channel?: string; firstActiveDay?: string; lastActiveDay?: string; firstPaidDay?: string; lastPaidDay?: string }

const CHUNK = 1000

/**
 * Folds one day into the profiles of its active members; only profiles the day changes are
 * written. Returns how many of the day's payers had paid on an earlier day (repurchases), and how
 * many paid for the first time having come through a friend (invite, share card, poster, leader
 * link), as the profiles knew before this fold (days are folded in order: every earlier day).
 */
export async function foldProfiles(
  day: string,
  active: ReadonlySet<string>,
  payers: ReadonlySet<string>,
  registered: ReadonlyMap<string, Channel>,
): Promise<{ repeatPayers: number; referredFirstPayers: number }> {
  const ids = [...active]
  let repeatPayers = 0
  let referredFirstPayers = 0
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK).map((id) => new Types.ObjectId(id))
    const known = new Map((await MemberProfileModel.find({ _id: { $in: chunk } }).lean<Profile[]>()).map((p) => [String(p._id), p]))
    const writes = []
    for (const _id of chunk) {
      const id = String(_id)
      const p = known.get(id)
      const paid = payers.has(id)
      if (paid && p?.firstPaidDay !== undefined && p.firstPaidDay < day) repeatPayers++
      const channel = registered.get(id)
      if (paid && !(p?.firstPaidDay !== undefined && p.firstPaidDay < day) && REFERRAL_CHANNELS.includes((channel ?? p?.channel) as Channel)) referredFirstPayers++
      const stale =
        !p ||
        (channel !== undefined && (p.registeredDay !== day || p.channel !== channel)) ||
        !(p.firstActiveDay! <= day) ||
        !(p.lastActiveDay! >= day) ||
        (paid && (!(p.firstPaidDay! <= day) || !(p.lastPaidDay! >= day)))
      if (!stale) continue
      writes.push({
        updateOne: {
          filter: { _id },
          update: {
            ...(channel !== undefined ? { $set: { registeredDay: day, channel } } : {}),
            $min: { firstActiveDay: day, ...(paid ? { firstPaidDay: day } : {}) },
            $max: { lastActiveDay: day, ...(paid ? { lastPaidDay: day } : {}) },
          },
          upsert: true,
        },
      })
    }
    await bulkUpdate(MemberProfileModel, writes)
  }
  return { repeatPayers, referredFirstPayers }
}

/**
 * The first-touch channel of each member (`unknown` when they registered before events were kept).
 * A few members are looked up by id; many are picked from one read of every channel (the
 * embedded database scans all profiles for an `$in` either way, so once beats once a chunk).
 */
export async function channelsOf(ids: readonly string[]): Promise<Map<string, Channel | 'unknown'>> {
  const channels = new Map<string, Channel | 'unknown'>(ids.map((id) => [id, 'unknown']))
  const found =
    ids.length <= CHUNK
      ? await MemberProfileModel.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) }, channel: { $exists: true } }, { channel: 1 }).lean<Profile[]>()
      : await MemberProfileModel.find({ channel: { $exists: true } }, { channel: 1 }).lean<Profile[]>()
  for (const p of found) if (channels.has(String(p._id))) channels.set(String(p._id), p.channel as Channel)
  return channels
}

/** Each member registered by `day` (inclusive), with their registration day. */
export async function registeredBy(day: string): Promise<Map<string, string>> {
  const rows = await MemberProfileModel.find({ registeredDay: { $lte: day } }, { registeredDay: 1 }).lean<Profile[]>()
  return new Map(rows.map((p) => [String(p._id), p.registeredDay!]))
}

/** Writes each member's tier where it changed (a job: `tiers` is every registered member's on one day). */
export async function stampTiers(tiers: ReadonlyMap<string, LifecycleTier>): Promise<number> {
  const stamped = new Map((await MemberProfileModel.find({ registeredDay: { $exists: true } }, { tier: 1 }).lean<Profile[]>()).map((p) => [String(p._id), p.tier]))
  const changes = [...tiers].filter(([id, tier]) => stamped.get(id) !== tier)
  await bulkUpdate(
    MemberProfileModel,
    changes.map(([id, tier]) => ({ updateOne: { filter: { _id: new Types.ObjectId(id) }, update: { $set: { tier } } } })),
  )
  return changes.length
}

/** A member's stamped tier; null when they have none yet (registered before the last stamp, or before events were kept). */
export async function stampedTierOf(userId: Types.ObjectId): Promise<LifecycleTier | null> {
  return ((await MemberProfileModel.findById(userId, { tier: 1 }).lean<Profile>())?.tier as LifecycleTier | undefined) ?? null
}
