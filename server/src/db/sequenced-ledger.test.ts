import { Schema, Types, model, connection } from 'mongoose'
import { countCommands, startTestApp, type TestApp } from '../../test/harness'
import { appendSequenced, appendToEach, latestEntry, OwnerQueue, type SequencedEntry } from './sequenced-ledger'

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

describe('one entry for each of many owners (a job\u2019s batch)', () => {
  const add = (ownerId: Types.ObjectId, key: string) => ({ ownerId, key, build: (latest: Entry | null) => ({ draft: { balance: (latest?.balance ?? 0) + 1 } }) })
  const heads = () => connection.collection('ledger_heads')
  const headIdOf = (owner: Types.ObjectId) => `sequenced_ledger_test:${owner.toHexString()}`

  it('appends them in three commands (up to 50 of them), and answers in their order', async () => {
    const known = [new Types.ObjectId(), new Types.ObjectId()]
    for (const owner of known) await credit(owner, `before:${owner}`)
    const owners = [...known, ...Array.from({ length: 8 }, () => new Types.ObjectId())]
    const { value: results, commands } = await countCommands(() => appendToEach(Ledger, owners.map((o) => add(o, `batch:${o}`))))
    expect(commands).toBe(3)
    expect(results.map((r) => ('entry' in r ? [r.entry.ownerId.toHexString(), r.entry.seq, r.replayed] : r))).toEqual(owners.map((o, i) => [o.toHexString(), i < 2 ? 2 : 1, false]))
    for (const [i, owner] of owners.entries()) await expectContiguous(owner, i < 2 ? 2 : 1)
    // The heads were raised: the next single append trusts them (a read, an insert, a raise).
    expect((await countCommands(() => credit(owners[5]!, `after:${owners[5]}`))).commands).toBe(3)
  })

  it('leaves what it cannot settle on trust to appendSequenced, with the same outcome', async () => {
    const [lagging, headless, replayed, twice, refusing, poor] = Array.from({ length: 6 }, () => new Types.ObjectId())
    await credit(poor!, `setup:${poor}`)
    for (const owner of [lagging!, headless!, refusing!]) for (let i = 0; i < 3; i++) await credit(owner, `setup:${owner}:${i}`)
    await credit(replayed!, `replay:${replayed}`)
    // A head a crash left behind (its copy says entry 1 of 3), and one never written.
    const first = await Ledger.findById(`${lagging!.toHexString()}:${String(1).padStart(10, '0')}`).lean()
    await heads().updateOne({ _id: headIdOf(lagging!) as never }, { $set: { seq: 1, tail: { seq: 1, entry: first } } })
    await heads().deleteOne({ _id: headIdOf(headless!) as never })
    const staleRefusing = await Ledger.findById(`${refusing!.toHexString()}:${String(1).padStart(10, '0')}`).lean()
    await heads().updateOne({ _id: headIdOf(refusing!) as never }, { $set: { seq: 1, tail: { seq: 1, entry: staleRefusing } } })
    const spendThree = (ownerId: Types.ObjectId) => ({ ownerId, key: `spend:${ownerId}`, build: (latest: Entry | null) => ((latest?.balance ?? 0) >= 3 ? { draft: { balance: latest!.balance - 3 } } : { refuse: 'NOT_ENOUGH' as const }) })

    const results = await appendToEach<Entry, 'NOT_ENOUGH'>(Ledger, [add(lagging!, `b:${lagging}`), add(headless!, `b:${headless}`), add(replayed!, `replay:${replayed}`), add(twice!, `b1:${twice}`), add(twice!, `b2:${twice}`), spendThree(refusing!), spendThree(poor!)])
    expect(results.map((r) => ('entry' in r ? [r.entry.seq, r.entry.balance, r.replayed] : r))).toEqual([
      [4, 4, false],
      [4, 4, false],
      [1, 1, true],
      [1, 1, false],
      [2, 2, false],
      // Judged on the true latest entry (balance 3), not the stale copy (balance 1).
      [4, 0, false],
      { refused: 'NOT_ENOUGH' },
    ])
    await expectContiguous(poor!, 1)
    for (const owner of [lagging!, headless!]) await expectContiguous(owner, 4)
    await expectContiguous(twice!, 2)
  })

  it('a batch run again after it was applied answers each replay in a few commands for the whole batch', async () => {
    const owners = Array.from({ length: 12 }, () => new Types.ObjectId())
    const batch = owners.map((o) => add(o, `again:${o}`))
    const first = await appendToEach(Ledger, batch)
    // As a second run of the job that read the heads before the first raised them.
    await heads().deleteMany({ _id: { $in: owners.map(headIdOf) } } as never)
    const { value: again, commands } = await countCommands(() => appendToEach(Ledger, batch))
    expect(again).toEqual(first.map((r) => ({ ...r, replayed: true })))
    // The heads, the unordered insert (every entry collides), the keys looked up at once.
    expect(commands).toBe(3)
  })

  it('two jobs racing over the same batch append each entry once', async () => {
    const owners = Array.from({ length: 12 }, () => new Types.ObjectId())
    const batch = owners.map((o) => add(o, `race:${o}`))
    const [a, b] = await Promise.all([appendToEach(Ledger, batch), appendToEach(Ledger, batch)])
    for (let i = 0; i < owners.length; i++) {
      const [x, y] = [a![i]!, b![i]!] as Array<{ entry: Entry; replayed: boolean }>
      expect([x.replayed, y.replayed].sort()).toEqual([false, true])
      expect(x.entry._id).toBe(y.entry._id)
      await expectContiguous(owners[i]!, 1)
    }
  })
})
