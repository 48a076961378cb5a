import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { findOnPath, hasGo, installFerretDB } from './ferretdb-install'

export type DatabaseKind = 'external' | 'mongod' | 'ferretdb'

export interface RunningDatabase {
  kind: DatabaseKind
  /** A MongoDB URI without a database name; append `/<name>`. */
  uri: string
  /** What to tell a person about where the data lives. */
  description: string
  /** The database server's process id when we started one. */
  pid?: number
  stop(): Promise<void>
}

export interface LaunchOptions {
  /** `MONGODB_URI`: when set, nothing is started. */
  mongodbUri?: string
  /** Keeps data under this folder; without it the data is thrown away on stop (tests). */
  dataDir?: string
  /** Where the project's own FerretDB binary lives (installed there when missing and Go exists). */
  toolsBinDir: string
  log?: (line: string) => void
}

/**
 * Provides a MongoDB-compatible database (ARCHITECTURE.md, Database): `MONGODB_URI` if given,
 * else a local `mongod` through mongodb-memory-server, else FerretDB on SQLite, else an error
 * that says how to provide one.
 */
export async function launchDatabase(opts: LaunchOptions): Promise<RunningDatabase> {
  const log = opts.log ?? console.log
  if (opts.mongodbUri) {
    return { kind: 'external', uri: opts.mongodbUri.replace(/\/+$/, ''), description: 'MONGODB_URI', stop: async () => {} }
  }
  const mongod = process.env.MONGOMS_SYSTEM_BINARY || findOnPath('mongod')
  if (mongod) return startMongod(mongod, opts.dataDir)

  let ferretdb = process.env.FERRETDB_BIN || path.join(opts.toolsBinDir, 'ferretdb')
  if (!isExecutable(ferretdb)) {
    if (!hasGo()) throw new Error(NO_DATABASE_HELP)
    ferretdb = await installFerretDB(opts.toolsBinDir, log)
  }
  return startFerretDB(ferretdb, opts.dataDir)
}

const NO_DATABASE_HELP = [
  'No database available. Provide one of:',
  '  - MONGODB_URI=mongodb://host:27017 (a MongoDB you run), or',
  '  - a mongod binary on PATH (or MONGOMS_SYSTEM_BINARY=/path/to/mongod), or',
  '  - Go 1.22+ on PATH, so `npm run install:ferretdb` can build the embedded FerretDB.',
].join('\n')

async function startMongod(binary: string, dataDir?: string): Promise<RunningDatabase> {
  const { MongoMemoryServer } = await import('mongodb-memory-server-core')
  const dbPath = dataDir ? path.join(dataDir, 'mongod') : undefined
  if (dbPath) fs.mkdirSync(dbPath, { recursive: true })
  const server = await MongoMemoryServer.create({
    binary: { systemBinary: binary },
    instance: { ip: '127.0.0.1', ...(dbPath ? { dbPath, storageEngine: 'wiredTiger' as const } : {}) },
  })
  return {
    kind: 'mongod',
    uri: server.getUri().replace(/\/+$/, ''),
    description: `mongod (${binary})${dbPath ? `, data in ${dbPath}` : ', in memory'}`,
    stop: async () => {
      await server.stop({ doCleanup: !dbPath, force: false })
    },
  }
}

async function startFerretDB(binary: string, dataDir?: string): Promise<RunningDatabase> {
  const ephemeral = !dataDir
  const sqliteDir = dataDir ? path.join(dataDir, 'ferretdb') : fs.mkdtempSync(path.join(os.tmpdir(), 'ferretdb-'))
  fs.mkdirSync(sqliteDir, { recursive: true })
  const port = await freePort()
  const child = spawn(
    binary,
    [
      '--handler=sqlite',
      // WAL with synchronous=NORMAL: survives a crash of either process; a power cut may lose the
      // last commits. Right for a development and test database, and far faster than FULL.
      `--sqlite-url=file:${sqliteDir}/?_pragma=synchronous(normal)`,
      `--listen-addr=127.0.0.1:${port}`,
      '--state-dir=-',
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)

  try {
    await waitForPort(port, child, 20_000)
  } catch (err) {
    child.kill('SIGKILL')
    throw new Error(`FerretDB did not start: ${(err as Error).message}\n${stderr}`)
  }
  return {
    kind: 'ferretdb',
    uri: `mongodb://127.0.0.1:${port}`,
    description: `FerretDB (SQLite ${ephemeral ? 'in a temporary folder' : `in ${sqliteDir}`})`,
    pid: child.pid,
    stop: async () => {
      process.removeListener('exit', killOnExit)
      await stopChild(child)
      if (ephemeral) fs.rmSync(sqliteDir, { recursive: true, force: true })
    },
  }
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK)
    return true
  } catch {
    return false
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`)
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (open) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`port ${port} not open after ${timeoutMs} ms`)
}

/** SIGTERM, then SIGKILL if the process has not exited within 5 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
