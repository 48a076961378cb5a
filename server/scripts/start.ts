import { ensureH5Build } from './h5-build'
import { ensureConsoleBuild } from './console-build'
import { main } from '../src/main'

// `npm start`: build the H5 app and the operator console if missing or stale, then run the server
// (which starts the embedded database and seeds demo data unless configured otherwise).
ensureH5Build()
ensureConsoleBuild()
main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
