import http from 'node:http'
import { addDays, businessDay } from '@xianlin/shared'
import type Koa from 'koa'
import { buildApp } from './app'
import { ConfigError, loadConfig, type AppConfig } from './config'
import { connectDatabase, disconnectDatabase, syncIndexes, withDatabaseName } from './db/connection'
import { launchDatabase, type RunningDatabase } from './db/launcher'
import { buildJobs } from './jobs'
import { startJobs } from './jobs/scheduler'
import { createLogger } from './logger'
import type { AppState } from './http/types'
import { hintAccountsFromBefore, listUnlistedMembers, moveUnshardedMemberList } from './modules/users/users.service'
import type { Services } from './services'
import { TOOLS_BIN_DIR } from './paths'
import { seedDemoData } from './seed/seed'
import { ensureDemoHistory } from './seed/demo-history'
import { DEMO_OPERATOR } from './seed/demo-operator'
import { mongoFakePayStore, startFakePay, type FakePay } from './dev/fake-pay'
import { PAY_NOTIFY_PATH } from './modules/orders/pay-notify'
import { answerClientErrorsAsJson } from './http/http-edges'
import { moveOrdersToLines } from './modules/orders/order-lines'
import { recordPhotosFromBefore } from './modules/photos/photos.service'
import { fillSearchKeys } from './modules/catalog/catalog.service'

const SHUTDOWN_GRACE_MS = 10_000
/** The demo's synthetic growth history (`npm run seed:history` makes bigger ones). */

export interface RunningServer {
  url: string
  /** Which database it runs on, for people. */
  database: string
  /** The URI it connected to, database name included (for tools beside it, such as the bench's history writer). */
  databaseUri: string
  /** Stops accepting, lets in-flight requests finish, stops jobs, closes and stops the database. */
  stop(): Promise<void>
}

/**
 * Starts the API from a config: database (embedded when `MONGODB_URI` is unset), indexes, demo
 * data, jobs, HTTP. `extend` may add routes beside the API's (the benchmark's baseline route).
 */
export async function startServer(config: AppConfig, extend?: (app: Koa<AppState>, services: Services) => void): Promise<RunningServer> {
  const log = createLogger(config.logLevel, config.logFormat)
  const db: RunningDatabase = await launchDatabase({
    mongodbUri: config.mongodbUri,
    dataDir: config.dataDir,
    toolsBinDir: TOOLS_BIN_DIR,
    log: (line) => log.info(line),
    restartDelayMs: config.embeddedDbRestartDelayMs,
  })
  const uri = withDatabaseName(config.mongodbUri ?? db.uri)
  log.info({ database: db.kind, where: db.description, dbPid: db.pid, dbWatchdogPid: db.watchdogPid, serverPid: process.pid }, `database: ${db.description}`)
  await connectDatabase(uri)

  // The port is opened first (answering 503 until ready) so the development Pay fake knows
  // where to send notifications when the port is chosen by the system.
  let handle: http.RequestListener = (_req, res) => {
    res.statusCode = 503
    res.end()
  }
  const server = http.createServer((req, res) => handle(req, res))
  answerClientErrorsAsJson(server)
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve))
  const { port } = server.address() as { port: number }

  let fakePay: FakePay | null = null
  let effective = config
  if (!config.pay) {
    fakePay = await startFakePay({ store: mongoFakePayStore() })
    effective = { ...config, pay: fakePay.config(`http://127.0.0.1:${port}${PAY_NOTIFY_PATH}`, config.wechat.appId) }
    log.info({ at: fakePay.url }, 'WeChat Pay: development fake (no WECHAT_PAY_* settings)')
  }
  const pay = fakePay
  const { app, services, metrics } = buildApp(effective, { logger: log, devPayer: pay ? (prepayId) => pay.pay(prepayId) : undefined, extend, ...(config.simulatedClock ? { clock: simulatedClock(config.simulatedClock) } : {}) })
  await syncIndexes()
  await services.rules.refresh() // the newest saved rules version, before the first request
  // A database from before baskets: its orders read as one-line orders, its products get search keys (both once).
  const movedOrders = await moveOrdersToLines()
  if (movedOrders > 0) log.info({ orders: movedOrders }, 'orders from before baskets moved to lines')
  const sealed = await services.leaders.sealApplicationPhones()
  if (sealed > 0) log.info({ applications: sealed }, 'leader applicants’ numbers sealed')
  const recorded = await recordPhotosFromBefore((ids) => services.reviews.holdingPhotos(ids))
  if (recorded > 0) log.info({ photos: recorded }, 'photos from before photo records recorded')
  const keyed = await fillSearchKeys()
  if (keyed > 0) log.info({ products: keyed }, 'search keys written for products from before pinyin search')
  const moved = await moveUnshardedMemberList()
  if (moved > 0) log.info({ buckets: moved }, 'member list moved to its shards')
  // Members from before the console's member list: numbered in the background, a batch at a time.
  void (async () => {
    while ((await listUnlistedMembers().catch(() => 0)) > 0);
  })()
  // Accounts from before openid hints get theirs (once per database), so their sign-ins are lookups.
  void hintAccountsFromBefore().then(
    (hinted) => hinted > 0 && log.info({ hinted }, 'openid hints written for accounts from before them'),
    (err: unknown) => log.warn({ err }, 'openid hints not written; those accounts are found the slow way at sign-in'),
  )
  if (config.seedDemo) {
    log.info(await seedDemoData(services.clock(), services), 'demo data ready')
    await services.operators.ensureDemo(DEMO_OPERATOR.username, DEMO_OPERATOR.password)
    const timeZone = config.rules.business.timeZone
    // The reports need weeks of history to show anything: lived once, in the background, through
    // the services themselves on a simulated clock (payments through the development Pay fake).
    if (pay) {
      const started = Date.now()
      void ensureDemoHistory({ ...config.demoHistory, endDay: addDays(businessDay(services.clock(), timeZone), -1) }, { config: effective, fakePay: pay, log }).then(
        (made) => made && log.info({ ...config.demoHistory, ...made, seconds: Math.round((Date.now() - started) / 1000) }, 'demo history ready'),
        (err) => log.warn({ err }, 'demo history not made'),
      )
    }
  }
  const jobs = startJobs(buildJobs(services, { rulesRefreshMs: config.rulesRefreshMs }), { log, clock: services.clock, ...config.jobs, onRun: metrics.jobRan })
  handle = app.callback()
  log.info({ port }, 'listening')

  return {
    url: config.publicUrl ?? `http://localhost:${port}/`,
    database: db.description,
    databaseUri: uri,
    async stop() {
      db.prepareStop?.()
      const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS)
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
      })
      clearTimeout(force)
      await jobs.stop()
      await fakePay?.close()
      await disconnectDatabase()
      await db.stop()
      log.info('stopped')
    },
  }
}

/** Reads the configuration or exits with its problems listed. */
export function configOrExit(): AppConfig {
  try {
    return loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      process.exit(1)
    }
    throw err
  }
}

/** `npm start`'s server: prints where to open it, and stops gracefully on SIGTERM/SIGINT. */
export async function main(): Promise<void> {
  const config = configOrExit()
  const server = await startServer(config)
  console.log(`\n  ${config.rules.business.brandName} is running: open ${server.url}\n`)
  if (config.seedDemo) console.log(`  Demo operator (development only): ${DEMO_OPERATOR.username} / ${DEMO_OPERATOR.password}\n`)
  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`${signal}: shutting down`)
    server.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(err)
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
}

/** The SIMULATED_CLOCK: `start` at real time `from`, running `speed` times real time. */
const simulatedClock =
  ({ start, speed, from }: { start: number; speed: number; from: number }) =>
  () =>
    new Date(start + (Date.now() - from) * speed)
