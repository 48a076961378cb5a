import path from 'node:path'
import { H5_DIST_DIR } from '../src/paths'
import { ensureBuilt, type StaleBuild } from './stale-build'

const H5: StaleBuild = {
  what: 'the H5 app',
  script: 'build:h5',
  output: path.join(H5_DIST_DIR, 'index.html'),
  sources: ['miniapp', 'shared/src', 'config', 'babel.config.js', 'package.json'],
}

/** Builds the H5 app (`npm run build:h5`) when it is missing or stale. */
export const ensureH5Build = (log?: (line: string) => void) => ensureBuilt(H5, log)
