import { conformanceSuite, shape } from './conformance'

const db = conformanceSuite(__filename)

describe('update operators on the embedded database agree with MongoDB', () => {
  shape(['$set', '$unset'], 'on top-level and dotted paths, creating and removing embedded keys', async () => {
    const c = db.collection('set')
    await c.insertOne({ _id: 'g', held: { seat: false } })
    await c.updateOne({ _id: 'g' }, { $set: { 'held.seat': true, 'seats.u1': { orderId: 'o1' } } })
    expect(await c.findOne({ _id: 'g' })).toEqual({ _id: 'g', held: { seat: true }, seats: { u1: { orderId: 'o1' } } })
    await c.updateOne({ _id: 'g' }, { $unset: { 'seats.u1': '' } })
    expect(await c.findOne({ _id: 'g' })).toEqual({ _id: 'g', held: { seat: true }, seats: {} })
  })

  shape(['$inc', '$gt', '$exists'], 'a guarded seat: one shopper once, never past zero, in one update', async () => {
    const c = db.collection('seat')
    await c.insertOne({ _id: 'g', free: 2, seats: {} })
    const take = (u: string) => c.updateOne({ _id: 'g', free: { $gt: 0 }, [`seats.${u}`]: { $exists: false } }, { $inc: { free: -1 }, $set: { [`seats.${u}`]: { at: 1 } } })
    const results = await Promise.all([take('u1'), take('u1'), take('u2'), take('u3'), take('u1')])
    expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(2)
    const g = (await c.findOne({ _id: 'g' }))!
    expect(g.free).toBe(0)
    expect(Object.keys(g.seats)).toHaveLength(2)
    // Giving back: unset the key only if this order holds it, and free the seat in the same update.
    const back = await c.updateOne({ _id: 'g', 'seats.u1.at': 1 }, { $unset: { 'seats.u1': '' }, $inc: { free: 1 } })
    const again = await c.updateOne({ _id: 'g', 'seats.u1.at': 1 }, { $unset: { 'seats.u1': '' }, $inc: { free: 1 } })
    expect([back.modifiedCount, again.modifiedCount]).toEqual([1, 0])
    expect((await c.findOne({ _id: 'g' }))!.free).toBe(1)
  })

  shape(['$inc', '$lte', '$gte', '$exists', '$unset'], 'a held unit: count and holder key move together, upserted on first take, given back once', async () => {
    const c = db.collection('held')
    const take = (h: string) => c.updateOne({ _id: 'k', count: { $lte: 1 }, [`holders.${h}`]: { $exists: false } }, { $inc: { count: 1 }, $set: { [`holders.${h}`]: 1 } }, { upsert: true })
    expect((await take('a')).upsertedCount).toBe(1)
    expect(await c.findOne({ _id: 'k' })).toEqual({ _id: 'k', count: 1, holders: { a: 1 } })
    await expect(take('a')).rejects.toMatchObject({ code: 11000 }) // held already: the guard fails, the upsert collides
    expect((await take('b')).modifiedCount).toBe(1)
    await expect(take('c')).rejects.toMatchObject({ code: 11000 }) // full
    const back = () => c.updateOne({ _id: 'k', 'holders.a': { $exists: true }, count: { $gte: 1 } }, { $inc: { count: -1 }, $unset: { 'holders.a': '' } })
    expect([(await back()).modifiedCount, (await back()).modifiedCount]).toEqual([1, 0])
    expect(await c.findOne({ _id: 'k' })).toEqual({ _id: 'k', count: 1, holders: { b: 1 } })
  })

  shape(['$inc', '$gte', '$ne', '$exists', '$unset'], 'a basket’s session takes in one update command: each line its units keyed by the order, a line past what is left or already held changing nothing', async () => {
    const c = db.collection('sessions')
    await c.insertMany([{ _id: 'a', left: 3, closed: false, held: {} }, { _id: 'b', left: 1, closed: false, held: {} }, { _id: 'x', left: 9, closed: true, held: {} }])
    const take = (id: string, order: string, units: number) => ({ updateOne: { filter: { _id: id, left: { $gte: units }, closed: { $ne: true }, [`held.${order}`]: { $exists: false } }, update: { $inc: { left: -units }, $set: { [`held.${order}`]: units } } } })
    const first = await c.bulkWrite([take('a', 'o1', 2), take('b', 'o1', 2), take('x', 'o1', 1)], { ordered: false })
    expect(first.modifiedCount).toBe(1)
    const again = await c.bulkWrite([take('a', 'o1', 1), take('b', 'o2', 1), take('a', 'o3', 1)], { ordered: false })
    expect(again.modifiedCount).toBe(2)
    expect(await c.find({}).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'a', left: 0, closed: false, held: { o1: 2, o3: 1 } },
      { _id: 'b', left: 0, closed: false, held: { o2: 1 } },
      { _id: 'x', left: 9, closed: true, held: {} },
    ])
    // Giving back by the units held: once.
    const back = { updateOne: { filter: { _id: 'a', 'held.o1': 2 }, update: { $inc: { left: 2 }, $unset: { 'held.o1': '' } } } }
    expect((await c.bulkWrite([back, back], { ordered: false })).modifiedCount).toBe(1)
    expect(await c.findOne({ _id: 'a' })).toEqual({ _id: 'a', left: 2, closed: false, held: { o3: 1 } })
  })

  shape(['$inc', '$lt'], 'a capped counter admits exactly its ceiling among racing updates', async () => {
    const c = db.collection('cap')
    await c.insertOne({ _id: 'k', count: 0 })
    const results = await Promise.all(Array.from({ length: 12 }, () => c.updateOne({ _id: 'k', count: { $lt: 5 } }, { $inc: { count: 1 } })))
    expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(5)
    expect((await c.findOne({ _id: 'k' }))!.count).toBe(5)
  })

  shape('$setOnInsert', 'with upsert writes once and leaves an existing document alone', async () => {
    const c = db.collection('upsert')
    await c.updateOne({ _id: 'k' }, { $setOnInsert: { v: 1 } }, { upsert: true })
    await c.updateOne({ _id: 'k' }, { $setOnInsert: { v: 2 } }, { upsert: true })
    expect(await c.findOne({ _id: 'k' })).toEqual({ _id: 'k', v: 1 })
    const doc = await c.findOneAndUpdate({ _id: 'n' }, { $setOnInsert: { v: 3 } }, { upsert: true, returnDocument: 'after' })
    expect(doc).toEqual({ _id: 'n', v: 3 })
  })

  shape('$max', 'raises a value and never lowers it; with upsert it creates the field', async () => {
    const c = db.collection('max')
    await c.updateOne({ _id: 'h' }, { $max: { seq: 3 } }, { upsert: true })
    await c.updateOne({ _id: 'h' }, { $max: { seq: 1 } })
    expect((await c.findOne({ _id: 'h' }))!.seq).toBe(3)
    await c.updateOne({ _id: 'h' }, { $max: { seq: 7 } })
    expect((await c.findOne({ _id: 'h' }))!.seq).toBe(7)
  })

  shape('$max', 'on a document compares field by field, so by its first field (a ledger head and its copy of the latest entry)', async () => {
    const c = db.collection('max')
    await c.updateOne({ _id: 't' }, { $max: { tail: { seq: 2, entry: { balance: 50 } } } }, { upsert: true })
    await c.updateOne({ _id: 't' }, { $max: { tail: { seq: 10, entry: { balance: 5, lots: [{ amount: 1 }] } } } })
    await c.updateOne({ _id: 't' }, { $max: { tail: { seq: 9, entry: { balance: 500 } } } })
    expect((await c.findOne({ _id: 't' }))!.tail).toEqual({ seq: 10, entry: { balance: 5, lots: [{ amount: 1 }] } })
  })

  shape('$min', 'lowers a value and never raises it; strings compare as text (a first day); with upsert it creates the field', async () => {
    const c = db.collection('min')
    await c.updateOne({ _id: 'p' }, { $min: { firstDay: '2026-11-10' }, $max: { lastDay: '2026-11-10' } }, { upsert: true })
    await c.updateOne({ _id: 'p' }, { $min: { firstDay: '2026-11-12' }, $max: { lastDay: '2026-11-12' } })
    await c.updateOne({ _id: 'p' }, { $min: { firstDay: '2026-11-09' }, $max: { lastDay: '2026-11-09' } })
    expect(await c.findOne({ _id: 'p' })).toEqual({ _id: 'p', firstDay: '2026-11-09', lastDay: '2026-11-12' })
  })

  shape(['$push', '$ne'], 'a guarded push appends a scalar once (the guard refuses a second)', async () => {
    const c = db.collection('push')
    await c.insertOne({ _id: 'o', notified: [], taken: [] })
    const push = () => c.updateOne({ _id: 'o', notified: { $ne: 'success' } }, { $push: { notified: 'success' } })
    const results = await Promise.all([push(), push(), push()])
    expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(1)
    await c.updateOne({ _id: 'o' }, { $push: { taken: { counter: 'a', amount: 2 } } })
    expect(await c.findOne({ _id: 'o' })).toEqual({ _id: 'o', notified: ['success'], taken: [{ counter: 'a', amount: 2 }] })
  })

  shape(['$addToSet', '$pull'], 'on an array of scalars: add once, remove by value', async () => {
    const c = db.collection('roles')
    await c.insertOne({ _id: 'u', roles: ['user'] })
    await c.updateOne({ _id: 'u' }, { $addToSet: { roles: 'staff' } })
    await c.updateOne({ _id: 'u' }, { $addToSet: { roles: 'staff' } })
    expect((await c.findOne({ _id: 'u' }))!.roles).toEqual(['user', 'staff'])
    await c.updateOne({ _id: 'u' }, { $pull: { roles: 'staff' } })
    expect((await c.findOne({ _id: 'u' }))!.roles).toEqual(['user'])
  })

  it('findOneAndUpdate returns the document after the update only when the guard matched', async () => {
    const c = db.collection('fam')
    await c.insertOne({ _id: 'x', state: 'paid' })
    expect(await c.findOneAndUpdate({ _id: 'x', state: 'creating' }, { $set: { state: 'closed' } }, { returnDocument: 'after' })).toBeNull()
    expect(await c.findOneAndUpdate({ _id: 'x', state: 'paid' }, { $set: { state: 'confirmed' } }, { returnDocument: 'after' })).toEqual({ _id: 'x', state: 'confirmed' })
  })
})
