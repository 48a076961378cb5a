import type { Middleware } from 'koa'
import { AppError } from '../core/app-error'
import type { AppState } from './types'

/** The API speaks JSON only: a request that carries a body of another type is refused with 415. */
export function requireJson(): Middleware<AppState> {
  return async (ctx, next) => {
    const hasBody = Number(ctx.get('content-length') || 0) > 0 || ctx.get('transfer-encoding') !== ''
    if (hasBody && !ctx.is('application/json')) throw new AppError('UNSUPPORTED_MEDIA_TYPE')
    await next()
  }
}
