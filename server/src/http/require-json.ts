import type { Middleware } from 'koa'
import { AppError } from '../core/app-error'
import type { AppState } from './types'

/**
 * The API speaks JSON only: a request that carries a body of another type is refused with 415,
 * except image bytes sent to a photo upload path (its route checks the type itself).
 */
export function requireJson(upload: { paths: readonly string[]; types: string[] }): Middleware<AppState> {
  return async (ctx, next) => {
    const hasBody = Number(ctx.get('content-length') || 0) > 0 || ctx.get('transfer-encoding') !== ''
    const isUpload = upload.paths.includes(ctx.path) && ctx.method === 'POST' && ctx.is(upload.types)
    if (hasBody && !isUpload && !ctx.is('application/json')) throw new AppError('UNSUPPORTED_MEDIA_TYPE')
    await next()
  }
}
