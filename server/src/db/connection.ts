import mongoose from 'mongoose'
import { SERIAL_WRITES } from './ferretdb-install'

// Filters only ever name fields our schemas know; anything else is a bug to surface, not ignore.
mongoose.set('strictQuery', 'throw')
// Without a database a command fails at once (the request answers 503) instead of waiting in
// Mongoose's buffer for 10 s and then answering 500.
mongoose.set('bufferCommands', false)
// Mongoose otherwise captures a stack trace at every query, only to explain a query run twice
// (which our code never does); with source maps on, that was a twentieth of a request's CPU.
mongoose.set('skipOriginalStackTraces', true)

/**
 * Driver timeouts, chosen: a command waits at most 0.8 s for a database to select (an outage
 * answers 503 within a second), and an unreachable database is checked every second, so the
 * server serves again about a second after the database is back.
 */
const DRIVER_OPTIONS = { serverSelectionTimeoutMS: 800, heartbeatFrequencyMS: 1000, connectTimeoutMS: 2000, autoIndex: false } as const

/** The database the product uses when `MONGODB_URI` names none (the embedded one's name too). */
export const DEFAULT_DATABASE = 'xianlin'

/**
 * `uri` with the database name `xianlin` when it names none: the driver would otherwise put
 * everything in `test`, and a deployment that later adds the name would find its data gone.
 * Works for several hosts (`h1,h2/?replicaSet=rs`) and `mongodb+srv://`, keeping the options.
 */
export function withDatabaseName(uri: string): string {
  const parts = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?(\?.*)?$/.exec(uri)
  if (!parts) return uri
  const path = parts[2] && parts[2] !== '/' ? parts[2] : `/${DEFAULT_DATABASE}`
  return `${parts[1]}${path}${parts[3] ?? ''}`
}

/**
 * Connects the process's Mongoose to `uri` (the database name is the URI's path).
 *
 * FerretDB 1.x runs `update`, `findAndModify` and `delete` as a read followed by a write, without
 * isolation, so commands on two connections can interleave (50 concurrent `$inc` left a counter at
 * 4 in our trial), while our guarded updates rely on MongoDB's per-document atomicity. The FerretDB
 * our installer builds runs write commands one at a time (`+serial-writes` in its version, see
 * ferretdb-install.ts): with it, a few connections let reads run beside the writes. Any other
 * FerretDB gets a single connection, which executes our commands one at a time. Either way that
 * holds for one database server; several API instances on one FerretDB need our build.
 */
export async function connectDatabase(uri: string): Promise<{ engine: 'mongodb' | 'ferretdb' }> {
  await mongoose.connect(uri, { ...DRIVER_OPTIONS, serverSelectionTimeoutMS: 10_000 })
  const info = await mongoose.connection.db!.admin().command({ buildInfo: 1 })
  if (!info.ferretdbVersion) return { engine: 'mongodb' }
  await mongoose.disconnect()
  const pool = String(info.ferretdbVersion).includes(SERIAL_WRITES) ? FERRETDB_POOL : 1
  await mongoose.connect(uri, { ...DRIVER_OPTIONS, maxPoolSize: pool, minPoolSize: 1 })
  return { engine: 'ferretdb' }
}

/** Connections to it: reads beside the one write at a time, on a 2-core machine (bench: GET routes up to 2×). */
const FERRETDB_POOL = 4

/**
 * Creates every declared index before the app serves requests: unique indexes carry invariants
 * (one user per openid, one entry per idempotency key), so they must exist before the first write.
 */
export async function syncIndexes(): Promise<void> {
  for (const model of Object.values(mongoose.models)) await model.createIndexes()
}

/**
 * Calls `listener` as each command is about to leave for the database, in its caller's async
 * context. The driver checks a connection out of its pool once per command (a cursor's `getMore`
 * included) and always announces the check-out; command monitoring (`monitorCommands`) would
 * make it decode each reply whole to describe it: about 0.2 ms of a check-in's CPU, a cost the
 * server does not pay when nobody counts. Returns how to stop listening.
 */
export function onDatabaseCommand(listener: () => void): () => void {
  const client = mongoose.connection.getClient()
  client.on('connectionCheckOutStarted', listener)
  return () => void client.off('connectionCheckOutStarted', listener)
}

/** Whether the driver has a database to talk to now (no ping: it is asked on every request). */
export function databaseConnected(): boolean {
  return mongoose.connection.readyState === 1
}

/** Errors that mean "no database right now", not a fault of the request (driver and Mongoose names). */
export function isDatabaseUnavailableError(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name ?? ''
  return (
    /^Mongo(ose)?(ServerSelection|Network|NetworkTimeout|NotConnected|TopologyClosed|PoolCleared|PoolClosed)Error$|^PoolClearedOnNetworkError$/.test(name) ||
    isDriverSocketError(err)
  )
}

/**
 * A pooled connection whose database just went away: the driver (6.x) writes a command to a socket
 * the database has already closed and lets Node's own error out unwrapped ("This socket has been
 * ended by the other party", EPIPE), not as a MongoNetworkError. Only the driver's frames in its
 * stack tell it from any other socket error, so those are required.
 */
function isDriverSocketError(err: unknown): boolean {
  if (!(err instanceof Error) || err.name !== 'Error') return false
  const code = (err as NodeJS.ErrnoException).code
  return (code === 'EPIPE' || code === 'ECONNRESET') && /[\\/]mongodb[\\/](src|lib)[\\/]cmap[\\/]/.test(err.stack ?? '')
}

/** The database's name when it answers a ping, else null. */
export async function pingDatabase(): Promise<string | null> {
  const db = mongoose.connection.db
  if (mongoose.connection.readyState !== 1 || !db) return null
  try {
    await db.admin().command({ ping: 1 })
    return db.databaseName
  } catch {
    return null
  }
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect()
}
