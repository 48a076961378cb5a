import { parseArgs } from 'node:util'
import { addDays, businessDay } from '@xianlin/shared'
import { configOrExit } from '../src/main'
import { connectDatabase, disconnectDatabase, syncIndexes, withDatabaseName } from '../src/db/connection'
import { launchDatabase } from '../src/db/launcher'
import { TOOLS_BIN_DIR } from '../src/paths'
import { createLogger } from '../src/logger'
import { createServices } from '../src/services'
import { mongoFakePayStore, startFakePay } from '../src/dev/fake-pay'
import { seedDemoData } from '../src/seed/seed'
import { DEMO_OPERATOR } from '../src/seed/demo-operator'
import { ensureDemoHistory } from '../src/seed/demo-history'
import { rebuildDays, writeSyntheticHistory } from '../src/modules/events/synthetic-history'

/**
 * `npm run seed:history -- --members 2000 --days 90`: a history ending yesterday, written into the
 * database `npm start` uses (stop the server first: the embedded database has one owner).
 *
 * By default it is lived through the product's services on a simulated clock, like the demo's
 * (members, check-ins and their points, baskets and group-buys paid through the development Pay
 * fake, pickups, redemptions, refunds, reviews), so every screen agrees with every other; the demo
 * data is seeded first when missing.
 *
 * `--bulk` writes the benchmarks' large history instead: members and their events only, in bulk,
 * in the shapes the services write them (`demo-history.test.ts` compares them), folded day by day;
 * `--rebuild` then folds the days again from the stored events (the job's path) and times it;
 * `--dormant-from K`: members K on registered in the first three weeks and never came back.
 */
async function seedHistory() {
  const { values } = parseArgs({ options: { members: { type: 'string', default: '2000' }, days: { type: 'string', default: '90' }, seed: { type: 'string', default: '1' }, bulk: { type: 'boolean', default: false }, rebuild: { type: 'boolean', default: false }, 'dormant-from': { type: 'string' } } })
  const members = Number(values.members)
  const days = Number(values.days)
  const dormantFrom = values['dormant-from'] === undefined ? undefined : Number(values['dormant-from'])
  if (!Number.isInteger(members) || members < 1 || !Number.isInteger(days) || days < 1 || days > 400 || (values.rebuild && !values.bulk) || (dormantFrom !== undefined && (!values.bulk || !Number.isInteger(dormantFrom) || dormantFrom < 0))) {
    console.error('usage: npm run seed:history -- --members N --days D [--seed S] [--bulk [--rebuild] [--dormant-from K]] (1 ≤ D ≤ 400)')
    process.exit(2)
  }
  const config = configOrExit()
  const db = await launchDatabase({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, toolsBinDir: TOOLS_BIN_DIR, log: () => undefined })
    try {
    await connectDatabase(withDatabaseName(config.mongodbUri ?? db.uri))
    await syncIndexes()
    const timeZone = config.rules.business.timeZone
    const endDay = addDays(businessDay(new Date(), timeZone), -1)
    const from = addDays(endDay, -(days - 1))
    let started = Date.now()
    if (!values.bulk) {
      console.log(`History lived through the services: ${members} members, ${from} to ${endDay} (${db.description})`)
      const fakePay = await startFakePay({ store: mongoFakePayStore() })
      try {
        // Notifications are handled by the history itself on its own clock: no server listens here.
        const effective = { ...config, pay: config.pay ?? fakePay.config('http://127.0.0.1:9/not-listening', config.wechat.appId) }
        const log = createLogger('warn')
        const services = createServices(effective, log)
        await services.rules.refresh()
        await seedDemoData(services.clock(), services)
        await services.operators.ensureDemo(DEMO_OPERATOR.username, DEMO_OPERATOR.password)
        const made = await ensureDemoHistory({ members, days, endDay, seed: Number(values.seed) }, { config: effective, fakePay, log })
        console.log(made ? `${made.members} members and ${made.orders} orders lived in ${((Date.now() - started) / 1000).toFixed(1)} s` : 'This history (members, days, seed) was written before: nothing added.')
      } finally {
        await fakePay.close()
      }
      return
    }
    console.log(`Bulk history: ${members} members, ${from} to ${endDay} (${db.description})`)
    const events = await writeSyntheticHistory({ members, days, endDay, timeZone, seed: Number(values.seed), dormantFrom }, { fold: !values.rebuild, onProgress: (m, e) => console.log(`  ${m} members, ${e} events written`) })
    console.log(`${events} events written${values.rebuild ? '' : ' and folded'} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    if (values.rebuild) {
      // The job's own path: each day read back from the stored events.
      started = Date.now()
      let slowest = 0
      await rebuildDays(from, endDay, (day, n, ms) => {
        slowest = Math.max(slowest, ms)
        if (day.endsWith('-01') || day === endDay) console.log(`  ${day}: ${n} events folded in ${ms} ms`)
      })
      console.log(`Folded ${days} days from the stored events in ${((Date.now() - started) / 1000).toFixed(1)} s (slowest day ${slowest} ms).`)
    }
  } finally {
    await disconnectDatabase()
    await db.stop()
  }
}

void seedHistory().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
