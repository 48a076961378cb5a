import { Schema, model } from 'mongoose'
import { bulkUpdate } from '../../db/bulk-update'
import { readByIds } from '../../db/read-by-ids'

/**
 * A day's list of entries that grows with the members (who paid and how much, whose shares were
 * opened), kept by the daily fold in parts of at most `PART_ENTRIES` entries, a document each
 * (`_id` `list|YYYY-MM-DD|k`, entries in one space-separated string: cheap to decode), so no
 * document outgrows its bound however many members there are. A range of days is read by `_id`
 * in one command, and one more when some day needed several parts.
 */
export const PART_ENTRIES = 20_000

const DayListSchema = new Schema(
  {
    _id: { type: String, required: true },
    entries: { type: String, default: '' },
    /** Part 0 only: how many parts the day's list has. */
    parts: { type: Number },
  },
  { versionKey: false },
)
const DayListModel = model('DayList', DayListSchema, 'day_lists')
type DayListPart = { _id: string; entries?: string; parts?: number }

export type DayListName = 'payers' | 'share_opens_by'

const partId = (list: DayListName, day: string, part: number) => `${list}|${day}|${part}`

/** Replaces `day`'s `list` with `entries` (none: an empty list), removing parts a longer list had before. */
export async function saveDayList(list: DayListName, day: string, entries: readonly string[]): Promise<void> {
  const parts = Math.max(1, Math.ceil(entries.length / PART_ENTRIES))
  const before = (await DayListModel.findById(partId(list, day, 0), { parts: 1 }).lean<DayListPart>())?.parts ?? 1
  const writes: Parameters<typeof DayListModel.bulkWrite>[0] = []
  for (let k = 0; k < parts; k++) {
    const text = entries.slice(k * PART_ENTRIES, (k + 1) * PART_ENTRIES).join(' ')
    writes.push({ updateOne: { filter: { _id: partId(list, day, k) }, update: { $set: { entries: text, ...(k === 0 ? { parts } : {}) } }, upsert: true } })
  }
  for (let k = parts; k < before; k++) writes.push({ deleteOne: { filter: { _id: partId(list, day, k) } } })
  await bulkUpdate(DayListModel, writes)
}

/** Each of `days`' `list` entries, by day (a day without a list is absent). */
export async function readDayLists(list: DayListName, days: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>()
  for (const [day, texts] of await readDayListTexts(list, days)) {
    const entries: string[] = []
    for (const text of texts) for (const entry of text.split(' ')) if (entry) entries.push(entry)
    out.set(day, entries)
  }
  return out
}

/**
 * Each of `days`' `list` as its parts' texts (entries separated by spaces), undecoded: a caller
 * with many days decodes a day at a time and gives way between them.
 */
export async function readDayListTexts(list: DayListName, days: readonly string[]): Promise<Map<string, string[]>> {
  const first = await partsById(days.map((day) => partId(list, day, 0)))
  const more: string[] = []
  for (const day of days) for (let k = 1; k < (first.get(partId(list, day, 0))?.parts ?? 1); k++) more.push(partId(list, day, k))
  const rest = more.length ? await partsById(more) : new Map<string, DayListPart>()
  const out = new Map<string, string[]>()
  for (const day of days) {
    const head = first.get(partId(list, day, 0))
    if (!head) continue
    const texts: string[] = []
    for (let k = 0; k < (head.parts ?? 1); k++) texts.push((k === 0 ? head : rest.get(partId(list, day, k)))?.entries ?? '')
    out.set(day, texts)
  }
  return out
}

async function partsById(ids: readonly string[]): Promise<Map<string, DayListPart>> {
  return new Map((await readByIds<DayListPart>(DayListModel, ids)).map((doc) => [doc._id, doc]))
}

