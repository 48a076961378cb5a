import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from '../../src/paths'
import { CHECK_API_BASE, ensureWeappBuild } from '../../scripts/weapp-build'

jest.setTimeout(300_000)

const WEAPP = path.join(REPO_ROOT, 'dist', 'weapp')
/** WeChat's location APIs that must be declared in app.json's requiredPrivateInfos to work at all. */
const LOCATION_APIS = ['getLocation', 'chooseLocation', 'choosePoi', 'chooseAddress', 'getFuzzyLocation', 'onLocationChange', 'startLocationUpdate', 'startLocationUpdateBackground']

/** Our own code in the build: the app and its pages (Taro's runtime lists every API by name). */
function ownCode(): string {
  const files: string[] = [path.join(WEAPP, 'app.js')]
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.name.endsWith('.js')) files.push(full)
    }
  }
  walk(path.join(WEAPP, 'pages'))
  return files.map((f) => fs.readFileSync(f, 'utf8')).join('\n')
}

beforeAll(() => ensureWeappBuild())

describe('the WeChat build', () => {
  it('declares exactly the location APIs its code calls', () => {
    const app = JSON.parse(fs.readFileSync(path.join(WEAPP, 'app.json'), 'utf8')) as { requiredPrivateInfos?: string[] }
    const code = ownCode()
    const called = LOCATION_APIS.filter((api) => new RegExp(`\\.${api}\\)?\\(`).test(code))
    expect(called).toContain('chooseLocation') // the leader application picks its point on a map
    expect([...(app.requiredPrivateInfos ?? [])].sort()).toEqual(called.sort())
  })

  it('calls the API at the HTTPS base it was built with, never the development server', () => {
    const all = fs.readdirSync(WEAPP, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(WEAPP, f), 'utf8')).join('\n')
    expect(all).toContain(JSON.stringify(process.env.TARO_APP_API_BASE ?? CHECK_API_BASE))
    expect(all).not.toContain('http://127.0.0.1:3000')
  })

  it("passes WeChat's own checks (miniprogram-ci): the code analyses, and every code-quality item passes", () => {
    // In a process of its own: miniprogram-ci leaves a file watcher running that would keep Jest alive.
    const res = spawnSync('npx', ['tsx', path.join('server', 'scripts', 'weapp-check.ts'), '--json'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 240_000 })
    const last = res.stdout.trim().split('\n').pop() ?? ''
    const { files, items, failed } = JSON.parse(last) as { files: number; items: number; failed: unknown[] }
    expect(res.status).toBe(0)
    expect(files).toBeGreaterThan(20)
    expect(items).toBeGreaterThan(5)
    expect(failed).toEqual([])
  })

  it('refuses a release build whose API base is not HTTPS, before building anything', () => {
    for (const base of [undefined, 'http://api.example.com']) {
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' }
      delete env.TARO_APP_API_BASE
      if (base) env.TARO_APP_API_BASE = base
      const res = spawnSync('npx', ['taro', 'build', '--type', 'weapp'], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 120_000 })
      expect(res.status).not.toBe(0)
      expect(`${res.stdout}${res.stderr}`).toContain('A production weapp build needs TARO_APP_API_BASE=https://')
    }
  })
})
