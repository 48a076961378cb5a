import { Schema, model } from 'mongoose'
import type { UserView } from '@xianlin/shared'

/**
 * The console's member list, newest first, at a cost that does not grow with the members: the
 * embedded database sorts a whole collection in memory for any `sort` and reads a document by
 * `_id` by scanning, so paging 100,000 users directly costs seconds. Instead each member gets a
 * number when they register (`head.seq` in its own tiny collection, one `$inc`) and a slot in a bucket of numbered slots
 * (`p<bucket>` documents, few and read by `_id`) holding a copy of what the list shows; the
 * users service rewrites the copy whenever it changes a member. A page is one or two bucket reads.
 */
const BUCKET = 50

const DirectorySchema = new Schema({ _id: { type: String, required: true }, slots: { type: Schema.Types.Mixed, default: () => ({}) } }, { versionKey: false, minimize: false })
const DirectoryModel = model('MemberDirectory', DirectorySchema, 'member_directory')
// The numbering lives apart from the buckets: the embedded database scans a collection to find a
// document, and one tiny document is cheap to scan.
const HeadModel = model('MemberDirectoryHead', new Schema({ _id: { type: String, required: true }, seq: Number }, { versionKey: false }), 'member_directory_head')

const bucketOf = (seq: number) => `p${Math.floor(seq / BUCKET)}`

/** Reserves `n` consecutive member numbers; returns the first. */
export async function reserveMemberNumbers(n: number): Promise<number> {
  const head = await HeadModel.findOneAndUpdate({ _id: 'head' }, { $inc: { seq: n } }, { upsert: true, new: true }).lean()
  return head!.seq! - n + 1
}

/** Writes the listed copy of members at their numbers: one update per bucket. */
export async function writeMemberSlots(entries: Array<{ seq: number; view: UserView }>): Promise<void> {
  const byBucket = new Map<string, Record<string, UserView>>()
  for (const { seq, view } of entries) byBucket.set(bucketOf(seq), { ...byBucket.get(bucketOf(seq)), [`slots.${seq % BUCKET}`]: view })
  for (const [id, slots] of byBucket) await DirectoryModel.updateOne({ _id: id }, { $set: slots }, { upsert: true })
}

/**
 * A page of members, newest first; `before` is the number the previous page stopped at. A member
 * whose listing a crash interrupted and the backfill then numbered again shows once per page.
 */
export async function pageMemberSlots(page: { before?: number; limit: number }): Promise<{ members: UserView[]; nextCursor: string | null }> {
  const top = page.before !== undefined ? page.before - 1 : ((await HeadModel.findById('head').lean())?.seq ?? 0)
  if (top < 1) return { members: [], nextCursor: null }
  const bottom = Math.max(1, top - page.limit + 1)
  const seqs = Array.from({ length: top - bottom + 1 }, (_, i) => top - i)
  const buckets = await Promise.all([...new Set(seqs.map(bucketOf))].map((id) => DirectoryModel.findById(id).lean()))
  const slots = new Map(buckets.filter((b) => b).map((b) => [b!._id, b!.slots as Record<string, UserView>]))
  const seen = new Set<string>()
  const members = seqs.flatMap((seq) => {
    const view = slots.get(bucketOf(seq))?.[String(seq % BUCKET)]
    if (!view || seen.has(view.id)) return []
    seen.add(view.id)
    return [view]
  })
  return { members, nextCursor: bottom > 1 ? String(bottom) : null }
}
