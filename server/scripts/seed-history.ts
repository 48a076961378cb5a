import { parseArgs } from 'node:util'
import { addDays, businessDay } from '@xianlin/shared'
import { configOrExit } from '../src/main'
import { connectDatabase, disconnectDatabase, syncIndexes, withDatabaseName } from '../src/db/connection'
import { launchDatabase } from '../src/db/launcher'
import { TOOLS_BIN_DIR } from '../src/paths'
import { rebuildDays, writeSyntheticHistory } from '../src/modules/events/synthetic-history'

/**
 * `npm run seed:history -- --members 100000 --days 100`: writes a synthetic growth history
 * (members, visits, check-ins, group-buys, pickups, churn) ending yesterday into the database
 * `npm start` uses (stop the server first: the embedded database has one owner) and folds each
 * day as it goes; `--rebuild` folds the days again from the stored events (the job's path) and
 * prints how long each took.
 */
async function seedHistory() {
  const { values } = parseArgs({ options: { members: { type: 'string', default: '2000' }, days: { type: 'string', default: '90' }, seed: { type: 'string', default: '1' }, rebuild: { type: 'boolean', default: false } } })
  const members = Number(values.members)
  const days = Number(values.days)
  if (!Number.isInteger(members) || members < 1 || !Number.isInteger(days) || days < 1 || days > 400) {
    console.error('usage: npm run seed:history -- --members N --days D (1 ≤ D ≤ 400)')
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
    console.log(`Synthetic history: ${members} members, ${from} to ${endDay} (${db.description})`)
    let started = Date.now()
    const events = await writeSyntheticHistory({ members, days, endDay, timeZone, seed: Number(values.seed) }, { fold: !values.rebuild, onProgress: (m, e) => console.log(`  ${m} members, ${e} events written`) })
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
