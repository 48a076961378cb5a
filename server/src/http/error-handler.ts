import type { Middleware } from 'koa'
import { ERRORS, type ErrorCode } from '@xianlin/shared'
import { AppError } from '../core/app-error'
import type { AppState } from './types'
import { isDatabaseUnavailableError } from '../db/connection'
import { DATABASE_RETRY_AFTER_SECONDS } from './database-gate'

/** Errors raised by Koa's own middleware (body parser, router, static files) that carry an HTTP status. */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'INVALID_JSON',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  431: 'HEADERS_TOO_LARGE',
  501: 'NOT_IMPLEMENTED',
  503: 'SERVICE_UNAVAILABLE',
}

/**
 * First in the chain: every failure leaves as `{ error: { code, message, details? } }`.
 * Expected errors keep their message; anything else is a logged 500 with a generic message.
 */
export function errorHandler(): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next()
      if (ctx.status === 404 && ctx.body === undefined) throw new AppError('NOT_FOUND')
    } catch (err) {
      const known = toAppError(err)
      if (known?.code === 'DATABASE_UNAVAILABLE') ctx.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS))
      if (known) {
        ctx.status = known.status
        ctx.body = { error: { code: known.code, message: known.message, ...(known.details ? { details: known.details } : {}) } }
        if (known.status >= 500 && known.code !== 'DATABASE_UNAVAILABLE') ctx.state.log.error({ err }, 'request failed')
        else if (known.code === 'DATABASE_UNAVAILABLE') ctx.state.log.warn('database unavailable')
        return
      }
      ctx.state.log.error({ err }, 'unexpected error')
      ctx.status = 500
      ctx.body = { error: { code: 'INTERNAL', message: ERRORS.INTERNAL.message } }
    }
  }
}

function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err
  // The database went away mid-request: the client may retry; nothing is the request's fault.
  if (isDatabaseUnavailableError(err)) return new AppError('DATABASE_UNAVAILABLE')
  const status = (err as { status?: number; expose?: boolean } | null)?.status
  if (typeof status === 'number' && STATUS_CODES[status]) return new AppError(STATUS_CODES[status])
  // Any other client error raised with a status by a library is still the client's: a JSON 400.
  if (typeof status === 'number' && status >= 400 && status < 500) return new AppError('VALIDATION_FAILED')
  return null
}
