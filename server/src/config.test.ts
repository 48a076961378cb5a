import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { generateKeyPairSync } from 'node:crypto'
import { ConfigError, loadConfig } from './config'
import { DEFAULT_RULES_FILE } from './paths'

const strongSecret = 'Zq8#vT2m!Lr9@Wx4$Kp7^Hn3&Jd6*Fs1'
/** What production needs besides secrets and Pay: its own AppID and a real database. */
const phoneKey = (fill: number) => Buffer.alloc(32, fill).toString('base64')
const prodBase = {
  NODE_ENV: 'production',
  WECHAT_APPID: 'wx1234567890abcdef',
  MONGODB_URI: 'mongodb://db.internal:27017/xianlin',
  PHONE_KEYS: `k2:${phoneKey(2)},k1:${phoneKey(1)}`,
  PHONE_HASH_KEY: phoneKey(9),
}

/** Complete WeChat Pay settings, with real key files, as production needs. */
function paySettings(): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pay-'))
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  fs.writeFileSync(path.join(dir, 'merchant.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }))
  fs.writeFileSync(path.join(dir, 'wechatpay.pem'), publicKey.export({ type: 'spki', format: 'pem' }))
  return {
    WECHAT_PAY_MCHID: '1900000109',
    WECHAT_PAY_MERCHANT_SERIAL: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
    WECHAT_PAY_PRIVATE_KEY_FILE: path.join(dir, 'merchant.pem'),
    WECHAT_PAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0000000000000000000000000000000',
    WECHAT_PAY_PUBLIC_KEY_FILE: path.join(dir, 'wechatpay.pem'),
    WECHAT_PAY_APIV3_KEY: 'a'.repeat(32),
    WECHAT_PAY_NOTIFY_URL: 'https://shop.example.com/api/pay/notify',
  }
}

function rulesFileWith(mutate: (rules: Record<string, any>) => void): string {
  const rules = JSON.parse(fs.readFileSync(DEFAULT_RULES_FILE, 'utf8'))
  mutate(rules)
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rules-')), 'rules.json')
  fs.writeFileSync(file, JSON.stringify(rules))
  return file
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  return []
}

describe('loadConfig', () => {
  it('has safe development defaults: dev login and demo data on, embedded database', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ env: 'development', port: 3000, devLogin: true, seedDemo: true, mongodbUri: undefined })
    expect(Object.isFrozen(config.rules.levels)).toBe(true)
  })

  it('refuses to start in production without a JWT secret, with a weak one, or with dev login on', () => {
    const pay = paySettings()
    expect(problemsOf({ ...prodBase, WECHAT_SECRET: 's', ...pay })).toContain('JWT_SECRET is required in production')
    expect(problemsOf({ ...prodBase, WECHAT_SECRET: 's', JWT_SECRET: 'secret', ...pay })).toEqual([
      expect.stringContaining('at least 32 characters'),
    ])
    for (const weak of ['a'.repeat(32), ' '.repeat(32), 'changeme'.repeat(4), 'abcdefgh'.repeat(5)]) {
      expect(problemsOf({ ...prodBase, WECHAT_SECRET: 's', JWT_SECRET: weak, ...pay })).toEqual([expect.stringMatching(/^JWT_SECRET must/)])
    }
    expect(problemsOf({ ...prodBase, WECHAT_SECRET: 's', JWT_SECRET: strongSecret, DEV_LOGIN: 'on', ...pay })).toEqual([
      'DEV_LOGIN must be off in production',
    ])
    expect(problemsOf({ ...prodBase, JWT_SECRET: strongSecret, ...pay })).toEqual(['WECHAT_SECRET is required in production'])
  })

  it('refuses production without WeChat Pay, with half of its settings, or with a plain-http notify URL', () => {
    const base = { ...prodBase, JWT_SECRET: strongSecret, WECHAT_SECRET: 'real' }
    expect(problemsOf(base)).toEqual([expect.stringContaining('WECHAT_PAY_MCHID')])
    expect(problemsOf({ ...base, WECHAT_PAY_MCHID: '1900000109' })).toEqual([expect.stringMatching(/WECHAT_PAY_MERCHANT_SERIAL.*missing/)])
    expect(problemsOf({ ...base, ...paySettings(), WECHAT_PAY_NOTIFY_URL: 'http://shop.example.com/api/pay/notify' })).toEqual(['WECHAT_PAY_NOTIFY_URL must be https in production'])
  })

  it('starts in production with its secrets set, dev login and demo data off', () => {
    const config = loadConfig({ ...prodBase, JWT_SECRET: strongSecret, WECHAT_SECRET: 'real', ...paySettings() })
    expect(config).toMatchObject({ devLogin: false, seedDemo: false, pay: { mchid: '1900000109', privateKey: expect.stringContaining('PRIVATE KEY') } })
    // The first phone key seals; the older one stays to open what it sealed until resealed.
    expect(config.phone).toEqual({ keys: [{ id: 'k2', keyBase64: phoneKey(2) }, { id: 'k1', keyBase64: phoneKey(1) }], hashKeyBase64: phoneKey(9) })
  })

  it('logs JSON in production and wherever a program reads the output, pretty lines when asked', () => {
    expect(loadConfig({ ...prodBase, JWT_SECRET: strongSecret, WECHAT_SECRET: 'real', ...paySettings() }).logFormat).toBe('json')
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty')
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json')
    expect(problemsOf({ LOG_FORMAT: 'colour' })).toEqual([expect.stringMatching(/^LOG_FORMAT:/)])
  })

  it('names a mistyped environment variable value', () => {
    expect(problemsOf({ PORT: 'eighty' })).toEqual([expect.stringMatching(/^PORT:/)])
    expect(problemsOf({ DEV_LOGIN: 'maybe' })).toEqual([expect.stringMatching(/^DEV_LOGIN:/)])
  })

  it('fails on a rules file with a misspelt key, naming the key', () => {
    const file = rulesFileWith((r) => {
      r.points.expiryDayz = r.points.expiryDays
      delete r.points.expiryDays
    })
    const problems = problemsOf({ RULES_FILE: file })
    expect(problems.join('\n')).toContain('unknown key "points.expiryDayz"')
    expect(problems.join('\n')).toContain('"points.expiryDays"')
  })

  it('refuses each unsafe production setting, naming it', () => {
    const pay = paySettings()
    const safe = { ...prodBase, JWT_SECRET: strongSecret, WECHAT_SECRET: 'real', ...pay }
    expect(problemsOf(safe)).toEqual([])
    const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keys-')), 'empty.pem')
    fs.writeFileSync(empty, 'not a key\n')
    const cases: Array<[Record<string, string | undefined>, RegExp]> = [
      [{ SEED_DEMO: 'on' }, /^SEED_DEMO/],
      [{ CORS_ORIGINS: '*' }, /^CORS_ORIGINS/],
      [{ MONGODB_URI: undefined }, /^MONGODB_URI/],
      [{ WECHAT_APPID: 'wx0000000000000000' }, /^WECHAT_APPID/],
      [{ WECHAT_PAY_PRIVATE_KEY_FILE: empty }, /^WECHAT_PAY_PRIVATE_KEY_FILE: .* holds no private key/],
      [{ WECHAT_PAY_PUBLIC_KEY_FILE: empty }, /^WECHAT_PAY_PUBLIC_KEY_FILE: .* holds no public key/],
      [{ JWT_SECRET: ' '.repeat(32) }, /^JWT_SECRET/],
      [{ PHONE_KEYS: undefined }, /^PHONE_KEYS is required/],
      [{ PHONE_HASH_KEY: undefined }, /^PHONE_HASH_KEY is required/],
      [{ PHONE_KEYS: 'k1:tooshort' }, /^PHONE_KEYS: id:base64 of 32 bytes/],
      [{ PHONE_HASH_KEY: loadConfig({}).phone.hashKeyBase64 }, /must not be the development keys/],
    ]
    for (const [change, named] of cases) {
      const env = { ...safe, ...change }
      for (const k of Object.keys(change)) if (change[k] === undefined) delete env[k as keyof typeof env]
      expect(problemsOf(env as Record<string, string>)).toEqual([expect.stringMatching(named)])
    }
  })

  it('takes test mode only from the test runner, and listens on this machine only outside production', () => {
    expect(problemsOf({ NODE_ENV: 'test' })).toEqual([expect.stringMatching(/^NODE_ENV=test is only for the test runner/)])
    expect(loadConfig({ NODE_ENV: 'test', JEST_WORKER_ID: '1' }).host).toBe('127.0.0.1')
    expect(loadConfig({}).host).toBe('127.0.0.1')
  })
})
