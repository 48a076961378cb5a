import { createHash } from 'node:crypto'
import { Types } from 'mongoose'
import { isDuplicateKeyError } from '../../db/errors'
import { addDays, businessDay, EVENT_CATALOGUE, type EventName, type EventProps } from '@xianlin/shared'
import { rollupDay } from './daily-metrics'
import type { Logger } from '../../logger'
import { EventModel } from './event.model'

/** An event as its emitter gives it: the catalogue (shared/src/api/events.ts) types each one's props. */
export type TrackInput = {
  [N in EventName]: {
    userId?: string | Types.ObjectId | null
    name: N
    props: EventProps<N>
    at: Date
    /** Records the event once per key (a flow that reruns after a crash emits it again). */
    key?: string
  }
}[EventName]

export interface EventsService {
  /** Records an event. Never rejects: analytics must not fail the request that emits it. */
  track(input: TrackInput): Promise<void>
  /** Job: folds today's and yesterday's events (late arrivals) into the daily rollups. */
  rollupRecent(now: Date): Promise<number>
}

export function createEventsService(opts: { timeZone: string; log: Logger }): EventsService {
  return {
    async rollupRecent(now) {
      const today = businessDay(now, opts.timeZone)
      return (await rollupDay(addDays(today, -1))) + (await rollupDay(today))
    },

    async track({ userId, name, props, at, key }) {
      // The types hold emitters to the catalogue; this holds anything that slips past them.
      const checked = EVENT_CATALOGUE[name].props.safeParse(props)
      if (!checked.success) {
        opts.log.warn({ event: name, issues: checked.error.issues }, 'analytics event does not match the catalogue; not recorded')
        return
      }
      try {
        // A keyed event's id is derived from its key, so the unique `_id` keeps it to one.
        const _id = key ? new Types.ObjectId(createHash('sha256').update(key).digest().subarray(0, 12)) : undefined
        await EventModel.create({ ...(_id ? { _id } : {}), userId: userId ?? null, name, props, at, day: businessDay(at, opts.timeZone) })
      } catch (err) {
        if (key && isDuplicateKeyError(err)) return
        opts.log.warn({ err, event: name }, 'analytics event not recorded')
      }
    },
  }
}
