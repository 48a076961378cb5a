import mongoose from 'mongoose'
import sharp from 'sharp'
import { PHOTO_SIZES, type PhotoSize, type PhotoView } from '@xianlin/shared'
import { AppError } from '../../core/app-error'

/** Formats we take from operators; every size is stored as JPEG, which every client shows. */
const ACCEPTED = new Set(['jpeg', 'png', 'webp'])
/** A phone photo is about 12 megapixels; anything far beyond that is not a product photo. */
const MAX_PIXELS = 50_000_000

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

/**
 * Stores an uploaded photo in every size: turned upright by its EXIF orientation, scaled down to
 * fit (never up, never cropped), re-encoded without its metadata (no camera, no GPS position).
 */
export async function storePhoto(bytes: Buffer, ownerId: string | null = null): Promise<PhotoView> {
  // sharp refuses an empty buffer by throwing at once, before any promise: said as the request's fault.
  if (bytes.length === 0) throw new AppError('VALIDATION_FAILED', '图片是空的，请重新选择')
  const meta = await sharp(bytes, { limitInputPixels: MAX_PIXELS })
    .metadata()
    .catch(() => null)
  if (!meta || !meta.format || !ACCEPTED.has(meta.format) || !meta.width || !meta.height) throw new AppError('PHOTO_UNREADABLE')
  const photoId = new mongoose.Types.ObjectId().toHexString()
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
  for (const e of encoded) {
    const metadata: StoredSize = { photoId, ownerId, size: e.size, width: e.width, height: e.height }
    await new Promise<void>((resolve, reject) => {
      const upload = bucket().openUploadStream(fileName(photoId, e.size), { metadata, contentType: 'image/jpeg' } as never)
      upload.once('error', reject).once('finish', () => resolve())
      upload.end(e.data)
    })
  }
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

/** Whether a photo was uploaded (a product may only point at one that was). */
export async function photoExists(photoId: string): Promise<boolean> {
  const [file] = await bucket().find({ filename: fileName(photoId, 'thumb') }, { limit: 1, projection: { _id: 1 } }).toArray()
  return Boolean(file)
}

/** Whether this member uploaded the photo (a review may only show its author's own photos). */
export async function photoUploadedBy(photoId: string, userId: string): Promise<boolean> {
  const [file] = await bucket().find({ filename: fileName(photoId, 'thumb'), 'metadata.ownerId': userId }, { limit: 1, projection: { _id: 1 } }).toArray()
  return Boolean(file)
}
