import type { Channel } from '@xianlin/shared'
import { daysWithMetric } from './daily-metrics'
import { channelsOf } from './member-profiles'
import { registeredOn } from './member-sets'

/**
 * Every member registered by `day` (inclusive), with their registration day and first-touch
 * channel: the `register` sets of the days the rollups counted new members, read by `_id`. The
 * embedded database would decode every member profile to answer the same from the profiles
 * (seconds at 100,000 members). Sets written before channels were kept take theirs from the profiles.
 */
export async function registrationsBy(day: string): Promise<Map<string, { day: string; channel: Channel | 'unknown' }>> {
  const registered = await registeredOn(await daysWithMetric('new_members|all', day))
  const unknown = [...registered].filter(([, r]) => r.channel === null).map(([id]) => id)
  const fromProfiles = unknown.length ? await channelsOf(unknown) : new Map<string, Channel | 'unknown'>()
  return new Map([...registered].map(([id, r]) => [id, { day: r.day, channel: r.channel ?? fromProfiles.get(id) ?? 'unknown' }]))
}

/** Each member registered by `day`, with their registration day. */
export async function registeredBy(day: string): Promise<Map<string, string>> {
  return new Map([...(await registrationsBy(day))].map(([id, r]) => [id, r.day]))
}
