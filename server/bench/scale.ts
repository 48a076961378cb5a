import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { Agent, fetch } from 'undici'
import { addDays, businessDay } from '@xianlin/shared'
import { launchDatabase } from '../src/db/launcher'
import { withDatabaseName } from '../src/db/connection'
import { TOOLS_BIN_DIR } from '../src/paths'
import { buildJobs } from '../src/jobs'
import type { Services } from '../src/services'
import { DEMO_OPERATOR } from '../src/seed/demo-operator'
import { startServerProcess } from '../test/server-process'

/**
 * The bench's scale section (#38): every job and every report of 增长分析 at two sizes of
 * membership with the same daily activity, and what each cost at both: database commands,
 * documents the database returned, and the most heap the server held above where it began.
 *
 * Both sizes are one synthetic history of `ACTIVE` members living `DAYS` days (the bench's bulk
 * writer), plus members who registered in its first three weeks and never came back, up to the
 * size: the larger size only adds such members, so each day's activity is the same at both.
 * Each is measured on its second run (a job's first catches up on what the history left, a report's
 * first counts the days nobody had asked for), so a job
 * that works on what changed costs the same at both sizes (ratio ≤ 1.3), and no job or report
 * may grow faster than the membership (ratio ≤ 4.4 at four times the members).
 *
 * `tsx server/bench/scale.ts` runs it alone; `BENCH_SCALE_SIZES`, `BENCH_SCALE_ACTIVE` and
 * `BENCH_SCALE_DAYS` make it smaller.
 */
const SIZES = (process.env.BENCH_SCALE_SIZES ?? '100000,400000').split(',').map(Number) as [number, number]
const ACTIVE = Number(process.env.BENCH_SCALE_ACTIVE ?? 20_000)
const DAYS = Number(process.env.BENCH_SCALE_DAYS ?? 120)
const TIME_ZONE = 'Asia/Shanghai'
const SAME = 1.3
const PROPORTIONAL = 4.4
const PATIENT = new Agent({ headersTimeout: 0, bodyTimeout: 0 })
/** Heap below this is sampling noise: ratios treat it as this much. */
const HEAP_FLOOR_MB = 1

type Cost = { commands: number; documents: number; heapMb: number }
type Subject = { name: string; kind: 'job' | 'report'; url: string; method: 'GET' | 'POST' }

function subjects(): Subject[] {
  const yesterday = addDays(businessDay(new Date(), TIME_ZONE), -1)
  const at = (n: number) => addDays(yesterday, -n)
  const month = `from=${at(29)}&to=${yesterday}`
  const quarter = `from=${at(Math.min(DAYS, 92) - 1)}&to=${yesterday}`
  // The jobs of a server, by name (their work needs no services to be named).
  const jobs = buildJobs({} as Services).map((j): Subject => ({ name: j.name, kind: 'job', url: `/bench/jobs/${j.name}`, method: 'POST' }))
  const reports: Array<[string, string]> = [
    ['trend', month],
    ['retention', quarter],
    ['funnel', month],
    ['lifecycle', quarter],
    ['rfm', `to=${yesterday}`],
    ['rfm/members', `to=${yesterday}&segment=champion&offset=0&limit=20`],
    ['invitations', month],
    ['groupbuys', month],
    ['checkins', month],
    ['leaders', month],
    ['points-liability', 'months=6'],
  ]
  return [...jobs, ...reports.map(([name, query]): Subject => ({ name, kind: 'report', url: `/api/admin/analytics/${name}?${query}`, method: 'GET' }))]
}

/** The bench's bulk history writer, to `members` in all, `ACTIVE` of them living the history. */
async function writeHistory(uri: string, members: number): Promise<void> {
  const args = [path.join('server', 'scripts', 'seed-history.ts'), '--bulk', '--members', String(members), '--days', String(DAYS), '--dormant-from', String(ACTIVE)]
  const child = spawn(path.join('node_modules', '.bin', 'tsx'), args, { env: { ...process.env, MONGODB_URI: uri, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  if (code !== 0) throw new Error(`the scale history failed (exit ${code}):\n${output.slice(-2000)}`)
}

/** What each subject cost at `members`, on a server of its own (a fresh heap), each run once unmeasured first. */
async function measureAt(uri: string, members: number, list: Subject[]): Promise<Map<string, Cost>> {
  const server = await startServerProcess([path.join('node_modules', '.bin', 'tsx'), path.join('server', 'bench', 'bench-server.ts')], {
    PORT: '0',
    MONGODB_URI: uri,
    LOG_LEVEL: 'warn',
    DEMO_HISTORY: '1x1',
    JOBS_POLL_MS: '60000',
    NODE_OPTIONS: '--expose-gc',
  })
  try {
    const base = server.url.replace(/\/$/, '')
    const signIn = await fetch(`${base}/api/console/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO_OPERATOR) })
    const operator = { cookie: signIn.headers.getSetCookie().find((c) => c.startsWith('xl_console='))!.split(';')[0]!, 'x-csrf-token': ((await signIn.json()) as { csrfToken: string }).csrfToken }
    const call = async (s: Subject, measure: boolean): Promise<Cost> => {
      const started = Date.now()
      // No time limit: a job's first run over a large history can take minutes (undici's default would give up at five).
      const res = await fetch(`${base}${s.url}`, { method: s.method, headers: { ...operator, ...(measure ? { 'x-bench-measure': '1' } : {}) }, dispatcher: PATIENT })
      await res.arrayBuffer()
      if (!res.ok) throw new Error(`${s.method} ${s.url}: ${res.status}`)
      const seconds = (Date.now() - started) / 1000
      if (seconds > 10) process.stdout.write(`\n  ${members.toLocaleString('en')} members, ${s.kind} ${s.name}${measure ? '' : ' (first run)'}: ${seconds.toFixed(0)} s`)
      return { commands: Number(res.headers.get('x-bench-commands')), documents: Number(res.headers.get('x-bench-documents')), heapMb: Number(res.headers.get('x-bench-heap-mb')) }
    }
    for (const s of list) await call(s, false)
    const costs = new Map<string, Cost>()
    for (const s of list) costs.set(`${s.kind} ${s.name}`, await call(s, true))
    process.stdout.write(`${members.toLocaleString('en')} members measured. `)
    return costs
  } finally {
    await server.stop()
  }
}

const ratio = (a: number, b: number, floor = 0) => {
  const [x, y] = [Math.max(a, floor), Math.max(b, floor)]
  return x === 0 ? (y === 0 ? 1 : Infinity) : y / x
}

export async function scaleSection(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xianlin-scale-'))
  const db = await launchDatabase({ dataDir, toolsBinDir: TOOLS_BIN_DIR, log: () => undefined })
  // Command monitoring on: the server counts the documents in each reply.
  const uri = `${withDatabaseName(db.uri)}${db.uri.includes('?') ? '&' : '?'}monitorCommands=true`
  try {
    const list = subjects()
    const started = Date.now()
    process.stdout.write(`Scale: ${ACTIVE.toLocaleString('en')} members living ${DAYS} days, and members who registered in its first three weeks and never came back, up to each size... `)
    const costs: Array<Map<string, Cost>> = []
    for (const members of SIZES) {
      await writeHistory(uri, members)
      costs.push(await measureAt(uri, members, list))
    }
    console.log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`)
    const [a, b] = SIZES.map((n) => `${n / 1000}k`)
    const head = ['', `cmds ${a}`, `cmds ${b}`, `docs ${a}`, `docs ${b}`, `heap MB ${a}`, `heap MB ${b}`, 'ratio cmds', 'ratio docs', 'ratio heap', 'limit', '']
    const widths = [34, 9, 9, 10, 10, 11, 11, 10, 10, 10, 6, 4]
    console.log(head.map((h, i) => (i ? h.padStart(widths[i]!) : h.padEnd(widths[i]!))).join(' '))
    const over: string[] = []
    for (const s of list) {
      const key = `${s.kind} ${s.name}`
      const [x, y] = [costs[0]!.get(key)!, costs[1]!.get(key)!]
      const ratios = [ratio(x.commands, y.commands), ratio(x.documents, y.documents), ratio(x.heapMb, y.heapMb, HEAP_FLOOR_MB)]
      const limit = s.kind === 'job' ? SAME : PROPORTIONAL
      const fine = ratios.every((r) => r <= limit)
      if (!fine) over.push(key)
      const cells = [key, x.commands, y.commands, x.documents, y.documents, x.heapMb.toFixed(1), y.heapMb.toFixed(1), ...ratios.map((r) => (Number.isFinite(r) ? r.toFixed(2) : '∞')), `≤${limit}`, fine ? '' : 'OVER']
      console.log(cells.map((c, i) => (i ? String(c).padStart(widths[i]!) : String(c).padEnd(widths[i]!))).join(' '))
    }
    console.log(`Each measured on its second run; ratios are ${b} ÷ ${a}, heap under ${HEAP_FLOOR_MB} MB counted as ${HEAP_FLOOR_MB} MB. Limits: a job ≤ ${SAME} (it works on what changed), a report ≤ ${PROPORTIONAL} (no faster than the members).`)
    console.log(over.length ? `Over their limit: ${over.join(', ')}\n` : 'Every job and report within its limit.\n')
  } finally {
    await db.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

if (process.argv[1]?.endsWith(path.join('bench', 'scale.ts'))) {
  scaleSection().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
