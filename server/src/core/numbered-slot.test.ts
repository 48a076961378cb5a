import { Schema, model } from 'mongoose'
import { startTestApp, type TestApp } from '../../test/harness'
import { claimNumberedSlot } from './numbered-slot'

const Slot = model('NumberedSlotTest', new Schema({ _id: String, owner: String }, { versionKey: false }), 'numbered_slot_test')

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

const claim = (prefix: string, owner: string, count = 3, whenTaken?: (n: number) => Promise<void>) =>
  claimNumberedSlot({ count, idOf: (n) => `${prefix}:${n}`, insert: (id) => Slot.create({ _id: id, owner }), whenTaken })

describe('claimNumberedSlot', () => {
  it('hands out each of its slots once among racing claimers, then answers null', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => claim('race', `u${i}`)))
    const won = results.filter((r) => r !== null)
    expect(won.map((r) => r!.n).sort()).toEqual([1, 2, 3])
    expect(await Slot.countDocuments({ _id: /^race:/ })).toBe(3)
  })

  it('reuses a slot given back, and lets the caller stop at a slot already held', async () => {
    await claim('back', 'a')
    await claim('back', 'b')
    await Slot.deleteOne({ _id: 'back:1' })
    expect(await claim('back', 'c')).toEqual({ id: 'back:1', n: 1 })
    // b holds back:2: meeting a taken slot, the caller checks and stops before taking back:3.
    await expect(claim('back', 'b', 3, async () => {
      if (await Slot.exists({ _id: /^back:/, owner: 'b' })) throw new Error('already holds one')
    })).rejects.toThrow('already holds one')
    expect(await Slot.exists({ _id: 'back:3' })).toBeNull()
  })
})
