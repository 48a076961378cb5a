import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { findOnPath, hasGo, installFerretDB, isCurrentBuild } from './ferretdb-install'

export type DatabaseKind = 'external' | 'mongod' | 'ferretdb'

export interface RunningDatabase {
  kind: DatabaseKind
  /** A MongoDB URI without a database name; append `/<name>`. */
  uri: string
  /** What to tell a person about where the data lives. */
  description: string
  /** The database server's process id when we started one (it changes if it is restarted). */
  readonly pid?: number
  /** The watchdog that ends the embedded database when this process dies. */
  readonly watchdogPid?: number
  /** Says a shutdown has begun: a database that exits now is not restarted. */
  prepareStop?(): void
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
  /** How long to wait before restarting an embedded database that died (a crash loop stays slow). */
  restartDelayMs?: number
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
  // Our own build is rebuilt when it predates the installer's patch (FERRETDB_BIN is taken as given).
  if (!isExecutable(ferretdb) || (!process.env.FERRETDB_BIN && !isCurrentBuild(ferretdb) && hasGo())) {
    if (!hasGo()) throw new Error(NO_DATABASE_HELP)
    ferretdb = await installFerretDB(opts.toolsBinDir, log)
  }
  return startFerretDB(ferretdb, opts.dataDir, log, opts.restartDelayMs ?? 1000)
}

const NO_DATABASE_HELP = [
  'No database available. Provide one of:',
  '  - MONGODB_URI=mongodb://host:27017/xianlin (a MongoDB you run), or',
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

async function startFerretDB(binary: string, dataDir: string | undefined, log: (line: string) => void, restartDelayMs: number): Promise<RunningDatabase> {
  const ephemeral = !dataDir
  const sqliteDir = dataDir ? path.join(dataDir, 'ferretdb') : fs.mkdtempSync(path.join(os.tmpdir(), 'ferretdb-'))
  fs.mkdirSync(sqliteDir, { recursive: true })
  const lock = dataDir ? takeDataLock(sqliteDir, log) : null
  const port = await freePort()
  let current = await spawnFerretDB(binary, sqliteDir, port)
  lock?.record(current.dbPid)
  let stopping = false

  // The embedded database is part of this server: if it dies while we run, start it again on the
  // same port and folder (the driver reconnects by itself); meanwhile requests answer 503.
  const watch = (db: FerretProcess) =>
    db.exited.then(async (code) => {
      // A shutdown signal reaches the watchdog and this process together: `stop` says so meanwhile.
      await new Promise((r) => setTimeout(r, restartDelayMs))
      if (stopping) return
      log(`embedded database exited (${code}); restarting it`)
      // If only the watchdog died, its database still holds the port: end it first.
      await ensureGone(db.dbPid)
      for (let attempt = 1; !stopping; attempt++) {
        try {
          current = await spawnFerretDB(binary, sqliteDir, port)
          lock?.record(current.dbPid)
          log(`embedded database restarted (pid ${current.dbPid})`)
          watch(current)
          return
        } catch (err) {
          log(`embedded database restart ${attempt} failed: ${(err as Error).message}`)
          await new Promise((r) => setTimeout(r, Math.min(5000, 250 * attempt)))
        }
      }
    })
  watch(current)

  return {
    kind: 'ferretdb',
    uri: `mongodb://127.0.0.1:${port}`,
    description: `FerretDB (SQLite ${ephemeral ? 'in a temporary folder' : `in ${sqliteDir}`})`,
    get pid() {
      return current.dbPid
    },
    get watchdogPid() {
      return current.child.pid
    },
    prepareStop: () => {
      stopping = true
    },
    stop: async () => {
      stopping = true
      await current.stop()
      lock?.release()
      if (ephemeral) fs.rmSync(sqliteDir, { recursive: true, force: true })
    },
  }
}

/**
 * Go's garbage collector at its default (a collection each time the heap doubles) took a tenth
 * of the database's time under load. Letting the heap grow to five times what is live before
 * collecting cuts that by about 15% of its time per check-in; the soft limit makes it collect
 * harder rather than pass 512 MiB, however much a report reads. Settings in the environment win.
 */
const GO_MEMORY = { GOGC: '400', GOMEMLIMIT: '512MiB' }

interface FerretProcess {
  child: ChildProcess
  dbPid: number
  exited: Promise<number | null>
  stop(): Promise<void>
}

/**
 * Starts FerretDB under a small shell watchdog that holds a pipe from this process: when this
 * process dies, even by SIGKILL, the pipe closes and the watchdog kills the database. The shell
 * prints the database's pid first and exits when the database does.
 */
async function spawnFerretDB(binary: string, sqliteDir: string, port: number): Promise<FerretProcess> {
  const args = [
    '--handler=sqlite',
    // WAL with synchronous=NORMAL: survives a crash of either process; a power cut may lose the
    // last commits. Right for a development and test database, and far faster than FULL.
    `--sqlite-url=file:${sqliteDir}/?_pragma=synchronous(normal)`,
    `--listen-addr=127.0.0.1:${port}`,
    '--state-dir=-',
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=warn',
  ]
  // A background list reads /dev/null unless told otherwise: the watchdog reads our pipe through fd 3.
  const script = 'exec 3<&0; "$@" </dev/null & db=$!; echo "$db"; (cat <&3 >/dev/null; kill -9 "$db" 2>/dev/null) & exec 3<&-; wait "$db"'
  const child = spawn('/bin/sh', ['-c', script, 'ferretdb-watchdog', binary, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...GO_MEMORY, ...process.env } })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  // Closing our end of the pipe is what makes the watchdog kill the database.
  void exited.then(() => child.stdin?.destroy())
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  const dbPid = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /^(\d+)\n/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    void exited.then((code) => reject(new Error(`exited with code ${code}\n${stderr}`)))
  })
  // Ends the database itself (not only its watchdog, which a group signal may already have ended).
  const stop = async () => {
    process.removeListener('exit', killOnExit)
    signal(dbPid, 'SIGTERM')
    await ensureGone(dbPid)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  }
  try {
    await waitForPort(port, child, 20_000)
  } catch (err) {
    signal(dbPid, 'SIGKILL')
    child.kill('SIGKILL')
    throw new Error(`FerretDB did not start: ${(err as Error).message}\n${stderr}`)
  }
  return { child, dbPid, exited, stop }
}

/** Waits for a process to end: SIGTERM was sent or it is dying; SIGKILL after 5 s. */
async function ensureGone(pid: number): Promise<void> {
  for (let i = 0; i < 250 && isAlive(pid); i++) {
    if (i === 1) signal(pid, 'SIGTERM')
    if (i === 200) signal(pid, 'SIGKILL')
    await new Promise((r) => setTimeout(r, 25))
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig)
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Whether `pid` is a FerretDB serving `sqliteDir` (so a recycled pid is never killed by mistake). */
function isOurFerretDB(pid: number, sqliteDir: string): boolean {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    return cmdline.includes('ferretdb') && cmdline.includes(`file:${sqliteDir}/`)
  } catch {
    return false
  }
}

/**
 * One server per data folder: a lock file names the server and its database. A lock whose server
 * is alive refuses the start; one left by a killed server is taken over, and the database it
 * left behind (an orphan) is ended first, so two FerretDBs never share one SQLite folder.
 */
function takeDataLock(sqliteDir: string, log: (line: string) => void): { record(dbPid: number): void; release(): void } {
  const file = path.join(sqliteDir, 'server.lock')
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx')
      fs.writeSync(fd, JSON.stringify({ serverPid: process.pid, dbPid: null }))
      fs.closeSync(fd)
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err
      let held: { serverPid?: number; dbPid?: number | null } = {}
      try {
        held = JSON.parse(fs.readFileSync(file, 'utf8'))
      } catch {
        // unreadable: treat as stale
      }
      if (held.serverPid && held.serverPid !== process.pid && isAlive(held.serverPid)) {
        throw new Error(`the data folder ${sqliteDir} is in use by another server (pid ${held.serverPid}); stop it first`)
      }
      if (held.dbPid && isOurFerretDB(held.dbPid, sqliteDir)) {
        log(`ending the embedded database (pid ${held.dbPid}) left behind by a stopped server`)
        signal(held.dbPid, 'SIGKILL')
        for (let i = 0; i < 100 && isAlive(held.dbPid); i++) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20)
      }
      fs.rmSync(file, { force: true })
    }
  }
  return {
    record: (dbPid) => fs.writeFileSync(file, JSON.stringify({ serverPid: process.pid, dbPid })),
    release: () => {
      try {
        const held = JSON.parse(fs.readFileSync(file, 'utf8')) as { serverPid?: number }
        if (held.serverPid === process.pid) fs.rmSync(file, { force: true })
      } catch {
        // nothing to release
      }
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
