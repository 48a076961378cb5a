import { Schema, Types, model, connection } from 'mongoose'
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
  appendSequenced(Ledger, owner, key, (latest) => ({ draft: { balance: (latest?.balance ?? 0) + 1 } }), { queue })

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
    }, { queue })
    const next = credit(owner, `after:${owner}`, queue)
    await expect(failing).rejects.toThrow('build failed')
    expect(await next).toMatchObject({ replayed: false })
  })

  it('a head left behind by a crash (its copy of the latest entry stale) never decides an append or a refusal', async () => {
    const owner = new Types.ObjectId()
    for (let i = 0; i < 3; i++) await credit(owner, `lag:${owner}:${i}`)
    // The crash: entry 3 was written, the head still says entry 1.
    const heads = connection.collection('ledger_heads')
    const headId = `sequenced_ledger_test:${owner.toHexString()}`
    const first = await Ledger.findById(`${owner.toHexString()}:${String(1).padStart(10, '0')}`).lean()
    await heads.updateOne({ _id: headId as never }, { $set: { seq: 1, tail: { seq: 1, entry: first } } })

    expect(await credit(owner, `lag:${owner}:3`)).toMatchObject({ replayed: false, entry: { seq: 4, balance: 4 } })
    await expectContiguous(owner, 4)

    // A refusal judged on the stale copy (balance 1) would be wrong: the true balance is 4.
    await heads.updateOne({ _id: headId as never }, { $set: { seq: 1, tail: { seq: 1, entry: first } } })
    const spendThree = await appendSequenced(Ledger, owner, `spend:${owner}`, (latest) =>
      (latest?.balance ?? 0) >= 3 ? { draft: { balance: latest!.balance - 3 } } : { refuse: 'NOT_ENOUGH' as const },
    )
    expect(spendThree).toMatchObject({ replayed: false, entry: { seq: 5, balance: 1 } })

    // No head at all (a crash before the first one was written): the entries still decide.
    await heads.deleteOne({ _id: headId as never })
    expect(await credit(owner, `lag:${owner}:5`)).toMatchObject({ replayed: false, entry: { seq: 6, balance: 2 } })
    await heads.deleteOne({ _id: headId as never })
    const spendTwo = await appendSequenced(Ledger, owner, `spend2:${owner}`, (latest) =>
      (latest?.balance ?? 0) >= 2 ? { draft: { balance: latest!.balance - 2 } } : { refuse: 'NOT_ENOUGH' as const },
    )
    expect(spendTwo).toMatchObject({ replayed: false, entry: { seq: 7, balance: 0 } })
  })
})
