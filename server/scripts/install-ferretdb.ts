import { installFerretDB } from '../src/db/ferretdb-install'
import { TOOLS_BIN_DIR } from '../src/paths'

// `npm run install:ferretdb`: builds the embedded database into .tools/bin (needs Go).
installFerretDB(TOOLS_BIN_DIR).catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
