import getRawBody from 'raw-body'
import { ObjectIdSchema, PhotoParamsSchema, Replies, type PhotoSize } from '@xianlin/shared'
import type { Context } from 'koa'
import { AppError } from '../../core/app-error'
import { PHOTO_UPLOADS } from '../../http/rate-limit'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'
import { photoAudience, readPhoto, storePhoto } from './photos.service'

/** The API paths that take image bytes instead of JSON (see http/require-json). */
export const PHOTO_UPLOAD_PATH = '/api/admin/photos'
export const REVIEW_PHOTO_UPLOAD_PATH = '/api/review-photos'
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp']
const MAX_UPLOAD = '10mb'

/** The raw image bytes of an upload, within the size limit. */
async function uploadedBytes(ctx: Context): Promise<Buffer> {
  if (!ctx.is(PHOTO_TYPES)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请上传 JPG、PNG 或 WebP 图片')
  return getRawBody(ctx.req, { limit: MAX_UPLOAD }).catch((err: { type?: string }) => {
    throw new AppError(err.type === 'entity.too.large' ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED', err.type === 'entity.too.large' ? `图片不能超过 ${MAX_UPLOAD.toUpperCase()}` : '图片没有传完整')
  })
}

/** How long a browser or CDN may keep each kind of photo. */
const CACHING = {
  // A photo's bytes never change under its id (a new upload gets a new id).
  public: 'public, max-age=31536000, immutable',
  // A review may be hidden: its photos stop being served within minutes.
  'public-review': 'public, max-age=300',
  private: 'private, no-store',
} as const

/** The bytes of one size, or 404. */
export async function sendPhoto(ctx: Context, id: string, size: PhotoSize, caching: keyof typeof CACHING): Promise<Buffer> {
  const bytes = await readPhoto(id, size)
  if (!bytes) throw new AppError('NOT_FOUND', '图片不存在')
  ctx.type = 'image/jpeg'
  ctx.set('Cache-Control', CACHING[caching])
  return bytes
}

/**
 * 商品图片 and 晒单图片: operators upload product photos, members their review photos (raw image
 * bytes, resized and stripped of EXIF alike). Product photos and the photos of visible reviews
 * are public; a review photo otherwise only to its uploader and the console (photo-ref.model).
 */
export function photosRoutes(s: Pick<Services, 'reviews' | 'clock' | 'orders'>): RouteTable {
  return [
    ['post', PHOTO_UPLOAD_PATH, endpoint({ reply: Replies.photo, access: { console: 'catalogue' }, status: 201, handler: async ({ ctx }) => ({ photo: await storePhoto(await uploadedBytes(ctx), { use: 'product' }, s.clock()) }) })],
    [
      'post',
      REVIEW_PHOTO_UPLOAD_PATH,
      endpoint({
        reply: Replies.photo,
        access: 'signed-in',
        rateLimit: PHOTO_UPLOADS,
        status: 201,
        handler: async ({ actor, ctx }) => ({ photo: await storePhoto(await uploadedBytes(ctx), { use: 'review', ownerId: actor.userId }, s.clock()) }),
      }),
    ],
    [
      'get',
      '/api/photos/:id/:size',
      endpoint({
        reply: 'binary',
        access: 'public',
        params: PhotoParamsSchema,
        handler: async ({ params, actor, ctx }) => {
          const audience = await photoAudience(params.id, { userId: actor?.userId }, (reviewId) => s.reviews.isVisible(reviewId))
          if (!audience) throw new AppError('NOT_FOUND', '图片不存在')
          return sendPhoto(ctx, params.id, params.size, audience)
        },
      }),
    ],
    [
      'get',
      '/api/admin/photos/:id/:size',
      endpoint({
        reply: 'binary',
        access: { console: 'members' },
        params: PhotoParamsSchema,
        handler: async ({ params, ctx }) => {
          const audience = await photoAudience(params.id, { operator: true }, (reviewId) => s.reviews.isVisible(reviewId))
          if (!audience) throw new AppError('NOT_FOUND', '图片不存在')
          return sendPhoto(ctx, params.id, params.size, 'private')
        },
      }),
    ],
    [
      'get',
      // 售后 photos, for whoever handles refunds (a finance operator may not read members).
      '/api/admin/after-sales/:afterSaleId/photos/:id/:size',
      endpoint({
        reply: 'binary',
        access: { console: 'refunds' },
        params: PhotoParamsSchema.extend({ afterSaleId: ObjectIdSchema }),
        handler: async ({ params, ctx }) => {
          if (!(await s.orders.afterSaleHasPhoto(params.afterSaleId, params.id))) throw new AppError('NOT_FOUND', '图片不存在')
          return sendPhoto(ctx, params.id, params.size, 'private')
        },
      }),
    ],
  ]
}
