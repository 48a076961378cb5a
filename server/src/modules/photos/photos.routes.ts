import getRawBody from 'raw-body'
import { PhotoParamsSchema, Replies } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import { endpoint, type RouteTable } from '../../http/endpoint'
import { readPhoto, storePhoto } from './photos.service'

/** The one API path that takes image bytes instead of JSON (see http/require-json). */
export const PHOTO_UPLOAD_PATH = '/api/admin/photos'
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp']
const MAX_UPLOAD = '10mb'

/** 商品图片: operators upload a photo (raw image bytes); everyone reads its sizes. */
export function photosRoutes(): RouteTable {
  return [
    [
      'post',
      PHOTO_UPLOAD_PATH,
      endpoint({
        reply: Replies.photo,
        access: { console: 'catalogue' },
        status: 201,
        handler: async ({ ctx }) => {
          if (!ctx.is(PHOTO_TYPES)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请上传 JPG、PNG 或 WebP 图片')
          const bytes = await getRawBody(ctx.req, { limit: MAX_UPLOAD }).catch((err: { type?: string }) => {
            throw new AppError(err.type === 'entity.too.large' ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED', err.type === 'entity.too.large' ? `图片不能超过 ${MAX_UPLOAD.toUpperCase()}` : '图片没有传完整')
          })
          return { photo: await storePhoto(bytes) }
        },
      }),
    ],
    [
      'get',
      '/api/photos/:id/:size',
      endpoint({
        reply: 'binary',
        access: 'public',
        params: PhotoParamsSchema,
        handler: async ({ params, ctx }) => {
          const bytes = await readPhoto(params.id, params.size)
          if (!bytes) throw new AppError('NOT_FOUND', '图片不存在')
          ctx.type = 'image/jpeg'
          // A photo's bytes never change under its id (a new upload gets a new id).
          ctx.set('Cache-Control', 'public, max-age=31536000, immutable')
          return bytes
        },
      }),
    ],
  ]
}
