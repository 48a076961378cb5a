import type { Logger } from 'pino'
import type { Actor } from '../core/actor'

export interface AppState {
  requestId: string
  log: Logger
  actor?: Actor
}
