import { Schema, model, type Types } from 'mongoose'
import { MemberSet } from '../events/member-set'

/**
 * The member numbers a campaign has taken in (reached, held out or skipped), as bitmaps a range
 * of numbers per document (`_id` `campaign|range`, at most 62.5 KB), so each run of a campaign
 * targeting a lifecycle tier touches only the members who entered the tier since, however many
 * are in it. The touches themselves stay the record; this only spares the run re-reading them.
 */
const MEMBERS_PER_RANGE = 500_000
const BYTES_PER_RANGE = MEMBERS_PER_RANGE / 8
const CampaignMembersModel = model('CampaignMembers', new Schema({ _id: { type: String, required: true }, bits: { type: Buffer, required: true } }, { versionKey: false }), 'campaign_members')
type Stored = { _id: string; bits: Uint8Array | { buffer: Uint8Array } }

const rangeId = (campaignId: Types.ObjectId, range: number) => `${campaignId}|${range}`

/** The members the campaign took in, among numbers below `span`. */
export async function campaignMembers(campaignId: Types.ObjectId, span: number): Promise<MemberSet> {
  const ranges = Math.ceil(span / MEMBERS_PER_RANGE)
  const docs = await CampaignMembersModel.find({ _id: { $in: Array.from({ length: ranges }, (_, r) => rangeId(campaignId, r)) } }).lean<Stored[]>()
  const bits = new Uint8Array(Math.ceil(span / 8))
  for (const doc of docs) {
    const range = Number(doc._id.slice(doc._id.indexOf('|') + 1))
    const part = doc.bits instanceof Uint8Array ? doc.bits : doc.bits.buffer
    bits.set(part.subarray(0, Math.max(0, bits.length - range * BYTES_PER_RANGE)), range * BYTES_PER_RANGE)
  }
  return MemberSet.fromBytes(bits)
}

/** Records `members` as taken in, beside those recorded before (`known`, as read by `campaignMembers`). */
export async function addCampaignMembers(campaignId: Types.ObjectId, known: MemberSet, members: readonly number[]): Promise<MemberSet> {
  const all = MemberSet.union([known, MemberSet.of(members)])
  const changed = new Set(members.map((n) => Math.floor(n / MEMBERS_PER_RANGE)))
  const bits = all.bytes()
  for (const range of changed) {
    const part = Buffer.from(bits.subarray(range * BYTES_PER_RANGE, (range + 1) * BYTES_PER_RANGE))
    await CampaignMembersModel.updateOne({ _id: rangeId(campaignId, range) }, { $set: { bits: part } }, { upsert: true })
  }
  return all
}
