import mongoose from 'mongoose'
import { startTestApp, type TestApp } from '../../test/harness'
import { buildJobs } from './index'

/**
 * Every job reads only what is due: each query a job sends names the leading field of one of its
 * collection's indexes (a due date, a needs-work flag, an `_id`), so on MongoDB it reads the due
 * documents, not the collection. The embedded database scans anyway; this is what a deployment
 * at millions of members relies on. Whole-collection reads are listed below with their reason.
 */
const WHOLE_READS: Array<{ job: string; collection: RegExp; why: string }> = [
  { job: 'analytics-rollup', collection: /^events_\d{4}_\d{2}_\d{2}$/, why: "a day's own collection of events: the fold reads its day whole" },
  { job: 'analytics-rollup', collection: /^daily_metric_days$/, why: 'once per process, figures kept in an earlier shape move (a document a day, not a member)' },
]

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

type Sent = { job: string; collection: string; method: string; filter: Record<string, unknown> }

/** The filter a Mongoose call matches documents with (an aggregate's first `$match`), or null when it matches none (inserts). */
function filterOf(method: string, args: unknown[]): Record<string, unknown> | null {
  if (/^(insert|insertOne|insertMany|createIndex|createIndexes|listIndexes|drop)/.test(method)) return null
  if (method === 'aggregate') {
    const match = (args[0] as Array<Record<string, unknown>>)[0]?.$match
    return (match as Record<string, unknown>) ?? {}
  }
  if (method === 'bulkWrite') return null // each operation names its `_id`
  return (args[0] as Record<string, unknown>) ?? {}
}

/** Whether `filter` names an index's leading field (every branch of an `$or`). */
function usesIndex(filter: Record<string, unknown>, leading: ReadonlySet<string>): boolean {
  if (Array.isArray(filter.$or)) return (filter.$or as Array<Record<string, unknown>>).every((branch) => usesIndex({ ...filter, $or: undefined, ...branch }, leading))
  return Object.keys(filter).some((field) => leading.has(field) && filter[field] !== undefined)
}

describe('jobs read what is due', () => {
  it('sends no query that reads a whole collection, outside the listed ones', async () => {
    const sent: Sent[] = []
    let job = ''
    mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => {
      const filter = filterOf(method, args)
      if (filter && job) sent.push({ job, collection, method, filter })
    })
    try {
      for (const j of buildJobs(t.services)) {
        job = j.name
        await j.run(t.services.clock())
      }
    } finally {
      job = ''
      mongoose.set('debug', false)
    }
    const leadingByCollection = new Map<string, Set<string>>()
    for (const { collection } of sent) {
      if (leadingByCollection.has(collection)) continue
      const indexes = await mongoose.connection.db!.collection(collection).listIndexes().toArray().catch(() => [{ key: { _id: 1 } }])
      leadingByCollection.set(collection, new Set(indexes.map((i) => Object.keys(i.key)[0]!)))
    }
    const wholeReads = sent.filter((s) => !usesIndex(s.filter, leadingByCollection.get(s.collection)!) && !WHOLE_READS.some((w) => w.job === s.job && w.collection.test(s.collection)))
    expect(wholeReads.map((s) => `${s.job}: ${s.collection}.${s.method} ${JSON.stringify(s.filter)}`)).toEqual([])
    expect(sent.length).toBeGreaterThan(30) // the jobs were heard
  })
})
