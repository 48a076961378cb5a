import type { Logger } from 'pino'
import type { Actor, OperatorActor } from '../core/actor'

export interface AppState {
  requestId: string
  log: Logger
  actor?: Actor
  operator?: OperatorActor
}
