import { Schema, model } from 'mongoose'
import { startTestApp, type TestApp } from '../../test/harness'
import { insertOnce } from './insert-once'

const Once = model('InsertOnceTest', new Schema({ _id: String, by: String, n: { type: Number, min: 0 } }, { versionKey: false }), 'insert_once_test')

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

describe('insertOnce', () => {
  it('inserts one of 10 racing writers of one key; the others see the first one\'s document', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => insertOnce(Once, { _id: 'k', by: `w${i}` }, () => Once.findById('k').lean())))
    expect(results.filter((r) => r.inserted)).toHaveLength(1)
    const first = (await Once.findById('k').lean())!
    for (const r of results.filter((x) => !x.inserted)) expect(r.existing).toEqual(first)
  })

  it('throws failures other than "already there" (here: a validation error), and writes nothing', async () => {
    await expect(insertOnce(Once, { _id: 'bad', n: -1 })).rejects.toThrow(/n/)
    expect(await Once.exists({ _id: 'bad' })).toBeNull()
  })
})
