import { createHash } from 'node:crypto'
import { Types } from 'mongoose'
import { addDays, businessDay, EVENT_CATALOGUE, type EventName, type EventProps, type LifecycleTier, type Rules } from '@xianlin/shared'
import { moveMetricRows, moveShareOpensBy, rollupDay } from './daily-metrics'
import { isNewcomer, memberTierIndexesOn } from './lifecycle-report'
import { channelsOf, numberMembers, stampedTiersOf, stampTiers } from './member-profiles'
import { moveDaySets } from './member-sets'
import { moveDayPayments } from './member-payments'
import { registrationTimes } from '../users/users.service'
import type { Logger } from '../../logger'
import { eventsOfDay, moveUndividedEvents, type StoredEvent } from './event.model'
import { insertBuiltMany } from '../../db/insert-built'

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
  /** Records many events (a job's batch) in a few commands; as `track`, never rejects. */
  trackMany(inputs: TrackInput[]): Promise<void>
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
  /**
   * Each event's member tier: from the cache, else their stamp, else 新客 when they registered
   * recently (one who registered before events were kept stays unknown). One read for all the
   * stamps missing from the cache, one for the registrations of those without a stamp.
   */
  async function tiersOf(events: Array<{ userId: Types.ObjectId | null; name: EventName; at: Date }>): Promise<Array<LifecycleTier | null>> {
    // A member registering in this batch is a newcomer in all of its events (no read needed).
    const registering = new Set(events.filter((e) => e.name === 'register' && e.userId).map((e) => String(e.userId)))
    const cachedTier = (e: { userId: Types.ObjectId | null; name: EventName; at: Date }) => {
      if (!e.userId) return null
      if (e.name === 'register' || registering.has(String(e.userId))) return 'new'
      const cached = tiers.get(String(e.userId))
      return cached && e.at.getTime() >= cached.from && e.at.getTime() < cached.until ? cached.tier : undefined
    }
    const found = events.map(cachedTier)
    // Remember the newcomers, so their next events (a check-in, an order) read nothing either.
    for (const e of events) if (e.userId && registering.has(String(e.userId)) && !tiers.has(String(e.userId))) tiers.set(String(e.userId), { tier: 'new', from: e.at.getTime(), until: e.at.getTime() + TIER_TTL_MS })
    const missing = [...new Map(events.filter((_, i) => found[i] === undefined).map((e) => [String(e.userId), e.userId!])).values()]
    if (missing.length === 0) return found.map((tier) => tier ?? null)
    const stamped = await stampedTiersOf(missing)
    const unstamped = missing.filter((u) => !stamped.has(String(u)))
    const registered = unstamped.length > 0 ? await registrationTimes(unstamped) : new Map<string, Date>()
    if (tiers.size + missing.length > TIER_CACHE_LIMIT) tiers.clear()
    return events.map((e, i) => {
      if (found[i] !== undefined) return found[i]
      const id = String(e.userId)
      const joined = registered.get(id)
      const tier = stamped.get(id) ?? (joined && isNewcomer(businessDay(e.at, opts.timeZone), businessDay(joined, opts.timeZone), opts.lifecycle) ? 'new' : null)
      tiers.set(id, { tier, from: e.at.getTime(), until: e.at.getTime() + TIER_TTL_MS })
      return tier
    })
  }

  async function trackMany(inputs: TrackInput[]): Promise<void> {
    // The types hold emitters to the catalogue; this holds anything that slips past them.
    const valid = inputs.filter(({ name, props }) => {
      const checked = EVENT_CATALOGUE[name].props.safeParse(props)
      if (!checked.success) opts.log.warn({ event: name, issues: checked.error.issues }, 'analytics event does not match the catalogue; not recorded')
      return checked.success
    })
    try {
      const events = valid.map((e) => ({ ...e, userId: e.userId ? new Types.ObjectId(e.userId) : null }))
      const tierOfEvent = await tiersOf(events)
      const byDay = new Map<string, StoredEvent[]>()
      for (const [i, { userId, name, props, at, key }] of events.entries()) {
        // A keyed event's id is derived from its key, so the unique `_id` keeps it to one (a rerun is refused there).
        const _id = key ? new Types.ObjectId(createHash('sha256').update(key).digest().subarray(0, 12)) : new Types.ObjectId()
        const day = businessDay(at, opts.timeZone)
        const ofDay = byDay.get(day) ?? []
        ofDay.push({ _id, userId, name, props, at, day, tier: tierOfEvent[i]! })
        byDay.set(day, ofDay)
      }
      for (const [day, docs] of byDay) await insertBuiltMany(eventsOfDay(day), docs)
    } catch (err) {
      opts.log.warn({ err, events: valid.map((e) => e.name) }, 'analytics events not recorded')
    }
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
        const opens = await moveShareOpensBy()
        if (opens) opts.log.info({ days: opens }, "sharers' opens moved into day lists")
        const paidDays = await moveDayPayments()
        if (paidDays) opts.log.info({ days: paidDays }, 'day payments moved into day lists')
        const sets = await moveDaySets(numberMembers, channelsOf)
        if (sets) opts.log.info({ sets }, 'day member sets moved into month documents of member numbers')
        oldShapesMoved = true
      }
      const today = businessDay(now, opts.timeZone)
      const folded = (await rollupDay(addDays(today, -1))) + (await rollupDay(today))
      const { tiers, names, none } = await memberTierIndexesOn(today, opts.lifecycle)
      await stampTiers(tiers, names, none)
      return folded
    },

    track: (input) => trackMany([input]),
    trackMany,
  }
}
