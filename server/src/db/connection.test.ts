import mongoose from 'mongoose'
import { startTestApp, type TestApp } from '../../test/harness'
import { isDatabaseUnavailableError, onDatabaseCommand, withDatabaseName } from './connection'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

/**
 * The guarantee every ledger, seat and stock rule builds on: a guarded single-document update is
 * atomic, also when many requests race (on FerretDB through the single connection).
 */
describe('atomic single-document updates on the embedded database', () => {
  const counters = () => mongoose.connection.db!.collection<{ _id: string; count: number }>('race_counters')

  it('loses no $inc among 50 concurrent ones', async () => {
    await counters().insertOne({ _id: 'inc', count: 0 })
    await Promise.all(Array.from({ length: 50 }, () => counters().updateOne({ _id: 'inc' }, { $inc: { count: 1 } })))
    expect((await counters().findOne({ _id: 'inc' }))?.count).toBe(50)
  })

  it('lets a guard admit exactly as many concurrent updates as it allows', async () => {
    await counters().insertOne({ _id: 'guard', count: 0 })
    const results = await Promise.all(
      Array.from({ length: 20 }, () => counters().updateOne({ _id: 'guard', count: { $lt: 5 } }, { $inc: { count: 1 } })),
    )
    expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(5)
    expect((await counters().findOne({ _id: 'guard' }))?.count).toBe(5)
  })
})

describe('counting database commands (the benchmark’s commands per request)', () => {
  it('counts each command once, a cursor’s getMore included', async () => {
    const docs = () => mongoose.connection.db!.collection<{ _id: number }>('counted_commands')
    let counted = 0
    const stop = onDatabaseCommand(() => void counted++)
    try {
      await docs().insertMany([1, 2, 3, 4, 5].map((_id) => ({ _id })))
      expect(counted).toBe(1)
      // Batches of 2, 2 and 1: a find and two getMores.
      expect(await docs().find({}, { batchSize: 2 }).toArray()).toHaveLength(5)
      expect(counted).toBe(4)
      await docs().updateOne({ _id: 1 }, { $set: { seen: true } })
      expect(counted).toBe(5)
    } finally {
      stop()
    }
    await docs().findOne({ _id: 1 })
    expect(counted).toBe(5)
  })
})

describe('which errors mean the database is unavailable', () => {
  /** Node's own error as the driver let it out when the database had just died (seen in CI). */
  const socketEnded = (stack: string) =>
    Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE', stack: `Error: This socket has been ended by the other party\n${stack}` })
  const driverFrames = [
    '    at Socket.writeAfterFIN [as write] (node:net:566:14)',
    '    at Connection.writeCommand (/app/node_modules/mongodb/lib/cmap/connection.js:718:21)',
    '    at async Connection.sendWire (/app/node_modules/mongodb/lib/cmap/connection.js:464:7)',
  ].join('\n')

  it("counts a socket error raised inside the driver's connection, as a 503", () => {
    expect(isDatabaseUnavailableError(socketEnded(driverFrames))).toBe(true)
  })

  it('leaves any other socket error to be a 500', () => {
    expect(isDatabaseUnavailableError(socketEnded('    at Socket.writeAfterFIN [as write] (node:net:566:14)\n    at send (/app/dist/wechat/api-client.js:40:3)'))).toBe(false)
    expect(isDatabaseUnavailableError(Object.assign(new TypeError('fetch failed'), { stack: driverFrames }))).toBe(false)
  })

  it('still counts the driver’s own network errors', () => {
    expect(isDatabaseUnavailableError(new mongoose.mongo.MongoNetworkError('connection closed'))).toBe(true)
    expect(isDatabaseUnavailableError(new Error('boom'))).toBe(false)
  })
})

describe('MONGODB_URI without a database name', () => {
  it('uses xianlin, like the embedded database, and keeps a name, hosts and options given', async () => {
    expect(withDatabaseName('mongodb://db:27017')).toBe('mongodb://db:27017/xianlin')
    expect(withDatabaseName('mongodb://db:27017/')).toBe('mongodb://db:27017/xianlin')
    expect(withDatabaseName('mongodb://a:1,b:2/?replicaSet=rs&w=majority')).toBe('mongodb://a:1,b:2/xianlin?replicaSet=rs&w=majority')
    expect(withDatabaseName('mongodb+srv://u:p@cluster.example.com?retryWrites=true')).toBe('mongodb+srv://u:p@cluster.example.com/xianlin?retryWrites=true')
    expect(withDatabaseName('mongodb://db:27017/shop?authSource=admin')).toBe('mongodb://db:27017/shop?authSource=admin')
    // What the driver then uses: the database named, not its default `test`.
    const bare = process.env.TEST_MONGODB_URI!.replace(/\/+$/, '')
    const client = new mongoose.mongo.MongoClient(withDatabaseName(bare))
    expect(client.db().databaseName).toBe('xianlin')
    expect(new mongoose.mongo.MongoClient(bare).db().databaseName).toBe('test') // the trap it avoids
  })
})
