import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { CONSOLE_DIST_DIR, REPO_ROOT } from '../src/paths'
import { newestMtime } from './h5-build'

/** What the console build is made from; a change to any of these makes the build stale. */
const SOURCES = ['server/console/src', 'server/console/index.html', 'server/console/vite.config.ts', 'server/console/package.json', 'shared/src'].map((p) => path.join(REPO_ROOT, p))

/** True when `dist/console` is missing or older than its sources. */
export function consoleBuildIsStale(): boolean {
  const built = fs.statSync(path.join(CONSOLE_DIST_DIR, 'index.html'), { throwIfNoEntry: false })
  return !built || SOURCES.some((s) => newestMtime(s) > built.mtimeMs)
}

/** Builds the operator console (`npm run build:console`) when it is missing or stale. */
export function ensureConsoleBuild(log: (line: string) => void = console.log): void {
  if (!consoleBuildIsStale()) return
  log('Building the operator console (npm run build:console)...')
  const res = spawnSync('npm', ['run', 'build:console', '--silent'], { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
  if (res.status !== 0) throw new Error(`npm run build:console failed with exit code ${res.status}`)
}
