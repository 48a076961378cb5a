import mongoose from 'mongoose'
import { testDatabaseUri } from '../harness'
import { loadRules } from '../../src/config'
import { DEFAULT_RULES_FILE } from '../../src/paths'
import { buildJobs } from '../../src/jobs'
import type { Services } from '../../src/services'
import { SERVER_COMMAND, startServerProcess, type ServerProcess } from '../server-process'

jest.setTimeout(300_000)

/**
 * Three real server processes on one database, their jobs on a clock 2880 times real time (a day
 * in half a minute): every job runs once per period across the three, never two runs of one job at once;
 * a killed instance's run is taken over once its lease lapses; a rules change reaches all three
 * within the refresh period each instance keeps its copy by (a real timer, RULES_REFRESH_MS).
 */
const SPEED = 2880
const START = Date.parse('2026-12-01T00:00:00Z')
const POLL_MS = 20 // real: about a simulated minute
const RULES_REFRESH_MS = 2_000 // real: how often each instance re-reads the rules (production: 30 s)
const LEASE_MS = 3 * 3_600_000 // simulated: 3.75 real seconds, well past a busy machine's stalls
const databaseUri = testDatabaseUri('jobs_instances')
const from = Date.now() + 5_000
const simulated = (real = Date.now()) => START + (real - from) * SPEED
const env = {
  PORT: '0',
  MONGODB_URI: databaseUri,
  SEED_DEMO: '0',
  LOG_LEVEL: 'debug',
  SIMULATED_CLOCK: `${new Date(START).toISOString()}*${SPEED}@${from}`,
  JOBS_POLL_MS: String(POLL_MS),
  JOBS_LEASE_MS: String(LEASE_MS),
  JOBS_RENEW_MS: '50',
  RULES_REFRESH_MS: String(RULES_REFRESH_MS),
}
let instances: ServerProcess[] = []

beforeAll(async () => {
  instances = await Promise.all([0, 1, 2].map(() => startServerProcess(SERVER_COMMAND, env)))
  await mongoose.connect(databaseUri)
})

afterAll(async () => {
  await Promise.all(instances.map((i) => i.stop().catch(() => undefined)))
  await mongoose.connection.dropDatabase().catch(() => undefined)
  await mongoose.disconnect()
})

type Run = { job: string; owner: string; startedAt: number; finishedAt: number; failed: boolean; instance: number }
const runsOf = (output: string, instance: number): Run[] =>
  output
    .split('\n')
    .filter((line) => line.includes('"msg":"job ran"'))
    .map((line) => JSON.parse(line) as { job: string; owner: string; startedAt: string; finishedAt: string; failed: boolean })
    .map((r) => ({ job: r.job, owner: r.owner, startedAt: Date.parse(r.startedAt), finishedAt: Date.parse(r.finishedAt), failed: r.failed, instance }))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const schedule = () => mongoose.connection.db!.collection<{ _id: string; dueAt: Date; owner: string | null; runId: string | null; leaseUntil: Date; runs: number; failures: number }>('job_schedule')

it('runs every job once per period across three instances, takes over a killed one, and spreads a rules change to all', async () => {
  const jobs = buildJobs({} as Services).filter((j) => !j.everyInstance)
  const up = simulated()

  // A rules change saved on the database (as 规则设置 on any instance does) reaches all three
  // within the refresh period each instance keeps (RULES_REFRESH_MS), while the day goes on.
  const rules = structuredClone(loadRules(DEFAULT_RULES_FILE)) as { checkin: { dailyPoints: number } }
  rules.checkin.dailyPoints += 3
  const changedAt = Date.now()
  await mongoose.connection.db!.collection('rules_versions').insertOne({ _id: 1 as never, rules, reason: '三台实例', operator: { id: 'test', username: 'test' }, changes: [], createdAt: new Date(simulated()) })
  const reached = Promise.all(
    instances.map(async (instance) => {
      while (((await (await fetch(`${instance.url}/api/rules`)).json()) as { rules: { checkin: { dailyPoints: number } } }).rules.checkin.dailyPoints !== rules.checkin.dailyPoints) {
        if (Date.now() - changedAt > 30_000) throw new Error('an instance did not apply the rules within 30 s')
        await sleep(20)
      }
      return Date.now() - changedAt
    }),
  )

  expect(Math.max(...(await reached))).toBeLessThanOrEqual(RULES_REFRESH_MS + 500)

  // Kill the third instance while it holds a run: frozen first, so the run cannot finish meanwhile.
  while (!runsOf(instances[2]!.output(), 2).length) await sleep(10)
  const third = runsOf(instances[2]!.output(), 2)[0]!.owner
  let orphan: { _id: string; runId: string | null; leaseUntil: Date } | null = null
  for (const until = Date.now() + 20_000; !orphan && Date.now() < until; ) {
    const holding = await schedule().findOne({ owner: third })
    if (!holding) continue
    instances[2]!.signal('SIGSTOP')
    await sleep(300) // commands it sent before the freeze land first
    const still = await schedule().findOne({ _id: holding._id, runId: holding.runId })
    if (still?.owner === third) orphan = still
    else instances[2]!.signal('SIGCONT') // it finished in between: let it go on, look again
  }
  expect(orphan).not.toBeNull()
  instances[2]!.signal('SIGKILL')
  const killedAt = simulated()
  // Renewals stopped with the freeze: the leases it holds now (this run's, and any other it had begun) must lapse.
  const lapsesAt = orphan!.leaseUntil.getTime()
  expect((await schedule().findOne({ _id: orphan!._id }))!.leaseUntil.getTime()).toBe(lapsesAt)
  const orphans = new Set((await schedule().find({ owner: third }).toArray()).map((o) => o._id))

  // The rest of the simulated day.
  while (simulated() < up + 24 * 3_600_000) await sleep(200)
  await Promise.all(instances.slice(0, 2).map((i) => i.stop()))
  const runs = instances.flatMap((i, n) => runsOf(i.output(), n)).filter((r) => r.startedAt >= up)
  const schedules = new Map((await schedule().find({}).toArray()).map((s) => [s._id, s]))

  // The killed run: still due where the instance left it, until another instance took it over after its lease.
  const takenOver = runs.filter((r) => r.job === orphan!._id && r.instance !== 2 && r.startedAt >= killedAt)
  expect(takenOver.length).toBeGreaterThan(0)
  expect(takenOver[0]!.startedAt).toBeGreaterThanOrEqual(lapsesAt) // not before the lease it held lapsed

  for (const job of jobs) {
    const of = runs.filter((r) => r.job === job.name).sort((a, b) => a.startedAt - b.startedAt)
    const s = schedules.get(job.name)!
    expect({ job: job.name, failures: s.failures }).toEqual({ job: job.name, failures: 0 })
    // Never two runs of one job at once, on any instances.
    for (let i = 1; i < of.length; i++) expect({ job: job.name, overlap: of[i]!.startedAt < of[i - 1]!.finishedAt }).toEqual({ job: job.name, overlap: false })
    // Never twice in one period (periods aligned on the job's due times).
    const period = (r: Run) => Math.floor((r.startedAt - s.dueAt.getTime()) / job.everyMs)
    expect({ job: job.name, twice: new Set(of.map(period)).size !== of.length }).toEqual({ job: job.name, twice: false })
    // Each run after the first began as soon as the job was due again: the first period boundary
    // after the run before it ended (the killed run's job waited out its lease), give or take the
    // polling of a busy machine (a real second). With `twice` above: once in every period a run did
    // not outlast. The five-second to five-minute jobs have periods shorter than that second here.
    if (job.everyMs >= 10 * 60_000) {
      const boundaryAfter = (t: number) => s.dueAt.getTime() - Math.floor((s.dueAt.getTime() - t) / job.everyMs) * job.everyMs
      const takeover = orphans.has(job.name) ? of.find((r) => r.instance !== 2 && r.startedAt >= killedAt) : undefined
      const late = of.slice(1).filter((r, i) => r.startedAt - boundaryAfter(of[i]!.finishedAt) > 1_000 * SPEED && r !== takeover)
      expect({ job: job.name, late: late.map((r) => new Date(r.startedAt).toISOString()) }).toEqual({ job: job.name, late: [] })
      // Three runs or more in the day; a daily job (积分负债's recount) once.
      expect({ job: job.name, ran: of.length >= Math.min(3, Math.floor((24 * 3_600_000) / job.everyMs)) }).toEqual({ job: job.name, ran: true })
    }
  }
  // The three instances shared the work (the third's runs may all predate \`up\`: it was killed after its first).
  const all = instances.flatMap((i, n) => runsOf(i.output(), n))
  expect(new Set(all.map((r) => r.instance))).toEqual(new Set([0, 1, 2]))
})
