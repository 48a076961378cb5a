import path from 'node:path'
import { CONSOLE_DIST_DIR } from '../src/paths'
import { ensureBuilt, type StaleBuild } from './stale-build'

const CONSOLE: StaleBuild = {
  what: 'the operator console',
  script: 'build:console',
  output: path.join(CONSOLE_DIST_DIR, 'index.html'),
  sources: ['server/console/src', 'server/console/index.html', 'server/console/vite.config.ts', 'server/console/package.json', 'shared/src'],
}

/** Builds the operator console (`npm run build:console`) when it is missing or stale. */
export const ensureConsoleBuild = (log?: (line: string) => void) => ensureBuilt(CONSOLE, log)
