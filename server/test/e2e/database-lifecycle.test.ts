import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { isAlive, SERVER_COMMAND, startServerProcess, type ServerProcess } from '../server-process'

jest.setTimeout(180_000)


/** FerretDB processes serving this data folder, found by their command line. */
function databasesOf(dataDir: string): number[] {
  const pids: number[] = []
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
      if (cmd[0]?.endsWith('ferretdb') && cmd.some((a) => a.includes(`file:${dataDir}/ferretdb/`))) pids.push(Number(entry))
    } catch {
      // gone meanwhile
    }
  }
  return pids
}

/** The pids the server logged at start-up: itself, its database and the database's watchdog. */
function pidsOf(server: ServerProcess): { serverPid: number; dbPid: number; dbWatchdogPid: number } {
  const line = server
    .output()
    .split('\n')
    .find((l) => l.includes('"dbPid"'))!
  return JSON.parse(line)
}

async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return check()
}

/** The server's error-level log lines (pino level 50 and up), which say why a request failed. */
const errorLines = (output: string) =>
  output
    .split('\n')
    .filter((l) => /"level":(5|6)0/.test(l))
    .join('\n')

const env = (dataDir: string) => ({ PORT: '0', DATA_DIR: dataDir, SERVE_H5: 'false', SEED_DEMO: 'off' })

describe('the embedded database lives and dies with its server', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xianlin-lifecycle-'))
  afterAll(() => {
    for (const pid of databasesOf(dataDir)) process.kill(pid, 'SIGKILL')
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('ends the database when the server is killed with SIGKILL, and a restart runs exactly one', async () => {
    const first = await startServerProcess(SERVER_COMMAND, env(dataDir))
    const { serverPid, dbPid } = pidsOf(first)
    expect(databasesOf(dataDir)).toEqual([dbPid])
    process.kill(serverPid, 'SIGKILL')
    expect(await until(() => !isAlive(dbPid), 5000)).toBe(true)
    await first.stop()

    const second = await startServerProcess(SERVER_COMMAND, env(dataDir))
    try {
      expect(databasesOf(dataDir)).toEqual([pidsOf(second).dbPid])
      expect((await fetch(`${second.url}/readyz`)).status).toBe(200)
    } finally {
      await second.stop()
    }
  })

  it('ends an orphan left by a server killed together with its watchdog before starting a new one', async () => {
    const first = await startServerProcess(SERVER_COMMAND, env(dataDir))
    const { serverPid, dbPid, dbWatchdogPid } = pidsOf(first)
    // Freeze the server, end the watchdog and its helper, then kill the server: nothing is left
    // to end the database, as after a kill -9 of the whole tree but the database. The database is
    // frozen too: its logs go to the dead server's pipes, and its first write there (SIGPIPE) would
    // end it on its own, racing the takeover this test is about. SIGKILL still ends a frozen process.
    process.kill(serverPid, 'SIGSTOP')
    process.kill(dbPid, 'SIGSTOP')
    const helpers = fs.readFileSync(`/proc/${dbWatchdogPid}/task/${dbWatchdogPid}/children`, 'utf8').trim().split(/\s+/).map(Number)
    for (const pid of [dbWatchdogPid, ...helpers.filter((p) => p !== dbPid)]) process.kill(pid, 'SIGKILL')
    process.kill(serverPid, 'SIGKILL')
    // (No `first.stop()`: it signals the whole process group, orphan included.)
    expect(await until(() => !isAlive(serverPid), 5000)).toBe(true)
    expect(isAlive(dbPid)).toBe(true) // the orphan: nothing was left to end it

    const second = await startServerProcess(SERVER_COMMAND, env(dataDir))
    try {
      expect(isAlive(dbPid)).toBe(false)
      expect(databasesOf(dataDir)).toEqual([pidsOf(second).dbPid])
      expect(second.output()).toContain('left behind by a stopped server')
    } finally {
      await second.stop()
    }
  })

  it('answers 503 within a second while the database is down, then serves again after restarting it itself', async () => {
    // A restart pause long enough to see the outage from outside.
    const server = await startServerProcess(SERVER_COMMAND, { ...env(dataDir), EMBEDDED_DB_RESTART_DELAY_MS: '3000' })
    try {
      const login = await fetch(`${server.url}/api/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nickname: '断库测试' }) })
      const { accessToken } = (await login.json()) as { accessToken: string }
      const me = async () => {
        const started = Date.now()
        const res = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } })
        return { status: res.status, ms: Date.now() - started, body: (await res.json()) as { error?: { code: string } }, retryAfter: res.headers.get('retry-after') }
      }
      expect((await me()).status).toBe(200)

      const { dbPid } = pidsOf(server)
      process.kill(dbPid, 'SIGKILL')
      // Requests during the outage: every one answers at once, and none answers 500.
      const during: Array<Awaited<ReturnType<typeof me>>> = []
      const back = await until(async () => {
        const r = await me()
        during.push(r)
        return r.status === 200
      }, 30_000)
      const outage = during.filter((r) => r.status !== 200)
      expect(outage.length).toBeGreaterThan(0)
      for (const r of outage) {
        if (r.status === 500) throw new Error(`500 during the outage; server's errors:\n${errorLines(server.output())}`)
        expect([r.status, r.body.error?.code]).toEqual([503, 'DATABASE_UNAVAILABLE'])
        expect(r.retryAfter).toBe('2')
        expect(r.ms).toBeLessThan(1000)
      }
      expect(back).toBe(true)
      // The server's log reaches us through a pipe, possibly after its first answer: wait for it.
      await until(() => server.output().includes('embedded database restarted'), 5000)
      expect(server.output()).toContain('embedded database restarted')
      expect(databasesOf(dataDir)).toHaveLength(1)
    } finally {
      const code = await server.stop()
      if (code !== 0) console.log(server.output().split('\n').slice(-40).join('\n'))
      expect(code).toBe(0)
    }
    expect(databasesOf(dataDir)).toEqual([])
  })
})
