import path from 'node:path'
import { REPO_ROOT } from '../src/paths'
import { ensureBuilt, type StaleBuild } from './stale-build'

/** A stand-in HTTPS API domain for builds that are checked, never released (CI, tests). */
export const CHECK_API_BASE = 'https://api.xianlin.invalid'

const WEAPP: StaleBuild = {
  what: 'the WeChat mini-program',
  script: 'build:weapp',
  output: path.join(REPO_ROOT, 'dist', 'weapp', 'app.json'),
  sources: ['miniapp', 'shared/src', 'config', 'babel.config.js', 'package.json'],
  env: { TARO_APP_API_BASE: process.env.TARO_APP_API_BASE ?? CHECK_API_BASE },
}

/** Builds the mini-program (`npm run build:weapp`) when it is missing or stale. */
export const ensureWeappBuild = (log?: (line: string) => void) => ensureBuilt(WEAPP, log)
