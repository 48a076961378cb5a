import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from '../src/paths'

function newestMtime(p: string): number {
  const stat = fs.statSync(p, { throwIfNoEntry: false })
  if (!stat) return 0
  if (!stat.isDirectory()) return stat.mtimeMs
  return fs.readdirSync(p).reduce((max, name) => Math.max(max, newestMtime(path.join(p, name))), stat.mtimeMs)
}

/** A build `npm start` makes when it is missing or older than what it is made from. */
export interface StaleBuild {
  /** What the log says, e.g. 'the H5 app'. */
  what: string
  /** The npm script that builds it. */
  script: string
  /** A file the build writes last enough to date it (its index.html). */
  output: string
  /** Files and folders (repository-relative) it is made from. */
  sources: string[]
  /** Environment the build needs beyond this process's. */
  env?: Record<string, string>
}

export function isStale(build: StaleBuild): boolean {
  const built = fs.statSync(build.output, { throwIfNoEntry: false })
  return !built || build.sources.some((s) => newestMtime(path.join(REPO_ROOT, s)) > built.mtimeMs)
}

/** Builds when missing or stale, with the builder's output shown. */
export function ensureBuilt(build: StaleBuild, log: (line: string) => void = console.log): void {
  if (!isStale(build)) return
  log(`Building ${build.what} (npm run ${build.script})...`)
  // A production build whatever NODE_ENV the server runs with (Jest sets `test`, which makes
  // Taro's Babel preset expect the dev server's react-refresh).
  const res = spawnSync('npm', ['run', build.script, '--silent'], { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production', ...build.env } })
  if (res.status !== 0) throw new Error(`npm run ${build.script} failed with exit code ${res.status}`)
}
