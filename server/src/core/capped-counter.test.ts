import { Schema, model } from 'mongoose'
import { startTestApp, type TestApp } from '../../test/harness'
import { giveBackCapped, takeCapped } from './capped-counter'

const Counter = model('CappedCounterTest', new Schema({ _id: String, used: { type: Number, required: true } }, { versionKey: false }), 'capped_counter_test')

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

describe('takeCapped', () => {
  it('lets exactly the ceiling through among concurrent first takers, and never past it', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => takeCapped(Counter, 'race', 'used', 1, 5)))
    expect(results.filter(Boolean)).toHaveLength(5)
    expect((await Counter.findById('race').lean())!.used).toBe(5)
  })

  it('takes amounts larger than one, refuses what would pass the ceiling, and gives back', async () => {
    expect(await takeCapped(Counter, 'budget', 'used', 60, 100)).toBe(true)
    expect(await takeCapped(Counter, 'budget', 'used', 50, 100)).toBe(false)
    expect(await takeCapped(Counter, 'budget', 'used', 40, 100)).toBe(true)
    expect(await takeCapped(Counter, 'too-big', 'used', 101, 100)).toBe(false)
    await giveBackCapped(Counter, 'budget', 'used', 40)
    await giveBackCapped(Counter, 'budget', 'used', 500) // more than taken: refused, never negative
    expect((await Counter.findById('budget').lean())!.used).toBe(60)
  })

  it('treats losing the race to create the counter as "created", not "full", and counts once', async () => {
    // Another first taker creates the counter between our look and our insert: our upsert then
    // fails with a real duplicate-key error from the database.
    await Counter.create({ _id: 'lost-race', used: 1 })
    const duplicate = await Counter.create({ _id: 'lost-race', used: 1 }).catch((err: unknown) => err)
    const spy = jest.spyOn(Counter, 'findOneAndUpdate').mockImplementationOnce((() => ({ lean: () => Promise.reject(duplicate) })) as never)
    try {
      expect(await takeCapped(Counter, 'lost-race', 'used', 1, 5)).toBe(true)
    } finally {
      spy.mockRestore()
    }
    expect((await Counter.findById('lost-race').lean())!.used).toBe(2)
  })
})
