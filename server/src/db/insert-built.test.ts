import { Schema, Types, model } from 'mongoose'
import { startTestApp, type TestApp } from '../../test/harness'
import { insertBuilt, insertBuiltMany } from './insert-built'
import { isDuplicateKeyError } from './errors'

interface Thing {
  _id: string
  ownerId: Types.ObjectId
  kind: 'a' | 'b'
  count: number
  at: Date
  note: string | null
}
const ThingSchema = new Schema<Thing>(
  {
    _id: { type: String, required: true },
    ownerId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: ['a', 'b'], required: true },
    count: { type: Number, required: true },
    at: { type: Date, required: true },
    note: { type: String, default: null },
  },
  { versionKey: false },
)
const Things = model<Thing>('InsertBuiltTest', ThingSchema, 'insert_built_test')

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

const built = (over: Partial<Record<keyof Thing, unknown>> = {}) =>
  ({ _id: `thing:${new Types.ObjectId()}`, ownerId: new Types.ObjectId(), kind: 'a', count: 3, at: new Date('2026-12-06T01:02:03Z'), note: null, ...over }) as Thing

describe('inserting a document built in code', () => {
  it('stores it as built, with its types, and a second insert of the same _id meets the unique index', async () => {
    const doc = built()
    await expect(insertBuilt(Things, doc)).resolves.toBe(doc)
    const stored = await Things.collection.findOne({ _id: doc._id as never })
    expect(stored).toEqual(doc)
    expect(stored!.ownerId).toBeInstanceOf(Types.ObjectId)
    expect(stored!.at).toBeInstanceOf(Date)
    const again = await insertBuilt(Things, doc).catch((err: unknown) => err)
    expect(isDuplicateKeyError(again)).toBe(true)
  })

  it('under the test runner, refuses what its schema would not take, and writes nothing', async () => {
    const wrong = [
      built({ kind: 'c' }), // not one of the enum's values
      built({ count: undefined }), // a required field missing
      built({ ownerId: new Types.ObjectId().toHexString() }), // a string where the schema has an ObjectId: nothing would cast it
      built({ at: '2026-12-06' }), // a string where the schema has a Date
      built({ count: '3' }), // a string where the schema has a Number
    ]
    for (const doc of wrong) {
      await expect(insertBuilt(Things, doc)).rejects.toThrow()
      expect(await Things.collection.countDocuments({ _id: doc._id as never })).toBe(0)
    }
  })

  it('inserts many in one unordered command: each taken _id is refused alone, and told by its position', async () => {
    const taken = built()
    await insertBuilt(Things, taken)
    const docs = [built(), { ...built(), _id: taken._id }, built(), built()]
    docs[3]!._id = docs[0]!._id
    expect([...(await insertBuiltMany(Things, docs))].sort()).toEqual([1, 3])
    expect(await Things.collection.countDocuments({ _id: { $in: [docs[0]!._id, docs[2]!._id] } as never })).toBe(2)
    expect(await insertBuiltMany(Things, [])).toEqual(new Set())
  })

  it('under the test runner, refuses a batch holding one document its schema would not take, and writes none of it', async () => {
    const docs = [built(), built({ kind: 'c' })]
    await expect(insertBuiltMany(Things, docs)).rejects.toThrow()
    expect(await Things.collection.countDocuments({ _id: docs[0]!._id as never })).toBe(0)
  })
})
