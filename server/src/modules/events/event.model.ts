import mongoose, { Schema, model, type Model, type Types } from 'mongoose'
import { EVENT_NAMES } from '@xianlin/shared'
import { isDuplicateKeyError } from '../../db/errors'

/**
 * One analytics event. `day` is the business-timezone calendar day, stored at write time because
 * reports group by it and the embedded database has no date operators in aggregations. `tier` is the member's
 * lifecycle tier at the time, so an event can be read by the tier its member was in.
 *
 * Events live in one collection per business day (`events_2026_12_05`). The daily fold reads a
 * day whole and nothing reads events otherwise; on the embedded database, which answers no filter
 * but `_id` from an index, a `{day}` query over one collection decoded every event ever kept (about
 * 45 s a day at 2.2 million events), where a day's own collection holds only that day. Old days
 * can be dropped whole. A keyed event derives its `_id` from its key and its day from the time of
 * the fact it records, so a rerun lands on the same document of the same collection.
 */
const EventSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, default: null },
    name: { type: String, enum: EVENT_NAMES, required: true },
    props: { type: Schema.Types.Mixed, default: {} },
    at: { type: Date, required: true },
    day: { type: String, required: true },
    /** The member's lifecycle tier when it happened (as last stamped; null: not known, or no member). */
    tier: { type: String, default: null },
  },
  { versionKey: false, minimize: false },
)

export type StoredEvent = { _id: Types.ObjectId; userId: Types.ObjectId | null; name: string; props: unknown; at: Date; day: string; tier: string | null }

const PREFIX = 'events_'
const DAY = /^\d{4}-\d{2}-\d{2}$/

/** The collection holding business day `day`'s events. */
export function eventsCollectionOf(day: string): string {
  if (!DAY.test(day)) throw new Error(`not a business day: ${day}`)
  return PREFIX + day.replaceAll('-', '_')
}

const models = new Map<string, Model<StoredEvent>>()

/** The model of business day `day`'s events (one per day, made on first use). */
export function eventsOfDay(day: string): Model<StoredEvent> {
  const collection = eventsCollectionOf(day)
  let m = models.get(collection)
  if (!m) {
    m = (mongoose.models[`Event_${collection}`] as Model<StoredEvent> | undefined) ?? model<StoredEvent>(`Event_${collection}`, EventSchema, collection)
    models.set(collection, m)
  }
  return m
}

/** The days that have an events collection, in order. */
export async function eventDays(): Promise<string[]> {
  const names = await mongoose.connection.db!.listCollections({}, { nameOnly: true }).toArray()
  return names
    .map((c) => c.name)
    .filter((n) => n.startsWith(PREFIX) && DAY.test(n.slice(PREFIX.length).replaceAll('_', '-')))
    .map((n) => n.slice(PREFIX.length).replaceAll('_', '-'))
    .sort()
}

/**
 * Events of every day matching `filter`, by time (tests and one-off reads: this visits each
 * day's collection; the reports read rollups instead).
 */
export async function findEvents(filter: Record<string, unknown> = {}): Promise<StoredEvent[]> {
  const found: StoredEvent[] = []
  for (const day of await eventDays()) found.push(...(await eventsOfDay(day).find(filter).lean<StoredEvent[]>()))
  return found.sort((a, b) => a.at.getTime() - b.at.getTime() || String(a._id).localeCompare(String(b._id)))
}

/** How many events of every day match `filter`. */
export async function countEvents(filter: Record<string, unknown> = {}): Promise<number> {
  let n = 0
  for (const day of await eventDays()) n += await eventsOfDay(day).countDocuments(filter)
  return n
}

/**
 * Moves events kept before they were split by day (one `events` collection) into their days'
 * collections, then drops the old collection; does nothing when there is none. Safe to repeat:
 * events keep their `_id`, so one moved already is skipped.
 */
export async function moveUndividedEvents(): Promise<number> {
  const db = mongoose.connection.db!
  if (!(await db.listCollections({ name: 'events' }, { nameOnly: true }).toArray()).length) return 0
  let moved = 0
  let batch: StoredEvent[] = []
  const flush = async () => {
    const byDay = new Map<string, StoredEvent[]>()
    for (const e of batch) {
      const sameDay = byDay.get(e.day)
      if (sameDay) sameDay.push(e)
      else byDay.set(e.day, [e])
    }
    for (const [day, events] of byDay) await insertNew(day, events)
    moved += batch.length
    batch = []
  }
  for await (const e of db.collection<StoredEvent>('events').find({})) {
    batch.push(e as StoredEvent)
    if (batch.length >= 5000) await flush()
  }
  await flush()
  await db.collection('events').drop()
  return moved
}

/** Inserts `events` of `day`, skipping those already there (same `_id`). */
export async function insertNew(day: string, events: readonly StoredEvent[]): Promise<void> {
  if (!events.length) return
  try {
    await eventsOfDay(day).collection.insertMany([...events], { ordered: false })
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err // a second run: those are there already
  }
}
