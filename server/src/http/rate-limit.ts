import type { Middleware } from 'koa'
import { AppError } from '../core/app-error'
import { hit } from '../modules/ratelimit/rate-limit.service'
import type { AppState } from './types'

/** Limits requests per client IP per minute (login endpoints), counted across all instances. */
export function rateLimitPerIp(bucket: string, perMinute: number, clock: () => Date): Middleware<AppState> {
  return async (ctx, next) => {
    const { allowed, retryAfterSeconds } = await hit(bucket, ctx.ip || 'unknown', perMinute, 60, clock())
    if (!allowed) {
      ctx.set('Retry-After', String(retryAfterSeconds))
      throw new AppError('RATE_LIMITED')
    }
    await next()
  }
}

/** Code and id look-ups (invite, leader, share, assist): enough for a person, too few to guess. */
export const CODE_LOOKUPS = { bucket: 'code-lookup', perUser: 20, perIp: 120 } as const
/** Anonymous analytics from the mini-program: a busy shopper's visits and views, not a flood. */
export const CLIENT_EVENTS = { bucket: 'client-event', perUser: 120, perIp: 300 } as const
