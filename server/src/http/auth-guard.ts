import type { Context } from 'koa'
import type { Role } from '@xianlin/shared'
import { AppError } from '../core/app-error'
import type { Actor } from '../core/actor'
import type { Authority } from '../modules/auth/authority'

/** Reads the Bearer access token; roles and stores come fresh from the database. Required routes answer 401 without a valid one. */
export async function authenticate(ctx: Context, authority: Authority, required: boolean): Promise<Actor | undefined> {
  const header = ctx.get('authorization')
  if (!header) {
    if (required) throw new AppError('UNAUTHENTICATED')
    return undefined
  }
  try {
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    if (!match) throw new AppError('TOKEN_INVALID')
    const actor = await authority.actorFrom(match[1]!)
    ctx.state.actor = actor
    return actor
  } catch (err) {
    // A stale token must not break a public page; it only matters where sign-in is required.
    if (required) throw err
    return undefined
  }
}

/** 403 unless the actor holds one of `roles` (null: any signed-in user). */
export function requireRoles(roles: readonly Role[] | null) {
  return (actor: Actor | undefined): void => {
    if (!actor) throw new AppError('UNAUTHENTICATED')
    if (roles && !roles.some((r) => actor.roles.includes(r))) {
      // Only leaders are suspended today: say so rather than a bare "no permission".
      throw new AppError(roles.some((r) => actor.suspendedRoles?.includes(r)) ? 'LEADER_SUSPENDED' : 'FORBIDDEN')
    }
  }
}
