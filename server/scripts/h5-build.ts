import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { H5_DIST_DIR, REPO_ROOT } from '../src/paths'

/** What the H5 build is made from; a change to any of these makes the build stale. */
const SOURCES = ['miniapp', 'shared/src', 'config', 'babel.config.js', 'package.json'].map((p) => path.join(REPO_ROOT, p))

export function newestMtime(p: string): number {
  const stat = fs.statSync(p, { throwIfNoEntry: false })
  if (!stat) return 0
  if (!stat.isDirectory()) return stat.mtimeMs
  return fs.readdirSync(p).reduce((max, name) => Math.max(max, newestMtime(path.join(p, name))), stat.mtimeMs)
}

/** True when `dist/h5` is missing or older than its sources. */
export function h5BuildIsStale(): boolean {
  const built = fs.statSync(path.join(H5_DIST_DIR, 'index.html'), { throwIfNoEntry: false })
  return !built || SOURCES.some((s) => newestMtime(s) > built.mtimeMs)
}

/** Builds the H5 app (`npm run build:h5`) when it is missing or stale, with Taro's output shown. */
export function ensureH5Build(log: (line: string) => void = console.log): void {
  if (!h5BuildIsStale()) return
  log('Building the H5 app (npm run build:h5)...')
  // A production build whatever NODE_ENV the server runs with (Jest sets `test`, which makes
  // Taro's Babel preset expect the dev server's react-refresh).
  const env = { ...process.env, NODE_ENV: 'production' }
  const res = spawnSync('npm', ['run', 'build:h5', '--silent'], { cwd: REPO_ROOT, stdio: 'inherit', env })
  if (res.status !== 0) throw new Error(`npm run build:h5 failed with exit code ${res.status}`)
}
