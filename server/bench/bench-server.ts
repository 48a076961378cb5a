import Router from '@koa/router'
import { AsyncLocalStorage } from 'node:async_hooks'
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'
import { randomUUID } from 'node:crypto'
import { configOrExit, startServer } from '../src/main'
import { getUser, importMembers } from '../src/modules/users/users.service'
import { onDatabaseCommand } from '../src/db/connection'
import type { AppState } from '../src/http/types'
import { rollupDay } from '../src/modules/events/daily-metrics'
import { buildJobs } from '../src/jobs'
import mongoose, { Types } from 'mongoose'
import type Koa from 'koa'

/**
 * The server under benchmark: the real app on the embedded database, plus bench-only routes:
 * a bare `findOne` by `_id` with no validation or auth (the floor to compare against), a
 * points spend for one user (the contended ledger path; the mall and orders spend the same way),
 * and the count of database commands sent so far (commands per request in the report), told apart
 * by who sent them: a request, or background work (jobs, and what requests leave to them).
 */
async function run() {
  const config = configOrExit()
  const server = await startServer(
    config,
    (app, services) => {
      // Each request runs in its own async context, so a command knows whether a request sent it.
      const inRequest = new AsyncLocalStorage<RequestCount>()
      app.middleware.unshift(measured(inRequest))
      const sent = { requests: 0, background: 0 }
      onDatabaseCommand(() => {
        const count = inRequest.getStore()
        if (!count) return void sent.background++
        sent.requests++
        count.commands++
      })
      // Documents the database returned to a request: its replies' batches, seen only when the
      // connection string asks for command monitoring (the scale section's server does).
      mongoose.connection.getClient().on('commandSucceeded', (e: { reply?: unknown }) => {
        const count = inRequest.getStore()
        if (count) count.documents += documentsIn(e.reply)
      })
      const bench = new Router<AppState>()
      bench.get('/bench/commands', (ctx) => {
        ctx.body = sent
      })
      // How long this process stalled (its event loop blocked: JavaScript running, or a garbage
      // collection's pause) since the last reset, so a slow row tells the server's stalls apart
      // from waits on the database.
      const RESOLUTION_MS = 10
      const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
      loop.enable()
      let longestGc = 0
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longestGc = Math.max(longestGc, entry.duration)
      }).observe({ entryTypes: ['gc'] })
      bench.post('/bench/stalls/reset', (ctx) => {
        loop.reset()
        longestGc = 0
        ctx.status = 204
      })
      bench.get('/bench/stalls', (ctx) => {
        // The histogram holds the time between its timer's ticks: a loop never blocked reads its resolution.
        ctx.body = { loopMs: Math.max(0, loop.max / 1e6 - RESOLUTION_MS), gcMs: longestGc }
      })
      // The check-in follow-ups (copies on the account, growth, event, mark) the settle job does, run here until none is left.
      bench.post('/bench/checkins/settle', async (ctx) => {
        const before = sent.requests
        let settled = 0
        for (let n = await services.checkin.settle(new Date()); n > 0; n = await services.checkin.settle(new Date())) settled += n
        ctx.body = { settled, commands: sent.requests - before }
      })
      bench.get('/bench/baseline/:id', async (ctx) => {
        const user = await getUser(new Types.ObjectId(ctx.params.id).toHexString())
        ctx.body = { id: user.id, nickname: user.nickname }
      })
      bench.post('/bench/points/:id/seed', async (ctx) => {
        await services.points.earn({ userId: ctx.params.id, amount: 10_000_000, source: 'admin', key: `bench-seed:${ctx.params.id}` })
        ctx.status = 204
      })
      bench.post('/bench/points/:id/spend', async (ctx) => {
        const { entry } = await services.points.spend({ userId: ctx.params.id, amount: 1, source: 'mall', key: `bench:${randomUUID()}` })
        ctx.body = { balance: entry.available }
      })
      // The points expiry job's pace: `n` lots earned across 1,000 members (today, as check-ins
      // earn them), then the job run as if their expiry day had come: every lot of the day is due.
      bench.post('/bench/points/expiry/:n', async (ctx) => {
        const n = Number(ctx.params.n)
        const owners = Array.from({ length: 1000 }, () => new Types.ObjectId().toHexString())
        for (let i = 0; i < n; i += 20) {
          await Promise.all(Array.from({ length: Math.min(20, n - i) }, (_, j) => services.points.earn({ userId: owners[(i + j) % owners.length]!, amount: 1, source: 'checkin', key: `bench-lot:${i + j}` })))
        }
        const due = new Date(Date.now() + (config.rules.points.expiryDays + 1) * 86_400_000)
        const started = Date.now()
        const expired = await services.points.expireDueLots(due)
        ctx.body = { expired, seconds: (Date.now() - started) / 1000 }
      })
      // Members for the console's paging figure: inserted in batches, as an import would.
      bench.post('/bench/members/seed/:from/:n', async (ctx) => {
        const [from, n] = [Number(ctx.params.from), Number(ctx.params.n)]
        for (let i = 0; i < n; i += 1000) {
          const batch = Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({ openid: `bench:member:${from + i + j}`, nickname: `压测会员${from + i + j}`, createdAt: new Date() }))
          await importMembers(batch)
        }
        ctx.status = 204
      })
      // A job run now, in this request (the scale section counts what it reads).
      const jobs = new Map(buildJobs(services).map((job) => [job.name, job]))
      bench.post('/bench/jobs/:name', async (ctx) => {
        const job = jobs.get(ctx.params.name!)
        if (!job) return void (ctx.status = 404)
        await job.run(new Date())
        ctx.status = 204
      })
      // One day folded again from the stored events: the rollup job's own path.
      bench.post('/bench/fold/:day', async (ctx) => {
        const started = Date.now()
        const events = await rollupDay(ctx.params.day!)
        ctx.body = { events, seconds: (Date.now() - started) / 1000 }
      })
      app.use(bench.routes())
    },
  )
  console.log(`database: ${server.database}\ndatabase uri: ${server.databaseUri}\nbench server is running: open ${server.url}`)
  process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)))
}

type RequestCount = { commands: number; documents: number }

/** Documents in a command's reply: a cursor's batch, or the `n` a count answers with. */
function documentsIn(reply: unknown): number {
  const r = reply as { cursor?: { firstBatch?: unknown[]; nextBatch?: unknown[] }; n?: number } | undefined
  return r?.cursor?.firstBatch?.length ?? r?.cursor?.nextBatch?.length ?? 0
}

/**
 * Runs each request in its own count. Asked with `x-bench-measure`, the answer carries what the
 * request cost: database commands, documents returned and the most heap it held above what was in
 * use when it began (sampled every 2 ms, after a collection when the process exposes `gc`).
 */
function measured(store: AsyncLocalStorage<RequestCount>): Koa.Middleware {
  return async (ctx, next) => {
    const count: RequestCount = { commands: 0, documents: 0 }
    if (!ctx.get('x-bench-measure')) return store.run(count, next)
    ;(globalThis as { gc?: () => void }).gc?.()
    const base = process.memoryUsage().heapUsed
    let peak = base
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 2)
    try {
      await store.run(count, next)
    } finally {
      clearInterval(sampler)
      peak = Math.max(peak, process.memoryUsage().heapUsed)
      ctx.set('x-bench-commands', String(count.commands))
      ctx.set('x-bench-documents', String(count.documents))
      ctx.set('x-bench-heap-mb', ((peak - base) / 2 ** 20).toFixed(1))
    }
  }
}

void run()
