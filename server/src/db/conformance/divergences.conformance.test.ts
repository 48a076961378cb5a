import { conformanceSuite } from './conformance'

const db = conformanceSuite(__filename)
const onMongo = <T>(mongo: T, ferret: T) => (db.engine() === 'mongodb' ? mongo : ferret)

/**
 * Shapes on which FerretDB 1.x answers differently from MongoDB. The code must not use them
 * (`operator-usage.test.ts` refuses them); these tests keep the difference on record, and fail
 * when an upgrade of the embedded database changes it, so the list can be revisited.
 */
describe('shapes the embedded database gets wrong (never used by the code)', () => {
  it('$ne on an array path matches a document that holds the value once another element differs', async () => {
    const c = db.collection('ne_path')
    await c.insertOne({ _id: 'g', members: [{ userId: 'u1' }, { userId: 'u2' }] })
    expect(await c.countDocuments({ 'members.userId': { $ne: 'u1' } })).toBe(onMongo(0, 1))
  })

  it('$pull with a condition on some fields of embedded documents leaves them in place', async () => {
    const c = db.collection('pull_cond')
    await c.insertOne({ _id: 'g', members: [{ orderId: 'o1', userId: 'u1' }, { orderId: 'o2', userId: 'u2' }] })
    await c.updateOne({ _id: 'g' }, { $pull: { members: { orderId: 'o1' } } } as never)
    expect((await c.findOne({ _id: 'g' }))!.members).toHaveLength(onMongo(1, 2))
  })

  it('$push with $each and $slice ignores the slice', async () => {
    const c = db.collection('push_slice')
    await c.insertOne({ _id: 'x', last: ['a'] })
    await c.updateOne({ _id: 'x' }, { $push: { last: { $each: ['b', 'c', 'd'], $slice: -3 } } } as never)
    expect((await c.findOne({ _id: 'x' }))!.last).toEqual(onMongo(['b', 'c', 'd'], ['a', 'b', 'c', 'd']))
  })

  it('$sum of a constant beside a $sum of a field counts 0 instead of the rows', async () => {
    const c = db.collection('sum_const')
    await c.insertMany([{ u: 'a', n: 2 }, { u: 'a', n: 3 }])
    expect(await c.aggregate([{ $group: { _id: '$u', total: { $sum: '$n' }, rows: { $sum: 1 } } }]).toArray()).toEqual([{ _id: 'a', total: 5, rows: onMongo(2, 0) }])
  })

  it('findAndModify with a projection (Mongoose `select: false` fields) is refused as not implemented', async () => {
    const c = db.collection('fam_projection')
    await c.insertOne({ _id: 'a', left: 1, holders: {} })
    const run = c.findOneAndUpdate({ _id: 'a' }, { $inc: { left: 1 } }, { projection: { holders: 0 }, returnDocument: 'after' })
    if (db.engine() === 'mongodb') await expect(run).resolves.toBeTruthy()
    else await expect(run).rejects.toMatchObject({ code: 238 })
  })
})
