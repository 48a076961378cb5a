import type { Logger } from 'pino'
import type { Role } from '@xianlin/shared'

/** Who is making the request, from a verified access token. */
export interface Actor {
  userId: string
  roles: Role[]
  storeIds: string[]
}

export interface AppState {
  requestId: string
  log: Logger
  actor?: Actor
}
