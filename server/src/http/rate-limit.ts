import type { Context, Middleware } from 'koa'
import { AppError } from '../core/app-error'
import { hit } from '../modules/ratelimit/rate-limit.service'
import type { AppState } from './types'

/**
 * Counts one request against each `[bucket, subject, perMinute]` window (across all instances)
 * and refuses with 429 `RATE_LIMITED` and `Retry-After` when any is over its limit.
 */
export async function refuseIfOverLimit(ctx: Context, windows: Array<[string, string, number]>, now: Date): Promise<void> {
  const results = await Promise.all(windows.map(([bucket, subject, perMinute]) => hit(bucket, subject, perMinute, 60, now)))
  const refused = results.find((r) => !r.allowed)
  if (!refused) return
  ctx.set('Retry-After', String(refused.retryAfterSeconds))
  throw new AppError('RATE_LIMITED')
}

/** Limits requests per client IP per minute (login endpoints). */
export function rateLimitPerIp(bucket: string, perMinute: number, clock: () => Date): Middleware<AppState> {
  return async (ctx, next) => {
    await refuseIfOverLimit(ctx, [[bucket, ctx.ip || 'unknown', perMinute]], clock())
    await next()
  }
}

/** Code and id look-ups (invite, leader, share, assist): enough for a person, too few to guess. */
export const CODE_LOOKUPS = { bucket: 'code-lookup', perUser: 20, perIp: 120 } as const
/** Review photos from members: a few reviews' worth a minute, not a flood of images. */
export const PHOTO_UPLOADS = { bucket: 'photo-upload', perUser: 20, perIp: 60 } as const
/** Anonymous analytics from the mini-program: a busy shopper's visits and views, not a flood. */
export const CLIENT_EVENTS = { bucket: 'client-event', perUser: 120, perIp: 300 } as const
