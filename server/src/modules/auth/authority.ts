import type { Role } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import type { Actor } from '../../core/actor'
import { authorityOf } from '../users/users.service'
import type { TokenService } from './token.service'

export interface Authority {
  /** The actor behind an access token, with roles, stores and leader status as the database has them now. */
  actorFrom(token: string): Promise<Actor>
  /** Drops this instance's cached authority of a user (their roles or stores just changed here). */
  forget(userId: string): void
}

interface Cached {
  at: number
  roles: Role[]
  suspendedRoles: Role[]
  storeIds: string[]
  sessionVersion: number
}

/**
 * Fresh authority (a token says who, the database says what they may do): a clerk removed from a
 * store, a suspended leader or a demoted operator is refused on the next request, and a token
 * from before a revoked session (session version raised) stops working. Each instance caches a
 * user's authority for `cacheMs` (a few seconds at most) and drops it at once when it changes it.
 */
export function createAuthority(deps: { tokens: TokenService; leaderActive: (userId: string) => Promise<boolean>; cacheMs: number; now?: () => number }): Authority {
  const now = deps.now ?? Date.now
  const cache = new Map<string, Cached>()

  async function load(userId: string): Promise<Cached | null> {
    const hit = cache.get(userId)
    if (hit && now() - hit.at < deps.cacheMs) return hit
    const found = await authorityOf(userId)
    if (!found) return null
    // A suspended leader keeps the role on the account but acts as a shopper until reinstated.
    const suspended = found.roles.includes('leader') && !(await deps.leaderActive(userId))
    const roles = suspended ? found.roles.filter((r) => r !== 'leader') : found.roles
    const fresh = { at: now(), roles, suspendedRoles: suspended ? (['leader'] as Role[]) : [], storeIds: found.storeIds, sessionVersion: found.sessionVersion }
    if (deps.cacheMs > 0) {
      if (cache.size > 10_000) cache.clear()
      cache.set(userId, fresh)
    }
    return fresh
  }

  return {
    async actorFrom(token) {
      const claims = deps.tokens.verifyAccess(token)
      const current = await load(claims.userId)
      if (!current || current.sessionVersion !== claims.sessionVersion) throw new AppError('SESSION_REVOKED')
      return { userId: claims.userId, roles: current.roles, storeIds: current.storeIds, ...(current.suspendedRoles.length ? { suspendedRoles: current.suspendedRoles } : {}) }
    },
    forget: (userId) => void cache.delete(userId),
  }
}
