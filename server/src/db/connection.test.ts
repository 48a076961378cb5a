import mongoose from 'mongoose'
import { startTestApp, type TestApp } from '../../test/harness'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

/**
 * The guarantee every ledger, seat and stock rule builds on: a guarded single-document update is
 * atomic, also when many requests race (on FerretDB through the single connection).
 */
describe('atomic single-document updates on the embedded database', () => {
  const counters = () => mongoose.connection.db!.collection<{ _id: string; count: number }>('race_counters')

  it('loses no $inc among 50 concurrent ones', async () => {
    await counters().insertOne({ _id: 'inc', count: 0 })
    await Promise.all(Array.from({ length: 50 }, () => counters().updateOne({ _id: 'inc' }, { $inc: { count: 1 } })))
    expect((await counters().findOne({ _id: 'inc' }))?.count).toBe(50)
  })

  it('lets a guard admit exactly as many concurrent updates as it allows', async () => {
    await counters().insertOne({ _id: 'guard', count: 0 })
    const results = await Promise.all(
      Array.from({ length: 20 }, () => counters().updateOne({ _id: 'guard', count: { $lt: 5 } }, { $inc: { count: 1 } })),
    )
    expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(5)
    expect((await counters().findOne({ _id: 'guard' }))?.count).toBe(5)
  })
})
