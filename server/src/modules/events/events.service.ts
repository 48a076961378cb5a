import type { Types } from 'mongoose'
import { businessDay, type EventName } from '@xianlin/shared'
import type { Logger } from '../../logger'
import { EventModel } from './event.model'

export interface TrackInput {
  userId?: string | Types.ObjectId | null
  name: EventName
  props?: Record<string, unknown>
  at: Date
}

export interface EventsService {
  /** Records an event. Never rejects: analytics must not fail the request that emits it. */
  track(input: TrackInput): Promise<void>
}

export function createEventsService(opts: { timeZone: string; log: Logger }): EventsService {
  return {
    async track({ userId, name, props = {}, at }) {
      try {
        await EventModel.create({ userId: userId ?? null, name, props, at, day: businessDay(at, opts.timeZone) })
      } catch (err) {
        opts.log.warn({ err, event: name }, 'analytics event not recorded')
      }
    },
  }
}
