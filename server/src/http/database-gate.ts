import type { Middleware } from 'koa'
import { databaseConnected } from '../db/connection'
import { AppError } from '../core/app-error'
import type { AppState } from './types'

/** Seconds a client is told to wait while the database is away (the embedded one restarts in about one). */
export const DATABASE_RETRY_AFTER_SECONDS = 2

/**
 * While the driver has no database, API requests answer `503 DATABASE_UNAVAILABLE` with
 * `Retry-After` at once: nothing half-done, no request waiting for a timeout. `/healthz` and
 * `/readyz` stay outside, so probes see the truth.
 */
export function databaseGate(): Middleware<AppState> {
  return async (ctx, next) => {
    if (ctx.path.startsWith('/api/') && !databaseConnected()) throw new AppError('DATABASE_UNAVAILABLE')
    await next()
  }
}
