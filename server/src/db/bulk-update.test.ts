import { Schema, model } from 'mongoose'
import { startTestApp, type TestApp } from '../../test/harness'
import { bulkUpdate, UPDATES_PER_COMMAND } from './bulk-update'

const Doc = model('BulkUpdateTest', new Schema({ _id: String, v: Number }, { versionKey: false }), 'bulk_update_test')

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

describe('bulkUpdate', () => {
  it('applies 250 upserts of existing documents (one command of them freezes FerretDB 1.24) and new ones alike', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `d${i}`)
    await Doc.insertMany(ids.slice(0, 200).map((_id) => ({ _id, v: 1 })))
    const sent = jest.spyOn(Doc, 'bulkWrite')
    await bulkUpdate(Doc, ids.map((_id) => ({ updateOne: { filter: { _id }, update: { $max: { v: 2 } }, upsert: true } })))
    expect(sent.mock.calls.map(([ops]) => ops.length)).toEqual([UPDATES_PER_COMMAND, UPDATES_PER_COMMAND, UPDATES_PER_COMMAND, UPDATES_PER_COMMAND, UPDATES_PER_COMMAND])
    expect(await Doc.countDocuments({ v: 2 })).toBe(250)
  })
})
