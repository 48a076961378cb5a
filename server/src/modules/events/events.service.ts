import { createHash } from 'node:crypto'
import { Types } from 'mongoose'
import { isDuplicateKeyError } from '../../db/errors'
import { addDays, businessDay, EVENT_CATALOGUE, type EventName, type EventProps, type LifecycleTier, type Rules } from '@xianlin/shared'
import { moveMetricRows, rollupDay } from './daily-metrics'
import { isNewcomer, memberTiersOn } from './lifecycle-report'
import { channelsOf, numberMembers, stampedTierOf, stampTiers } from './member-profiles'
import { moveDaySets } from './member-sets'
import { moveDayPayments } from './member-payments'
import { registeredAt } from '../users/users.service'
import type { Logger } from '../../logger'
import { eventsOfDay, moveUndividedEvents } from './event.model'

/** An event as its emitter gives it: the catalogue (shared/src/api/events.ts) types each one's props. */
export type TrackInput = {
  [N in EventName]: {
    userId?: string | Types.ObjectId | null
    name: N
    props: EventProps<N>
    at: Date
    /**
     * Records the event once per key (a flow that reruns after a crash emits it again). With a
     * key, `at` must be the time of the fact (stored, not the clock's): a rerun after midnight
     * would otherwise land on another day's collection.
     */
    key?: string
  }
}[EventName]

export interface EventsService {
  /** Records an event. Never rejects: analytics must not fail the request that emits it. */
  track(input: TrackInput): Promise<void>
  /**
   * Job: folds today's and yesterday's events (late arrivals) into the daily rollups, then stamps
   * each member's lifecycle tier today on their profile, where events pick it up.
   */
  rollupRecent(now: Date): Promise<number>
}

/** How long an instance reuses a member's stamped tier: the rollup job stamps every 10 minutes. */
const TIER_TTL_MS = 10 * 60_000
const TIER_CACHE_LIMIT = 100_000

export function createEventsService(opts: { timeZone: string; lifecycle: Rules['lifecycle']; log: Logger }): EventsService {
  // Tiers read from profiles, per member and 10 minutes of event time, so a member's events cost one read at most that often.
  const tiers = new Map<string, { tier: LifecycleTier | null; from: number; until: number }>()
  async function tierOf(userId: Types.ObjectId, name: EventName, at: Date): Promise<LifecycleTier | null> {
    if (name === 'register') return 'new'
    const cached = tiers.get(String(userId))
    if (cached && at.getTime() >= cached.from && at.getTime() < cached.until) return cached.tier
    // No stamp yet: a member who registered since the last one is 新客 (one who registered before events were kept stays unknown).
    const tier = (await stampedTierOf(userId)) ?? (await newcomerAt(userId, at))
    if (tiers.size >= TIER_CACHE_LIMIT) tiers.clear()
    tiers.set(String(userId), { tier, from: at.getTime(), until: at.getTime() + TIER_TTL_MS })
    return tier
  }

  async function newcomerAt(userId: Types.ObjectId, at: Date): Promise<'new' | null> {
    const registered = await registeredAt(userId)
    return registered && isNewcomer(businessDay(at, opts.timeZone), businessDay(registered, opts.timeZone), opts.lifecycle) ? 'new' : null
  }

  let oldShapesMoved = false

  return {
    async rollupRecent(now) {
      if (!oldShapesMoved) {
        // Rollups kept in an earlier shape move once per database (each call finds nothing after).
        const moved = await moveUndividedEvents()
        if (moved) opts.log.info({ moved }, 'events moved into one collection per day')
        const days = await moveMetricRows()
        if (days) opts.log.info({ days }, 'daily metrics moved into one document per day')
        const paidDays = await moveDayPayments()
        if (paidDays) opts.log.info({ days: paidDays }, 'day payments moved into month documents')
        const sets = await moveDaySets(numberMembers, channelsOf)
        if (sets) opts.log.info({ sets }, 'day member sets moved into month documents of member numbers')
        oldShapesMoved = true
      }
      const today = businessDay(now, opts.timeZone)
      const folded = (await rollupDay(addDays(today, -1))) + (await rollupDay(today))
      await stampTiers(await memberTiersOn(today, opts.lifecycle))
      return folded
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
        const user = userId ? new Types.ObjectId(userId) : null
        const tier = user ? await tierOf(user, name, at) : null
        const day = businessDay(at, opts.timeZone)
        await eventsOfDay(day).create({ ...(_id ? { _id } : {}), userId: user, name, props, at, day, tier })
      } catch (err) {
        if (key && isDuplicateKeyError(err)) return
        opts.log.warn({ err, event: name }, 'analytics event not recorded')
      }
    },
  }
}
