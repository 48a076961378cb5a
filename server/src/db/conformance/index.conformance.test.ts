import mongoose from 'mongoose'
import { isDuplicateKeyError } from '../errors'
import { conformanceSuite } from './conformance'

const db = conformanceSuite(__filename)

describe('indexes and keys on the embedded database agree with MongoDB', () => {
  it('refuses a second document with the same _id with duplicate-key error 11000', async () => {
    const c = db.collection('keys')
    await c.insertOne({ _id: 'user:key' })
    const err = await c.insertOne({ _id: 'user:key' }).catch((e: unknown) => e)
    expect(isDuplicateKeyError(err)).toBe(true)
  })

  it('lets exactly one of many racing inserts of one _id succeed (insert-once)', async () => {
    const c = db.collection('once')
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => c.insertOne({ _id: 'only', i })))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of results) if (r.status === 'rejected') expect(isDuplicateKeyError(r.reason)).toBe(true)
  })

  it('keeps each update whole when updates race on several connections (a counter, a one-slot claim)', async () => {
    // FerretDB 1.24 as released reads, then writes, without isolation: on 8 connections 50 `$inc`
    // left a counter far below 50 (ferretdb-install.ts makes write commands take turns).
    const client = new mongoose.mongo.MongoClient(db.uri, { maxPoolSize: 8 })
    try {
      const c = client.db().collection<{ _id: string; v?: number; taken?: number }>(`racing_${Date.now()}`)
      await c.insertMany([{ _id: 'counter', v: 0 }, { _id: 'slot', taken: 0 }])
      await Promise.all(Array.from({ length: 50 }, () => c.updateOne({ _id: 'counter' }, { $inc: { v: 1 } })))
      expect((await c.findOne({ _id: 'counter' }))!.v).toBe(50)
      const claims = await Promise.all(Array.from({ length: 20 }, () => c.findOneAndUpdate({ _id: 'slot', taken: { $lt: 1 } }, { $inc: { taken: 1 } })))
      expect(claims.filter((r) => r !== null)).toHaveLength(1)
      expect((await c.findOne({ _id: 'slot' }))!.taken).toBe(1)
      await c.drop()
    } finally {
      await client.close()
    }
  })

  it('keeps a unique and a compound unique index', async () => {
    const c = db.collection('uniq')
    await c.createIndex({ openid: 1 }, { unique: true })
    await c.createIndex({ owner: 1, seq: 1 }, { unique: true })
    await c.insertOne({ openid: 'o1', owner: 'a', seq: 1 })
    expect(isDuplicateKeyError(await c.insertOne({ openid: 'o1', owner: 'b', seq: 1 }).catch((e: unknown) => e))).toBe(true)
    expect(isDuplicateKeyError(await c.insertOne({ openid: 'o2', owner: 'a', seq: 1 }).catch((e: unknown) => e))).toBe(true)
    await c.insertOne({ openid: 'o3', owner: 'a', seq: 2 })
    expect(await c.countDocuments({})).toBe(2)
  })

  it('answers an upsert race on one _id with one document and duplicate-key errors for the losers', async () => {
    const c = db.collection('upsert_race')
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => c.findOneAndUpdate({ _id: 'k', count: { $lt: 100 } }, { $inc: { count: 1 } }, { upsert: true, returnDocument: 'after' })))
    for (const r of results) if (r.status === 'rejected') expect(isDuplicateKeyError(r.reason)).toBe(true)
    const ok = results.filter((r) => r.status === 'fulfilled').length
    expect((await c.findOne({ _id: 'k' }))!.count).toBe(ok)
  })

  it('finds a document by _id through the _id index, not by reading the whole collection', async () => {
    // FerretDB 1.24 as released scans every row for an _id lookup (ferretdb-install.ts patches it);
    // MongoDB answers with an IDHACK or index scan. Either way no collection scan.
    const c = db.collection('by_id')
    await c.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `doc:${i}`, i })))
    const explained = await c.find({ _id: 'doc:7' }).explain()
    const plan = JSON.stringify(explained.queryPlanner)
    expect(plan).not.toMatch(/COLLSCAN|detail=SCAN /)
    expect(plan).toMatch(db.engine() === 'ferretdb' ? /USING INDEX \S+__id_/ : /IDHACK|EXPRESS_IXSCAN|IXSCAN|EXPRESS_CLUSTERED/)
  })
  it('narrows a guarded read or write ({ _id, more }) to that _id through the index, and still applies the rest of the filter', async () => {
    // FerretDB 1.24 as released narrows only a filter that is `{ _id }` alone (ferretdb-install.ts patches it).
    const c = db.collection('guarded_by_id')
    await c.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `doc:${i}`, i })))
    const plan = JSON.stringify((await c.find({ _id: 'doc:7', i: 7 }).explain()).queryPlanner)
    expect(plan).not.toMatch(/COLLSCAN|detail=SCAN /)
    expect(plan).toMatch(db.engine() === 'ferretdb' ? /USING INDEX \S+__id_/ : /IDHACK|EXPRESS_IXSCAN|IXSCAN|EXPRESS_CLUSTERED/)
    // The rest of the filter still decides.
    expect(await c.find({ _id: 'doc:7', i: 8 }).toArray()).toEqual([])
    expect(await c.countDocuments({ _id: 'doc:7', i: { $gte: 7 } })).toBe(1)
    expect((await c.updateOne({ _id: 'doc:7', v: { $exists: true } }, { $set: { v: 1 } })).modifiedCount).toBe(0)
    expect((await c.updateOne({ _id: 'doc:7', v: { $exists: false } }, { $set: { v: 1 } })).modifiedCount).toBe(1)
    expect(await c.findOneAndUpdate({ _id: 'doc:7', v: 2 }, { $set: { v: 3 } })).toBeNull()
    expect((await c.deleteOne({ _id: 'doc:8', i: 9 })).deletedCount).toBe(0)
    expect((await c.deleteOne({ _id: 'doc:8', i: 8 })).deletedCount).toBe(1)
    expect(await c.countDocuments({})).toBe(49)
  })
  it('finds documents by `_id: { $in }` (a job\u2019s batch) through the _id index, and still applies the rest of the filter', async () => {
    // FerretDB 1.24 as released narrows no `$in` (ferretdb-install.ts patches it).
    const c = db.collection('in_by_id')
    const oid = new mongoose.Types.ObjectId()
    await c.insertMany([...Array.from({ length: 50 }, (_, i) => ({ _id: `doc:${i}` as unknown, i })), { _id: oid, i: 50 }])
    const ids = ['doc:3', 'doc:7', 'doc:40', 'doc:99', oid]
    const plan = JSON.stringify((await c.find({ _id: { $in: ids } }).explain()).queryPlanner)
    expect(plan).not.toMatch(/COLLSCAN|detail=SCAN /)
    expect(plan).toMatch(db.engine() === 'ferretdb' ? /USING INDEX \S+__id_/ : /IDHACK|EXPRESS_IXSCAN|IXSCAN|EXPRESS_CLUSTERED/)
    const found = async (filter: object) => ((await c.find(filter).toArray()) as Array<{ i: number }>).map((d) => d.i).sort((a, b) => a - b)
    expect(await found({ _id: { $in: ids } })).toEqual([3, 7, 40, 50])
    expect(await found({ _id: { $in: ids }, i: { $gt: 5 } })).toEqual([7, 40, 50])
    // Ids of other types are matched too (the embedded database then reads the whole collection).
    expect(await found({ _id: { $in: ['doc:3', 5] } })).toEqual([3])
  })
})
