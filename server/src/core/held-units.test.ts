import { Schema, model } from 'mongoose'
import { startTestApp, type TestApp } from '../../test/harness'
import { giveBackUnit, holdsUnit, takeUnit, type HeldUnits } from './held-units'

const Counter = model('HeldUnitsTest', new Schema({ _id: String, count: Number, left: Number, holders: { type: Schema.Types.Mixed, default: {} } }, { versionKey: false, minimize: false }), 'held_units_test')
const slots: HeldUnits = { model: Counter, field: 'count', step: 1, holdersField: 'holders', upsert: true }
const stock: HeldUnits = { model: Counter, field: 'left', step: -1, holdersField: 'holders' }

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

describe('held units', () => {
  it('a capped slot: exactly the ceiling among 20 racing first takers, one unit per holder however often it asks', async () => {
    const holders = Array.from({ length: 10 }, (_, i) => `o${i}`)
    const results = await Promise.all([...holders, ...holders].map((h) => takeUnit(slots, 'race', h, 4)))
    const doc = (await Counter.findById('race').lean())!
    expect(doc.count).toBe(4)
    expect(Object.keys(doc.holders)).toHaveLength(4)
    // A holder asking twice is told it holds one (both of its calls say true); the others are refused.
    for (const [i, h] of holders.entries()) expect(results[i]).toBe(Object.hasOwn(doc.holders, h))
  })

  it('stock: never below zero, given back once, and giving back what was never taken does nothing', async () => {
    await Counter.create({ _id: 'item', left: 2, holders: {} })
    expect(await takeUnit(stock, 'item', 'v1')).toBe(true)
    expect(await takeUnit(stock, 'item', 'v1')).toBe(true)
    expect(await takeUnit(stock, 'item', 'v2')).toBe(true)
    expect(await takeUnit(stock, 'item', 'v3')).toBe(false)
    expect((await Counter.findById('item').lean())!.left).toBe(0)
    expect(await giveBackUnit(stock, 'item', 'v3')).toBe(false)
    expect(await giveBackUnit(stock, 'item', 'v1')).toBe(true)
    expect(await giveBackUnit(stock, 'item', 'v1')).toBe(false)
    expect(await holdsUnit(stock, 'item', 'v1')).toBe(false)
    expect(await holdsUnit(stock, 'item', 'v2')).toBe(true)
    expect((await Counter.findById('item').lean())!.left).toBe(1)
  })

  it('racing give-backs of one unit return it once', async () => {
    await Counter.create({ _id: 'item2', left: 0, holders: { v1: 1 } })
    const results = await Promise.all(Array.from({ length: 8 }, () => giveBackUnit(stock, 'item2', 'v1')))
    expect(results.filter(Boolean)).toHaveLength(1)
    expect((await Counter.findById('item2').lean())!.left).toBe(1)
  })

  it('a ceiling of zero takes nothing', async () => {
    expect(await takeUnit(slots, 'zero', 'o1', 0)).toBe(false)
    expect(await Counter.exists({ _id: 'zero' })).toBeNull()
  })
})
