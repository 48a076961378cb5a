import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DEFAULT_RULES_FILE } from '../../src/paths'
import { isAlive, runToExit, SERVER_COMMAND, startServerProcess } from '../server-process'

jest.setTimeout(120_000)


describe('starting the server as npm start does', () => {
  it('starts its own embedded database, serves login and /api/me, and leaves no database process after SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xianlin-start-'))
    const server = await startServerProcess(SERVER_COMMAND, { PORT: '0', DATA_DIR: dataDir, SERVE_H5: 'false' })
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
    const { code, output } = await runToExit(SERVER_COMMAND, { RULES_FILE: file, PORT: '0' })
    expect(code).toBe(1)
    expect(output).toContain('unknown key "checkin.cycleDayz"')
    expect(output).not.toContain('is running')
  })

  it('refuses to start in production with the development JWT secret', async () => {
    const { code, output } = await runToExit(SERVER_COMMAND, { NODE_ENV: 'production', PORT: '0', WECHAT_SECRET: 'x' })
    expect(code).toBe(1)
    expect(output).toContain('JWT_SECRET is required in production')
  })

  it('refuses each unsafe production setting at start-up, exiting non-zero and naming it', async () => {
    const base = { NODE_ENV: 'production', PORT: '0', JWT_SECRET: 'Zq8#vT2m!Lr9@Wx4$Kp7^Hn3&Jd6*Fs1', WECHAT_SECRET: 'real', WECHAT_APPID: 'wx1234567890abcdef', MONGODB_URI: 'mongodb://127.0.0.1:9/xianlin', PHONE_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`, PHONE_HASH_KEY: Buffer.alloc(32, 2).toString('base64') }
    const cases: Array<[Record<string, string>, string]> = [
      [{ PHONE_KEYS: '' }, 'PHONE_KEYS is required in production'],
      [{ JWT_SECRET: 'a'.repeat(32) }, 'JWT_SECRET'],
      [{ JWT_SECRET: 'changeme'.repeat(4) }, 'JWT_SECRET'],
      [{ SEED_DEMO: 'on' }, 'SEED_DEMO'],
      [{ CORS_ORIGINS: '*' }, 'CORS_ORIGINS'],
      [{ WECHAT_APPID: 'wx0000000000000000' }, 'WECHAT_APPID'],
      [{ DEV_LOGIN: 'on' }, 'DEV_LOGIN'],
      [{ MONGODB_URI: '' }, 'MONGODB_URI'],
      [{ WECHAT_PAY_MCHID: '1900000109', WECHAT_PAY_MERCHANT_SERIAL: '5157F09EFDC096DE', WECHAT_PAY_PRIVATE_KEY_FILE: '/dev/null', WECHAT_PAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0001', WECHAT_PAY_PUBLIC_KEY_FILE: '/dev/null', WECHAT_PAY_APIV3_KEY: 'k'.repeat(32), WECHAT_PAY_NOTIFY_URL: 'https://shop.example.com/api/pay/notify' }, 'WECHAT_PAY_PRIVATE_KEY_FILE'],
    ]
    // A few at a time: each is a process of its own that exits before opening anything.
    for (let i = 0; i < cases.length; i += 4) {
      await Promise.all(
        cases.slice(i, i + 4).map(async ([change, named]) => {
          const env = { ...base, ...change }
          const { code, output } = await runToExit(SERVER_COMMAND, Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')))
          expect([named, code]).toEqual([named, 1])
          expect(output).toContain(named)
          expect(output).not.toContain('is running')
        }),
      )
    }
  })

  it('refuses test mode outside the test runner', async () => {
    const { code, output } = await runToExit(SERVER_COMMAND, { NODE_ENV: 'test', PORT: '0', JEST_WORKER_ID: '' })
    expect(code).toBe(1)
    expect(output).toContain('NODE_ENV=test is only for the test runner')
  })
})
