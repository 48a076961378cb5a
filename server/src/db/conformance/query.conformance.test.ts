import { Types } from 'mongoose'
import { conformanceSuite, shape } from './conformance'

const db = conformanceSuite(__filename)
const ids = (docs: Array<{ _id: unknown }>) => docs.map((d) => String(d._id)).sort()

describe('query operators on the embedded database agree with MongoDB', () => {
  shape(['$gt', '$gte', '$lt', '$lte'], 'compare numbers and dates, missing fields never match', async () => {
    const c = db.collection('cmp')
    const t0 = new Date('2026-01-01T00:00:00Z')
    await c.insertMany([{ _id: 'a', n: 1, at: t0 }, { _id: 'b', n: 5, at: new Date(t0.getTime() + 1000) }, { _id: 'c' }])
    expect(ids(await c.find({ n: { $gt: 1 } }).toArray())).toEqual(['b'])
    expect(ids(await c.find({ n: { $gte: 1 } }).toArray())).toEqual(['a', 'b'])
    expect(ids(await c.find({ n: { $lt: 5 } }).toArray())).toEqual(['a'])
    expect(ids(await c.find({ at: { $lte: t0 } }).toArray())).toEqual(['a'])
  })

  shape('$ne', 'on a scalar field matches documents without it and with another value; null means "present"', async () => {
    const c = db.collection('ne')
    await c.insertMany([{ _id: 'a', day: '2026-01-01' }, { _id: 'b', day: '2026-01-02' }, { _id: 'c' }, { _id: 'd', day: null }])
    expect(ids(await c.find({ day: { $ne: '2026-01-01' } }).toArray())).toEqual(['b', 'c', 'd'])
    expect(ids(await c.find({ day: { $ne: null } }).toArray())).toEqual(['a', 'b'])
  })

  shape('$ne', 'on an array of scalars (strings, ObjectIds) matches only when no element equals', async () => {
    const c = db.collection('ne_arr')
    const id = new Types.ObjectId()
    await c.insertMany([{ _id: 'a', notified: ['success'], paid: [id] }, { _id: 'b', notified: [], paid: [] }])
    expect(ids(await c.find({ notified: { $ne: 'success' } }).toArray())).toEqual(['b'])
    expect(ids(await c.find({ paid: { $ne: id } }).toArray())).toEqual(['b'])
  })

  shape('$gte', 'equality on a dotted path through an array of embedded documents matches when any element has it (an order\'s lines of a day)', async () => {
    const c = db.collection('lines_path')
    const p = new Types.ObjectId()
    await c.insertMany([
      { _id: 'a', lines: [{ productId: p, day: '2026-12-07' }, { productId: new Types.ObjectId(), day: '2026-12-08' }] },
      { _id: 'b', lines: [{ productId: new Types.ObjectId(), day: '2026-12-07' }] },
      { _id: 'c', lines: [{ productId: p, day: '2026-12-08' }], keptFen: 0 },
      { _id: 'd' },
    ])
    expect(ids(await c.find({ 'lines.day': '2026-12-07' }).toArray())).toEqual(['a', 'b'])
    expect(ids(await c.find({ 'lines.productId': p, 'lines.day': '2026-12-07' }).toArray())).toEqual(['a'])
    expect(ids(await c.find({ keptFen: { $gte: 0 } }).toArray())).toEqual(['c'])
  })

  shape('$inc', 'a guard equal to null matches a missing field and a null one, never a value (a first take-back, an order never revised)', async () => {
    const c = db.collection('null_guard')
    await c.insertMany([{ _id: 'a' }, { _id: 'b', rev: null }, { _id: 'c', rev: 0 }])
    expect(ids(await c.find({ rev: null }).toArray())).toEqual(['a', 'b'])
    expect((await c.updateOne({ _id: 'a', rev: null }, { $inc: { rev: 1 } })).modifiedCount).toBe(1)
    expect((await c.updateOne({ _id: 'a', rev: null }, { $inc: { rev: 1 } })).modifiedCount).toBe(0)
    expect((await c.findOne({ _id: 'a' }))!.rev).toBe(1)
  })

  shape(['$in', '$nin'], 'on _id and on fields, with ObjectIds and strings', async () => {
    const c = db.collection('in')
    const [x, y] = [new Types.ObjectId(), new Types.ObjectId()]
    await c.insertMany([{ _id: x, state: 'paid' }, { _id: y, state: 'closed' }, { _id: new Types.ObjectId(), state: 'creating' }])
    expect(ids(await c.find({ _id: { $in: [x, y] } }).toArray())).toEqual(ids([{ _id: x }, { _id: y }]))
    expect(await c.countDocuments({ state: { $in: ['paid', 'closed'] } })).toBe(2)
    expect(await c.countDocuments({ state: { $nin: ['paid', 'closed'] } })).toBe(1)
    expect(await c.countDocuments({ _id: { $in: [] } })).toBe(0)
  })

  it('equality on a path into an array of embedded documents matches when any element equals (an order line’s session or product)', async () => {
    const c = db.collection('lines')
    const p = new Types.ObjectId()
    await c.insertMany([
      { _id: 'a', lines: [{ productId: p, day: '2026-12-07' }, { productId: new Types.ObjectId(), day: '2026-12-08' }], pickupDays: ['2026-12-08', '2026-12-09'] },
      { _id: 'b', lines: [{ productId: new Types.ObjectId(), day: '2026-12-08' }], pickupDays: ['2026-12-09'] },
      { _id: 'c' },
    ])
    expect(ids(await c.find({ 'lines.day': '2026-12-08' }).toArray())).toEqual(['a', 'b'])
    expect(ids(await c.find({ 'lines.productId': p }).toArray())).toEqual(['a'])
    expect(ids(await c.find({ pickupDays: '2026-12-08' }).toArray())).toEqual(['a'])
  })

  shape('$exists', 'on a key of an embedded document (a seat keyed by user)', async () => {
    const c = db.collection('exists')
    await c.insertOne({ _id: 'g', seats: { u1: { orderId: 'o1' } } })
    expect(await c.countDocuments({ 'seats.u1': { $exists: true } })).toBe(1)
    expect(await c.countDocuments({ 'seats.u2': { $exists: false } })).toBe(1)
    expect(await c.countDocuments({ 'seats.u1': { $exists: false } })).toBe(0)
    expect(await c.countDocuments({ 'seats.u1.orderId': 'o1' })).toBe(1)
  })

  shape('$or', 'matches either branch (lease taken by its owner or expired)', async () => {
    const c = db.collection('or')
    const now = new Date()
    await c.insertMany([{ _id: 'free', leaseUntil: new Date(now.getTime() - 1), owner: 'x' }, { _id: 'mine', leaseUntil: new Date(now.getTime() + 60_000), owner: 'me' }, { _id: 'theirs', leaseUntil: new Date(now.getTime() + 60_000), owner: 'x' }])
    expect(ids(await c.find({ $or: [{ leaseUntil: { $lte: now } }, { owner: 'me' }] }).toArray())).toEqual(['free', 'mine'])
  })

  shape(['$and', '$or'], 'combines filters with a keyset cursor (newer than, or as new with a smaller _id), sorted newest first', async () => {
    const c = db.collection('and_cursor')
    const t0 = new Date('2026-12-01T00:00:00Z')
    const t1 = new Date('2026-12-02T00:00:00Z')
    const [a, b, d] = [new Types.ObjectId('000000000000000000000001'), new Types.ObjectId('000000000000000000000002'), new Types.ObjectId('000000000000000000000003')]
    await c.insertMany([{ _id: a, at: t1, action: 'x' }, { _id: b, at: t1, action: 'x' }, { _id: d, at: t0, action: 'x' }, { _id: new Types.ObjectId(), at: t0, action: 'y' }])
    const after = (at: Date, id: Types.ObjectId) => ({ $and: [{ action: 'x' }, { $or: [{ at: { $lt: at } }, { at, _id: { $lt: id } }] }] })
    const page = await c.find(after(t1, b)).sort({ at: -1, _id: -1 }).toArray()
    expect(page.map((r: { _id: unknown }) => String(r._id))).toEqual([String(a), String(d)])
  })

  it('equality on an array path matches when any element has the value', async () => {
    const c = db.collection('arr_eq')
    await c.insertOne({ _id: 'g', members: [{ userId: 'u1' }, { userId: 'u2' }], roles: ['staff', 'user'] })
    expect(await c.countDocuments({ 'members.userId': 'u2' })).toBe(1)
    expect(await c.countDocuments({ roles: 'staff' })).toBe(1)
    expect(await c.countDocuments({ roles: 'admin' })).toBe(0)
  })

  it('sorts, skips and limits (ascending, descending, compound)', async () => {
    const c = db.collection('sort')
    await c.insertMany([{ _id: 1, k: 'b', n: 2 }, { _id: 2, k: 'a', n: 2 }, { _id: 3, k: 'c', n: 1 }])
    expect((await c.find({}).sort({ n: -1, k: 1 }).toArray()).map((d: { _id: number }) => d._id)).toEqual([2, 1, 3])
    expect((await c.find({}).sort({ k: 1 }).skip(1).limit(1).toArray()).map((d: { _id: number }) => d._id)).toEqual([1])
  })
})
