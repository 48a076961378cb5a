import mongoose from 'mongoose'
import sharp from 'sharp'
import { PHOTO_SIZES, type PhotoSize, type PhotoView } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import { unguessableObjectId } from '../../lib/random-id'
import { PhotoRefModel, type PhotoRef } from './photo-ref.model'

/** Formats we take from operators; every size is stored as JPEG, which every client shows. */
const ACCEPTED = new Set(['jpeg', 'png', 'webp'])
/** A phone photo is about 12 megapixels; anything far beyond that is not a product photo. */
const MAX_PIXELS = 50_000_000
/** How long a member's upload waits to be put in a review before it is removed. */
const UNATTACHED_MS = 24 * 3_600_000

interface StoredSize {
  photoId: string
  /** The member who uploaded it (review photos); null for operators' product photos. */
  ownerId: string | null
  size: PhotoSize
  width: number
  height: number
}

// One bucket for every instance: GridFS keeps the bytes in the database the instances share.
const bucket = () => new mongoose.mongo.GridFSBucket(mongoose.connection.db!, { bucketName: 'photos' })
const fileName = (photoId: string, size: PhotoSize) => `${photoId}/${size}`

async function storeSizes(photoId: string, ownerId: string | null, encoded: Array<{ size: PhotoSize; data: Buffer; width: number; height: number }>): Promise<void> {
  for (const e of encoded) {
    const metadata: StoredSize = { photoId, ownerId, size: e.size, width: e.width, height: e.height }
    await new Promise<void>((resolve, reject) => {
      const upload = bucket().openUploadStream(fileName(photoId, e.size), { metadata, contentType: 'image/jpeg' } as never)
      upload.once('error', reject).once('finish', () => resolve())
      upload.end(e.data)
    })
  }
}

/**
 * Stores an uploaded photo in every size: turned upright by its EXIF orientation, scaled down to
 * fit (never up, never cropped), re-encoded without its metadata (no camera, no GPS position).
 */
export async function storePhoto(bytes: Buffer, owner: { use: 'product' } | { use: 'review'; ownerId: string }, now = new Date()): Promise<PhotoView> {
  const ownerId = owner.use === 'review' ? owner.ownerId : null
  // sharp refuses an empty buffer by throwing at once, before any promise: said as the request's fault.
  if (bytes.length === 0) throw new AppError('VALIDATION_FAILED', '图片是空的，请重新选择')
  const meta = await sharp(bytes, { limitInputPixels: MAX_PIXELS })
    .metadata()
    .catch(() => null)
  if (!meta || !meta.format || !ACCEPTED.has(meta.format) || !meta.width || !meta.height) throw new AppError('PHOTO_UNREADABLE')
  const photoId = unguessableObjectId().toHexString()
  const encoded = await Promise.all(
    (Object.entries(PHOTO_SIZES) as Array<[PhotoSize, number]>).map(async ([size, side]) => {
      const out = await sharp(bytes, { limitInputPixels: MAX_PIXELS })
        .rotate() // applies the EXIF orientation; the output carries no EXIF at all
        .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 82, mozjpeg: true })
        .toBuffer({ resolveWithObject: true })
        .catch(() => {
          throw new AppError('PHOTO_UNREADABLE')
        })
      return { size, data: out.data, width: out.info.width, height: out.info.height }
    }),
  )
  // Recorded first: an upload a crash cut short is still found, and removed, by the purge.
  await PhotoRefModel.create({ _id: photoId, use: owner.use, ownerId, reviewId: null, uploadedAt: now })
  await storeSizes(photoId, ownerId, encoded)
  const large = encoded.find((e) => e.size === 'large')!
  return { id: photoId, width: large.width, height: large.height, bytes: encoded.reduce((n, e) => n + e.data.length, 0) }
}

/** The bytes of one size of a photo, or null when there is no such photo. */
export async function readPhoto(photoId: string, size: PhotoSize): Promise<Buffer | null> {
  const [file] = await bucket().find({ filename: fileName(photoId, size) }, { limit: 1 }).toArray()
  if (!file) return null
  const chunks: Buffer[] = []
  for await (const chunk of bucket().openDownloadStream(file._id)) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Whether an operator uploaded this product photo (a product may only point at one). */
export async function productPhotoExists(photoId: string): Promise<boolean> {
  return Boolean(await PhotoRefModel.exists({ _id: photoId, use: 'product' }))
}

/**
 * Puts a member's uploads in their review: only their own, only ones in no other review (a retry
 * of the same review may name them again). False when any is not theirs or was removed.
 */
export async function attachReviewPhotos(ownerId: string, reviewId: string, photoIds: string[]): Promise<boolean> {
  if (!photoIds.length) return true
  const mine = { _id: { $in: photoIds }, use: 'review', ownerId: new mongoose.Types.ObjectId(ownerId) }
  await PhotoRefModel.updateMany({ ...mine, reviewId: null }, { $set: { reviewId } })
  return (await PhotoRefModel.countDocuments({ ...mine, reviewId })) === photoIds.length
}

/**
 * Who may see a photo: `public` (cached for good: product photos), `public-review` (cached
 * briefly, so a hidden review's photos stop being served soon), `private` (its uploader or the
 * console), or null: no such photo, or not for this viewer, which answers as if there were none.
 */
export async function photoAudience(
  photoId: string,
  viewer: { userId?: string; operator?: boolean },
  reviewVisible: (reviewId: string) => Promise<boolean>,
): Promise<'public' | 'public-review' | 'private' | null> {
  const ref = await PhotoRefModel.findById(photoId).lean<PhotoRef>()
  if (!ref) return null
  if (ref.use === 'product') return 'public'
  if (ref.reviewId && (await reviewVisible(ref.reviewId))) return 'public-review'
  const own = viewer.userId !== undefined && ref.ownerId != null && ref.ownerId.equals(viewer.userId)
  return own || viewer.operator ? 'private' : null
}

/** Job: uploads never put in a review are removed a day after upload (bytes and record). Safe on several instances. */
export async function purgeUnattachedPhotos(now: Date): Promise<number> {
  const stale = await PhotoRefModel.find({ use: 'review', reviewId: null, uploadedAt: { $lt: new Date(now.getTime() - UNATTACHED_MS) } }, { _id: 1 })
    .limit(200)
    .lean()
  let removed = 0
  for (const { _id } of stale) {
    // Removed only while still unattached: a review taking it at this moment keeps it.
    const gone = await PhotoRefModel.deleteOne({ _id, reviewId: null })
    if (gone.deletedCount !== 1) continue
    const sizes = (Object.keys(PHOTO_SIZES) as PhotoSize[]).map((size) => fileName(_id, size))
    for (const file of await bucket().find({ filename: { $in: sizes } }).toArray()) await bucket().delete(file._id)
    removed++
  }
  return removed
}

/** Marks a database whose photos all have records (not a photo: photo ids are 24 hex digits). */
const ALL_RECORDED = 'all-recorded'

/**
 * Photos stored before photo records: each gets one, a product photo (no uploader) or a review
 * photo, attached to the review `reviewOf` names. Once per database, a batch at a time; returns how many.
 */
export async function recordPhotosFromBefore(reviewOf: (photoIds: string[]) => Promise<Map<string, string>>): Promise<number> {
  if (await PhotoRefModel.exists({ _id: ALL_RECORDED })) return 0
  let recorded = 0
  const record = async (batch: StoredSize[], uploaded: Map<string, Date>) => {
    const ids = batch.map((m) => m.photoId)
    const known = new Set((await PhotoRefModel.find({ _id: { $in: ids } }, { _id: 1 }).lean()).map((r) => r._id))
    const missing = batch.filter((m) => !known.has(m.photoId))
    if (!missing.length) return
    const reviews = await reviewOf(missing.map((m) => m.photoId))
    for (const { photoId, ownerId } of missing) {
      const ref = { _id: photoId, use: ownerId ? 'review' : 'product', ownerId, reviewId: reviews.get(photoId) ?? null, uploadedAt: uploaded.get(photoId) }
      await PhotoRefModel.updateOne({ _id: photoId }, { $setOnInsert: ref }, { upsert: true })
      recorded++
    }
  }
  let batch: StoredSize[] = []
  let uploaded = new Map<string, Date>()
  for await (const file of bucket().find({ 'metadata.size': 'thumb' }, { projection: { metadata: 1, uploadDate: 1 }, batchSize: 500 })) {
    const meta = file.metadata as StoredSize
    batch.push(meta)
    uploaded.set(meta.photoId, file.uploadDate)
    if (batch.length >= 500) {
      await record(batch, uploaded)
      batch = []
      uploaded = new Map()
    }
  }
  await record(batch, uploaded)
  await PhotoRefModel.updateOne({ _id: ALL_RECORDED }, { $setOnInsert: { use: 'product', uploadedAt: new Date() } }, { upsert: true })
  return recorded
}
