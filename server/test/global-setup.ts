import { launchDatabase } from '../src/db/launcher'
import { TOOLS_BIN_DIR } from '../src/paths'

/**
 * One embedded database for the whole test run (ARCHITECTURE.md, Testing); each test file then
 * works in a database of its own name. Workers inherit `TEST_MONGODB_URI`.
 */
export default async function globalSetup(): Promise<void> {
  const db = await launchDatabase({ mongodbUri: process.env.MONGODB_URI, toolsBinDir: TOOLS_BIN_DIR })
  process.env.TEST_MONGODB_URI = db.uri
  process.stdout.write(`\n[test] database: ${db.description}\n`)
  ;(globalThis as { __TEST_DB__?: typeof db }).__TEST_DB__ = db
}
