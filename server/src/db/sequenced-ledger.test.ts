import { Schema, Types, model } from 'mongoose'
import { startTestApp, type TestApp } from '../../test/harness'
import { appendSequenced, latestEntry, OwnerQueue, type SequencedEntry } from './sequenced-ledger'

interface Entry extends SequencedEntry {
  balance: number
}
const EntrySchema = new Schema<Entry>({ _id: String, ownerId: Schema.Types.ObjectId, seq: Number, key: { type: String, unique: true }, balance: Number }, { versionKey: false, autoCreate: false, autoIndex: false })
const Ledger = model<Entry>('SequencedLedgerTest', EntrySchema, 'sequenced_ledger_test')

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
  // The unique `key` index is what makes a replay meet the first append.
  await Ledger.createCollection()
  await Ledger.createIndexes()
})
afterAll(() => t.close())

const credit = (owner: Types.ObjectId, key: string, queue?: OwnerQueue) =>
  appendSequenced(Ledger, owner, key, (latest) => ({ draft: { balance: (latest?.balance ?? 0) + 1 } }), queue)

async function expectContiguous(owner: Types.ObjectId, n: number) {
  const entries = await Ledger.find({ ownerId: owner }).sort({ seq: 1 }).lean()
  expect(entries.map((e) => [e.seq, e.balance])).toEqual(Array.from({ length: n }, (_, i) => [i + 1, i + 1]))
  expect((await latestEntry(Ledger, owner))?.seq).toBe(n)
}

describe('a sequenced ledger', () => {
  it('one process: 30 concurrent appends for one owner all land, in turn, each once', async () => {
    const owner = new Types.ObjectId()
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => credit(owner, `one:${owner}:${i}`)))
    expect(results.every((r) => 'entry' in r && !r.replayed)).toBe(true)
    await expectContiguous(owner, 30)
  })

  it('three instances racing for one owner meet at the database and still append each entry once', async () => {
    const owner = new Types.ObjectId()
    const instances = [new OwnerQueue(), new OwnerQueue(), new OwnerQueue()]
    const keys = Array.from({ length: 24 }, (_, i) => `many:${owner}:${i}`)
    // Every key is sent twice, from two instances: the second send is a replay of the first.
    const results = await Promise.all(keys.flatMap((k, i) => [credit(owner, k, instances[i % 3]), credit(owner, k, instances[(i + 1) % 3])]))
    expect(results.filter((r) => 'entry' in r && !r.replayed)).toHaveLength(24)
    await expectContiguous(owner, 24)
  })

  it('a failing append does not hold up the next one for the same owner', async () => {
    const owner = new Types.ObjectId()
    const queue = new OwnerQueue()
    const failing = appendSequenced(Ledger, owner, `fail:${owner}`, () => {
      throw new Error('build failed')
    }, queue)
    const next = credit(owner, `after:${owner}`, queue)
    await expect(failing).rejects.toThrow('build failed')
    expect(await next).toMatchObject({ replayed: false })
  })
})
