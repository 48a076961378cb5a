import http from 'node:http'
import { buildApp } from './app'
import { ConfigError, loadConfig, type AppConfig } from './config'
import { connectDatabase, disconnectDatabase, syncIndexes } from './db/connection'
import { launchDatabase, type RunningDatabase } from './db/launcher'
import { JOBS } from './jobs'
import { startJobs } from './jobs/scheduler'
import { createLogger } from './logger'
import { TOOLS_BIN_DIR } from './paths'
import { seedDemoData } from './seed/seed'

const SHUTDOWN_GRACE_MS = 10_000

/**
 * Starts the API: configuration, database (embedded when `MONGODB_URI` is unset), demo data,
 * jobs, HTTP. SIGTERM/SIGINT stop accepting connections, let in-flight requests finish, then
 * close the database and stop the embedded one.
 */
export async function main(): Promise<void> {
  let config: AppConfig
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      process.exit(1)
    }
    throw err
  }
  const log = createLogger(config.logLevel)

  const db: RunningDatabase = await launchDatabase({
    mongodbUri: config.mongodbUri,
    dataDir: config.dataDir,
    toolsBinDir: TOOLS_BIN_DIR,
    log: (line) => log.info(line),
  })
  const dbName = new URL(config.mongodbUri ?? 'mongodb://x/').pathname.slice(1) || 'xianlin'
  const uri = config.mongodbUri ?? `${db.uri}/${dbName}`
  log.info({ database: db.kind, where: db.description, dbPid: db.pid }, `database: ${db.description}`)
  await connectDatabase(uri)

  const { app, services } = buildApp(config, { logger: log })
  await syncIndexes()
  if (config.seedDemo) log.info(await seedDemoData(services.clock()), 'demo data ready')
  const jobs = startJobs(JOBS, { log, clock: services.clock })

  const server = http.createServer(app.callback())
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve))
  const { port } = server.address() as { port: number }
  const url = config.publicUrl ?? `http://localhost:${port}/`
  log.info({ port }, 'listening')
  console.log(`\n  ${config.rules.business.brandName} is running: open ${url}\n`)

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'shutting down')
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS)
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeIdleConnections()
    })
    clearTimeout(force)
    await jobs.stop()
    await disconnectDatabase()
    await db.stop()
    log.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
}
