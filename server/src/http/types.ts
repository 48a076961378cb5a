import type { Logger } from 'pino'
import type { Role } from '@xianlin/shared'

/** Who is making the request, from a verified access token. */
export interface Actor {
  userId: string
  roles: Role[]
  storeIds: string[]
  /** Roles the account holds but may not use now (a suspended leader). */
  suspendedRoles?: Role[]
}

export interface AppState {
  requestId: string
  log: Logger
  actor?: Actor
}
