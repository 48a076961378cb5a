import { timingSafeEqual } from 'node:crypto'
import type { Middleware } from 'koa'
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { AppError } from '../core/app-error'
import { onDatabaseCommand } from '../db/connection'
import { endpoint, type RouteTable } from './endpoint'
import type { AppState } from './types'

/**
 * The server's figures in Prometheus' format (prom-client), a registry per app: request durations by
 * route and status, job runs by outcome, database commands, and Node's own (event-loop delay, heap,
 * GC) from prom-client's default collectors.
 */
export function createMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  })
  const jobs = new Histogram({ name: 'job_run_duration_seconds', help: 'Scheduled job runs on this instance by job and outcome', labelNames: ['job', 'outcome'] as const, buckets: [0.01, 0.1, 1, 10, 60, 600], registers: [registry] })
  const commands = new Counter({ name: 'db_commands_total', help: 'Database commands this instance sent', registers: [registry] })
  let stopCounting: (() => void) | null = null
  return {
    registry,
    /** Times each request under its route's pattern (not its path: ids would make a series each). */
    middleware: (): Middleware<AppState> => async (ctx, next) => {
      const end = requests.startTimer({ method: ctx.method })
      try {
        await next()
      } finally {
        end({ route: (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? 'unmatched', status: String(ctx.status) })
      }
    },
    jobRan: (job: string, seconds: number, failed: boolean) => jobs.observe({ job, outcome: failed ? 'failed' : 'ok' }, seconds),
    /** Counts the commands sent on the connection open now (call after connecting). */
    countDatabaseCommands() {
      stopCounting ??= onDatabaseCommand(() => commands.inc())
    },
  }
}

export type Metrics = ReturnType<typeof createMetrics>

/**
 * `GET /metrics`. With `token` set it answers only `Authorization: Bearer <token>`; production
 * without a token answers no one (config refuses to start so; an internal-network-only setup sets one anyway).
 */
export function metricsRoutes(metrics: Metrics, token: string | null, production: boolean): RouteTable {
  const allowed = (header: string) => {
    if (!token) return !production
    const [given, wanted] = [Buffer.from(header), Buffer.from(`Bearer ${token}`)]
    return given.length === wanted.length && timingSafeEqual(given, wanted)
  }
  return [
    [
      'get',
      '/metrics',
      endpoint({
        reply: 'binary',
        access: 'public',
        handler: async ({ ctx }) => {
          if (!allowed(ctx.get('authorization'))) throw new AppError('UNAUTHENTICATED', '需要监控令牌')
          ctx.type = metrics.registry.contentType
          return Buffer.from(await metrics.registry.metrics())
        },
      }),
    ],
  ]
}
