import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DEFAULT_RULES_FILE } from '../../src/paths'
import { runToExit, startServerProcess } from '../server-process'

jest.setTimeout(120_000)

const TSX = path.join('node_modules', '.bin', 'tsx')
const MAIN = path.join('server', 'src', 'main.ts')

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('starting the server as npm start does', () => {
  it('starts its own embedded database, serves login and /api/me, and leaves no database process after SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xianlin-start-'))
    const server = await startServerProcess([TSX, MAIN], { PORT: '0', DATA_DIR: dataDir, SERVE_H5: 'false' })
    try {
      const ready = await fetch(`${server.url}/readyz`)
      expect(ready.status).toBe(200)
      const login = await fetch(`${server.url}/api/auth/dev`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ nickname: '启动检查' }),
      })
      const { accessToken } = (await login.json()) as { accessToken: string }
      const me = (await (await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as {
        user: { nickname: string }
      }
      expect(me.user.nickname).toBe('启动检查')
      expect(fs.existsSync(path.join(dataDir, 'ferretdb'))).toBe(true)
    } finally {
      const code = await server.stop()
      expect(code).toBe(0)
    }
    const dbLine = server
      .output()
      .split('\n')
      .find((l) => l.includes('"dbPid"'))
    const dbPid = JSON.parse(dbLine!).dbPid as number
    expect(dbPid).toBeGreaterThan(0)
    expect(isAlive(dbPid)).toBe(false)
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('refuses to start with a misspelt key in the rules file, naming it', async () => {
    const rules = JSON.parse(fs.readFileSync(DEFAULT_RULES_FILE, 'utf8'))
    rules.checkin.cycleDayz = rules.checkin.cycleDays
    delete rules.checkin.cycleDays
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rules-')), 'rules.json')
    fs.writeFileSync(file, JSON.stringify(rules))
    const { code, output } = await runToExit([TSX, MAIN], { RULES_FILE: file, PORT: '0' })
    expect(code).toBe(1)
    expect(output).toContain('unknown key "checkin.cycleDayz"')
    expect(output).not.toContain('is running')
  })

  it('refuses to start in production with the development JWT secret', async () => {
    const { code, output } = await runToExit([TSX, MAIN], { NODE_ENV: 'production', PORT: '0', WECHAT_SECRET: 'x' })
    expect(code).toBe(1)
    expect(output).toContain('JWT_SECRET is required in production')
  })
})
