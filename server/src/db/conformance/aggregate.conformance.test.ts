import { conformanceSuite, shape } from './conformance'

const db = conformanceSuite(__filename)

describe('aggregation stages on the embedded database agree with MongoDB', () => {
  shape(['$match', '$group', '$sum'], 'totals per key, and a total over everything', async () => {
    const c = db.collection('agg')
    await c.insertMany([{ u: 'a', n: 2 }, { u: 'a', n: 3 }, { u: 'b', n: 10 }, { u: 'c', n: 1, skip: true }])
    const per = await c.aggregate([{ $match: { skip: { $ne: true } } }, { $group: { _id: '$u', total: { $sum: '$n' } } }, { $sort: { _id: 1 } }]).toArray()
    expect(per).toEqual([{ _id: 'a', total: 5 }, { _id: 'b', total: 10 }])
    expect(await c.aggregate([{ $group: { _id: null, total: { $sum: '$n' } } }]).toArray()).toEqual([{ _id: null, total: 16 }])
    expect(await c.aggregate([{ $match: { u: 'none' } }, { $group: { _id: null, total: { $sum: '$n' } } }]).toArray()).toEqual([])
  })

  shape(['$unwind', '$project', '$sort', '$skip', '$limit', '$count'], 'unwind an array, shape, order and page the rows', async () => {
    const c = db.collection('unwind')
    await c.insertOne({ _id: 'x', tags: ['b', 'c', 'a'], other: 1 })
    const rows = await c.aggregate([{ $unwind: '$tags' }, { $project: { tags: 1 } }, { $sort: { tags: 1 } }, { $skip: 1 }, { $limit: 1 }]).toArray()
    expect(rows).toEqual([{ _id: 'x', tags: 'b' }])
    expect(await c.aggregate([{ $unwind: '$tags' }, { $count: 'n' }]).toArray()).toEqual([{ n: 3 }])
  })
})
