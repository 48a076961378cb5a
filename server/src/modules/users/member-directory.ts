import { Schema, model } from 'mongoose'
import type { UserView } from '@xianlin/shared'

/**
 * The console's member list, newest first, at a cost that does not grow with the members: the
 * embedded database sorts a whole collection in memory for any `sort` and reads a document by
 * `_id` by scanning every document of the collection, so paging 100,000 users directly costs
 * seconds. Instead each member gets a number when they register (`head.seq` in its own tiny
 * collection, one `$inc`) and a slot in a bucket of numbered slots (`p<bucket>` documents read by
 * `_id`) holding a copy of what the list shows; the users service rewrites the copy whenever it
 * changes a member. A page is one or two bucket reads.
 */
const BUCKET = 50
/**
 * Buckets are spread over collections of SHARD members each (`member_directory_<n>`), so the scan
 * behind a bucket read covers a hundred buckets whatever the number of members: in one collection,
 * reading a bucket of 100,000 members took 170–340 ms.
 */
const SHARD = 5000

const DirectorySchema = new Schema({ _id: { type: String, required: true }, slots: { type: Schema.Types.Mixed, default: () => ({}) } }, { versionKey: false, minimize: false })
const shardModel = (n: number) => model(`MemberDirectory${n}`, DirectorySchema, `member_directory_${n}`)
const shards = new Map<number, ReturnType<typeof shardModel>>()
function shardOf(seq: number) {
  const n = Math.floor(seq / SHARD)
  if (!shards.has(n)) shards.set(n, shardModel(n))
  return shards.get(n)!
}
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
  const byBucket = new Map<string, { seq: number; slots: Record<string, UserView> }>()
  for (const { seq, view } of entries) {
    const bucket = byBucket.get(bucketOf(seq)) ?? { seq, slots: {} }
    byBucket.set(bucketOf(seq), { seq, slots: { ...bucket.slots, [`slots.${seq % BUCKET}`]: view } })
  }
  for (const [id, { seq, slots }] of byBucket) await shardOf(seq).updateOne({ _id: id }, { $set: slots }, { upsert: true })
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
  const seqInBucket = new Map(seqs.map((seq) => [bucketOf(seq), seq]))
  const buckets = await Promise.all([...seqInBucket].map(([id, seq]) => shardOf(seq).findById(id).lean()))
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

/**
 * Moves buckets written before the sharding (all in `member_directory`) to their shards, then drops
 * that collection. Runs at startup before requests are served, so no newer copy can be overwritten;
 * an interrupted move starts again at the next startup.
 */
export async function moveUnshardedDirectory(): Promise<number> {
  const legacy = HeadModel.db.collection<{ _id: string; slots: Record<string, UserView> }>('member_directory')
  let moved = 0
  for (;;) {
    const batch = await legacy.find({}).skip(moved).limit(200).toArray()
    for (const bucket of batch) await shardOf(Number(bucket._id.slice(1)) * BUCKET).replaceOne({ _id: bucket._id }, bucket, { upsert: true })
    moved += batch.length
    if (batch.length < 200) break
  }
  if (moved > 0) await legacy.drop()
  return moved
}
