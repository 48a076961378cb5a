import { parseArgs } from 'node:util'
import { CreateOperatorRequestSchema, OPERATOR_ROLE_NAMES, OPERATOR_ROLES } from '@xianlin/shared'
import { configOrExit } from '../src/main'
import { connectDatabase, disconnectDatabase, syncIndexes, withDatabaseName } from '../src/db/connection'
import { launchDatabase } from '../src/db/launcher'
import { TOOLS_BIN_DIR } from '../src/paths'
import { createOperatorsService } from '../src/modules/operators/operators.service'
import { AppError } from '../src/core/app-error'

const USAGE = `Usage:
  npm run operator -- create <username> --role <${OPERATOR_ROLES.join('|')}> [--name <显示名>]

Creates a console operator and prints a one-time password, to be changed at first sign-in.
Uses MONGODB_URI when set, else the embedded database in DATA_DIR (stop \`npm start\` first).`

/** `npm run operator -- create <username> --role admin`: the first operator, without touching the database. */
async function run(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { role: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } } })
  const [command, username] = positionals
  if (values.help || command !== 'create' || !username) {
    console.log(USAGE)
    return values.help ? 0 : 2
  }
  const input = CreateOperatorRequestSchema.safeParse({ username, role: values.role, ...(values.name ? { displayName: values.name } : {}) })
  if (!input.success) {
    for (const issue of input.error.issues) console.error(`${issue.path.join('.') || 'input'}: ${issue.message}`)
    console.error(`\n${USAGE}`)
    return 2
  }
  const config = configOrExit()
  const db = await launchDatabase({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, toolsBinDir: TOOLS_BIN_DIR, log: () => {} })
  try {
    await connectDatabase(withDatabaseName(config.mongodbUri ?? db.uri))
    await syncIndexes()
    const { operator, oneTimePassword } = await createOperatorsService({ clock: () => new Date(), timeZone: config.rules.business.timeZone }).create(input.data, null)
    console.log(`Created operator "${operator.username}" (${OPERATOR_ROLE_NAMES[operator.role]}).`)
    console.log(`One-time password: ${oneTimePassword}`)
    console.log('Hand it over in person; it must be changed at the first sign-in.')
    return 0
  } catch (err) {
    if (err instanceof AppError) {
      console.error(err.message)
      return 1
    }
    throw err
  } finally {
    await disconnectDatabase()
    await db.stop()
  }
}

run().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  },
)
