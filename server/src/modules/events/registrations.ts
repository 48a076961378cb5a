import type { Channel } from '@xianlin/shared'
import { registeredOn, registrationDays } from './member-sets'

/**
 * Every member registered by `day` (inclusive), by member number, with their registration day and
 * first-touch channel: the `register` sets of the days someone registered on, read by `_id`. The embedded database would decode every member profile to answer the same from the
 * profiles (seconds at 100,000 members).
 */
export function registrationsBy(day: string): Promise<Map<number, { day: string; channel: Channel | 'unknown' }>> {
  return registrationDays(day).then(registeredOn)
}
