import mongoose from 'mongoose'
import { devLogin, startTestApp, type TestApp } from '../../../test/harness'
import { headsCollection } from '../../db/sequenced-ledger'
import { PointEntryModel, type PointEntry } from '../points/point-entry.model'
import { UserModel } from './user.model'
import { accountHints, raiseCopies, withAccountReads } from './account-hints'

let now = new Date('2026-11-23T02:00:00Z')
let t: TestApp

beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now })
})
afterAll(() => t.close())

const shanghai = (local: string) => new Date(`${local}+08:00`)
let n = 0
const member = () => devLogin(t, { nickname: `副本${++n}` })
const balance = async (auth: Record<string, string>) => (await t.http.get('/api/points').set(auth)).body.available as number
const account = (id: string) => UserModel.findById(id).lean() as Promise<{ pointsHead?: { seq: number; entry: PointEntry | null }; lastCheckin?: { day: string; streak: number } } | null>

/** The commands Mongoose sends to `collection` while `run` runs: [method, …]. */
async function commandsTo(collection: string, run: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = []
  mongoose.set('debug', (to: string, method: string) => void (to === collection && seen.push(method)))
  try {
    await run()
  } finally {
    mongoose.set('debug', false)
  }
  return seen
}

describe("copies on a member's account", () => {
  it("a check-in reads the account once (authentication) and writes it not at all: its settle job copies the points head and the streak to it", async () => {
    now = shanghai('2026-11-23T09:00:00')
    const me = await member()
    const sent = await commandsTo('users', () => t.http.post('/api/checkins').set(me.auth).expect(201))
    expect(sent).toEqual(['findOne'])
    // Until the job runs, the copies lag, and the balance is read past them.
    expect(await account(me.user.id)).toMatchObject({ pointsHead: { seq: 0 } })
    expect(await balance(me.auth)).toBe(1)
    await t.services.checkin.settle(now)
    expect(await account(me.user.id)).toMatchObject({ pointsHead: { seq: 1, entry: { seq: 1, available: 1 } }, lastCheckin: { day: '2026-11-23', streak: 1 } })
  })

  it('the next day continues the streak from the copy, and a refused second tap writes nothing', async () => {
    now = shanghai('2026-11-23T09:00:00')
    const me = await member()
    await t.http.post('/api/checkins').set(me.auth).expect(201)
    await t.services.checkin.settle(now)
    expect(await commandsTo('users', () => t.http.post('/api/checkins').set(me.auth).expect(409))).toEqual(['findOne'])
    now = shanghai('2026-11-24T09:00:00')
    const checkins = await commandsTo('checkins', () => t.http.post('/api/checkins').set(me.auth).expect(201))
    expect(checkins).toEqual(['insertOne'])
    await t.services.checkin.settle(now)
    expect(await account(me.user.id)).toMatchObject({ pointsHead: { seq: 2 }, lastCheckin: { day: '2026-11-24', streak: 2 } })
  })

  it("a make-up between a check-in and its settle job leaves the check-in's streak uncopied, so the next day counts the day made up", async () => {
    now = shanghai('2026-11-20T09:00:00')
    const me = await member()
    await t.services.points.earn({ userId: me.user.id, amount: 100, source: 'admin', key: `seed:${me.user.id}` })
    await t.http.post('/api/checkins').set(me.auth).expect(201)
    await t.services.checkin.settle(now)
    // 11-21 missed; 11-22 checked in (a streak of 1), then 11-21 made up before the job ran.
    now = shanghai('2026-11-22T09:00:00')
    expect((await t.http.post('/api/checkins').set(me.auth).expect(201)).body.checkin).toMatchObject({ streak: 1 })
    now = shanghai('2026-11-22T09:05:00')
    await t.http.post('/api/checkins/makeup').set(me.auth).send({ date: '2026-11-21' }).expect(201)
    // A settle job that read the check-in before the make-up writes its copies after it: refused.
    await raiseCopies([{ userId: new mongoose.Types.ObjectId(me.user.id), madeAt: shanghai('2026-11-22T09:00:00'), lastCheckin: { day: '2026-11-22', streak: 1 } }])
    await t.services.checkin.settle(now)
    expect((await account(me.user.id))!.lastCheckin).toBeUndefined()
    now = shanghai('2026-11-23T09:00:00')
    expect((await t.http.post('/api/checkins').set(me.auth).expect(201)).body.checkin).toMatchObject({ streak: 4 })
  })

  it('a make-up before the day a member registered is refused and changes nothing', async () => {
    now = shanghai('2026-11-20T09:00:00')
    const me = await member()
    await t.services.points.earn({ userId: me.user.id, amount: 100, source: 'admin', key: `seed:${me.user.id}` })
    now = shanghai('2026-11-23T09:00:00')
    const refused = await t.http.post('/api/checkins/makeup').set(me.auth).send({ date: '2026-11-19' }).expect(400)
    expect(refused.body.error.code).toBe('MAKEUP_NOT_ALLOWED')
    expect(await balance(me.auth)).toBe(100)
    await t.http.post('/api/checkins/makeup').set(me.auth).send({ date: '2026-11-20' }).expect(201)
    expect(await balance(me.auth)).toBe(80)
  })

  it('an account from before the copies continues its ledger from `ledger_heads`, then keeps the head itself', async () => {
    now = shanghai('2026-11-23T09:00:00')
    const me = await member()
    const owner = new mongoose.Types.ObjectId(me.user.id)
    for (let i = 1; i <= 3; i++) await t.services.points.earn({ userId: me.user.id, amount: 10, source: 'admin', key: `old:${me.user.id}:${i}` })
    // As an account from before has it: no copy on the account, the head in `ledger_heads`.
    const latest = (await PointEntryModel.findOne({ ownerId: owner, seq: 3 }).lean())!
    await UserModel.collection.updateOne({ _id: owner }, { $unset: { pointsHead: '' } })
    await headsCollection.raise(PointEntryModel, owner, latest)
    expect(await balance(me.auth)).toBe(30)
    // Read from there, the head lets the next entry in at the first try (no collision at seq 1).
    const inserts = await commandsTo('point_entries', () => t.services.points.earn({ userId: me.user.id, amount: 5, source: 'admin', key: `after:${me.user.id}` }))
    expect(inserts.filter((m) => m === 'insertOne')).toHaveLength(1)
    expect((await PointEntryModel.find({ ownerId: owner }).sort({ seq: 1 }).lean()).map((e) => [e.seq, e.available])).toEqual([
      [1, 10],
      [2, 20],
      [3, 30],
      [4, 35],
    ])
    expect(await account(me.user.id)).toMatchObject({ pointsHead: { seq: 4, entry: { available: 35 } } })
  })

  it('a copy left behind by a crash never decides: the spend it would refuse goes through, and the next entry follows the true latest', async () => {
    now = shanghai('2026-11-23T09:00:00')
    const me = await member()
    await t.services.points.earn({ userId: me.user.id, amount: 10, source: 'admin', key: `a:${me.user.id}` })
    const lagging = (await account(me.user.id))!.pointsHead
    await t.services.points.earn({ userId: me.user.id, amount: 50, source: 'admin', key: `b:${me.user.id}` })
    // What a crash between an entry and its copy leaves: the copy one entry behind.
    await UserModel.collection.updateOne({ _id: new mongoose.Types.ObjectId(me.user.id) }, { $set: { pointsHead: lagging } })
    await t.services.points.spend({ userId: me.user.id, amount: 40, source: 'mall', key: `c:${me.user.id}` })
    await t.http.post('/api/checkins').set(me.auth).expect(201)
    const entries = await PointEntryModel.find({ ownerId: me.user.id }).sort({ seq: 1 }).lean()
    expect(entries.map((e) => [e.seq, e.available])).toEqual([
      [1, 10],
      [2, 60],
      [3, 20],
      [4, 21],
    ])
    expect(await balance(me.auth)).toBe(21)
  })

  it('five requests of one member at once each append once: those that waited their turn read the head again', async () => {
    const me = await member()
    await t.services.points.earn({ userId: me.user.id, amount: 50, source: 'admin', key: `seed:${me.user.id}` })
    // Each as a request: authentication's read of the account, then a spend.
    const request = (i: number) =>
      withAccountReads(async () => {
        await accountHints(me.user.id)
        await t.services.points.spend({ userId: me.user.id, amount: 10, source: 'mall', key: `tap:${me.user.id}:${i}` })
      })
    const inserts = await commandsTo('point_entries', () => Promise.all([0, 1, 2, 3, 4].map(request)))
    expect(inserts.filter((m) => m === 'insertOne')).toHaveLength(5)
    expect(await balance(me.auth)).toBe(0)
  })
})
