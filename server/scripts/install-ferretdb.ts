import path from 'node:path'
import { FERRETDB_BUILD, installFerretDB, isCurrentBuild } from '../src/db/ferretdb-install'
import { TOOLS_BIN_DIR } from '../src/paths'

// `npm run install:ferretdb`: builds the embedded database into .tools/bin (needs Go), unless the
// build there is already this installer's (`-- --force` builds it again anyway).
if (isCurrentBuild(path.join(TOOLS_BIN_DIR, 'ferretdb')) && !process.argv.includes('--force')) {
  console.log(`FerretDB ${FERRETDB_BUILD} is already built in ${TOOLS_BIN_DIR}`)
} else {
  installFerretDB(TOOLS_BIN_DIR).catch((err) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
}
