import fs from 'node:fs'
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto'
import { z } from 'zod'
import { describeRulesProblems, RulesSchema, type Rules } from '@xianlin/shared'
import type { PayConfig } from './wechat/pay/pay-client'
import { CONSOLE_DIST_DIR, DEFAULT_DATA_DIR, DEFAULT_RULES_FILE, H5_DIST_DIR } from './paths'

/**
 * The only reader of `process.env`. Everything is validated once, at start-up, into a frozen
 * object; tests build one with `loadConfig(env)` instead of mutating globals.
 */
const flag = z
  .enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'])
  .transform((v) => ['1', 'true', 'on', 'yes'].includes(v))

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  MONGODB_URI: z.string().startsWith('mongodb').optional(),
  DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
  RULES_FILE: z.string().min(1).default(DEFAULT_RULES_FILE),
  JWT_SECRET: z.string().optional(),
  /** `GET /metrics` answers only `Authorization: Bearer <it>` when set; production without it answers no one. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Phone numbers at rest: `id:base64key[,id:base64key…]`, 32-byte keys, the first seals (rotation keeps the rest). */
  PHONE_KEYS: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,16}:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_-]{1,16}:[A-Za-z0-9+/]{43}=)*$/, 'id:base64 of 32 bytes, comma-separated')
    .optional(),
  /** The key of the phone look-up hash (base64, at least 32 bytes); never rotated with PHONE_KEYS. */
  PHONE_HASH_KEY: z.string().regex(/^[A-Za-z0-9+/]{43,}={0,2}$/, 'base64 of at least 32 bytes').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).default(2 * 60 * 60),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(3600).default(30 * 24 * 60 * 60),
  DEV_LOGIN: flag.optional(),
  SEED_DEMO: flag.optional(),
  /** The demo history's size, `<members>x<days>` (a fresh demo database lives it once at start). */
  DEMO_HISTORY: z.string().regex(/^\d{1,5}x\d{1,3}$/, 'members x days, e.g. 400x70').default('400x70'),
  WECHAT_APPID: z.string().default('wx0000000000000000'),
  WECHAT_SECRET: z.string().optional(),
  WECHAT_API_BASE: z.url().default('https://api.weixin.qq.com'),
  WECHAT_MINIPROGRAM_STATE: z.enum(['developer', 'trial', 'formal']).optional(),
  WECHAT_TEMPLATE_CHECKIN: z.string().min(1).optional(),
  WECHAT_TEMPLATE_GROUP: z.string().min(1).optional(),
  WECHAT_TEMPLATE_NOTICE: z.string().min(1).optional(),
  WECHAT_PAY_MCHID: z.string().regex(/^\d{6,12}$/).optional(),
  WECHAT_PAY_MERCHANT_SERIAL: z.string().min(8).optional(),
  WECHAT_PAY_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  WECHAT_PAY_PUBLIC_KEY_ID: z.string().startsWith('PUB_KEY_ID_').optional(),
  WECHAT_PAY_PUBLIC_KEY_FILE: z.string().min(1).optional(),
  WECHAT_PAY_APIV3_KEY: z.string().length(32).optional(),
  WECHAT_PAY_API_BASE: z.url().default('https://api.mch.weixin.qq.com'),
  WECHAT_PAY_NOTIFY_URL: z.url().optional(),
  CORS_ORIGINS: z.string().default(''),
  TRUST_PROXY: flag.default(false),
  BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/).default('100kb'),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  EMBEDDED_DB_RESTART_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  AUTHORITY_CACHE_MS: z.coerce.number().int().min(0).max(5000).default(2000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty`: coloured lines for a person at a terminal; `json`: a line of JSON each (default, except in development at a terminal). */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  SERVE_H5: flag.default(true),
  /**
   * Development and tests only: the services' clock reads `instant` at real time `realMs` (default:
   * start-up) and runs `speed` times real time: `2026-12-01T00:00:00Z*1440@1796000000000`. Instances
   * given the same value share one clock.
   */
  SIMULATED_CLOCK: z.string().regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z\*\d{1,5}(@\d{13})?$/, 'instant*speed[@real ms], e.g. 2026-12-01T00:00:00Z*1440').optional(),
  /** How often an instance looks for due jobs (real ms), how long a run is held without renewal (clock ms), how often it renews (real ms). */
  JOBS_POLL_MS: z.coerce.number().int().min(1).max(60_000).default(1000),
  JOBS_LEASE_MS: z.coerce.number().int().min(100).default(60_000),
  JOBS_RENEW_MS: z.coerce.number().int().min(1).max(60_000).default(10_000),
  /** How often each instance re-reads the rules another instance may have saved (real ms; at most a minute). */
  RULES_REFRESH_MS: z.coerce.number().int().min(100).max(60_000).default(30_000),
})

/** Secrets a developer might paste from an example; production refuses them. */
const KNOWN_UNSAFE_SECRETS = ['secret', 'changeme', 'dev-secret', 'development-only-jwt-secret-do-not-use']
const DEV_JWT_SECRET = 'development-only-jwt-secret-do-not-use'
/** Development and test keys for phone numbers (production refuses to start without its own). */
const DEV_PHONE_KEY = createHash('sha256').update('development-only-phone-key').digest('base64')
const DEV_PHONE_HASH_KEY = createHash('sha256').update('development-only-phone-hash-key').digest('base64')
/** The AppID placeholder of development and tests; production needs the mini-program's own. */
const PLACEHOLDER_APPID = 'wx0000000000000000'

/**
 * Why a production JWT secret is too weak, or null: at least 32 characters, at least 12 distinct
 * ones and no long run of one repeated piece ("a" × 32, spaces, "changeme" × 4 are refused).
 */
export function weakSecretReason(secret: string): string | null {
  if (secret.length < 32) return 'must be at least 32 characters'
  if (secret.trim().length !== secret.length || /\s/.test(secret)) return 'must not contain white space'
  if (new Set(secret).size < 12) return 'must use at least 12 different characters'
  if (/(.{1,8})\1{3,}/.test(secret) || KNOWN_UNSAFE_SECRETS.some((w) => secret.toLowerCase().includes(w))) return 'must be random, not a repeated or known word'
  return null
}

export interface AppConfig {
  env: 'development' | 'production' | 'test'
  host: string
  port: number
  publicUrl?: string
  mongodbUri?: string
  dataDir: string
  jwt: { secret: string; accessTtlSeconds: number; refreshTtlSeconds: number }
  /** Keys sealing phone numbers (the first seals) and keying their look-up hash. */
  phone: { keys: Array<{ id: string; keyBase64: string }>; hashKeyBase64: string }
  devLogin: boolean
  seedDemo: boolean
  demoHistory: { members: number; days: number }
  wechat: {
    appId: string
    secret: string
    apiBase: string
    /** Which version of the mini-program a subscribe message opens. */
    miniprogramState: 'developer' | 'trial' | 'formal'
    /** Subscribe-message template ids, as configured in the mini-program's admin console. */
    templates: { checkinReminder: string | null; groupResult: string | null; notice: string | null }
  }
  /** WeChat Pay v3; null in development, where `npm start` runs the loopback fake instead. */
  pay: PayConfig | null
  corsOrigins: string[]
  trustProxy: boolean
  bodyLimit: string
  loginRateLimitPerMinute: number
  /** Pause before the server restarts an embedded database that died. */
  embeddedDbRestartDelayMs: number
  /** How long an instance may reuse a user's roles and stores before reading them again (≤ 5 s). */
  authorityCacheMs: number
  /** The scheduler's timing (see jobs/scheduler.ts). */
  jobs: { pollMs: number; leaseMs: number; renewMs: number }
  /** How often each instance re-reads the saved rules (real ms). */
  rulesRefreshMs: number
  /** A clock that reads `start` at real time `from` and runs `speed` times real time (development and tests); null: the real clock. */
  simulatedClock: { start: number; speed: number; from: number } | null
  logLevel: string
  logFormat: 'json' | 'pretty'
  metricsToken: string | null
  h5Dir: string | null
  /** The operator console's build, served at /console/ (with the H5 app: SERVE_H5). */
  consoleDir: string | null
  rules: Rules
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`)
  }
}

/** Reads and checks the rules file; every unknown or mistyped key is named. */
export function loadRules(file: string): Rules {
  let raw: unknown
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (err) {
    throw new ConfigError([`rules file ${file}: ${(err as Error).message}`])
  }
  const problems = describeRulesProblems(raw)
  if (problems.length) throw new ConfigError(problems.map((p) => `rules file ${file}: ${p}`))
  return RulesSchema.parse(raw)
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`))
  }
  const e = parsed.data
  const production = e.NODE_ENV === 'production'
  const devLogin = e.DEV_LOGIN ?? !production
  const corsOrigins = e.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean)
  const problems: string[] = []
  if (production) {
    if (!e.JWT_SECRET) problems.push('JWT_SECRET is required in production')
    else {
      const weak = weakSecretReason(e.JWT_SECRET)
      if (weak) problems.push(`JWT_SECRET ${weak} (a random string of at least 32 characters in production)`)
    }
    if (!e.PHONE_KEYS) problems.push('PHONE_KEYS is required in production (phone numbers are stored encrypted: id:base64 of 32 random bytes)')
    if (!e.PHONE_HASH_KEY) problems.push('PHONE_HASH_KEY is required in production (base64 of at least 32 random bytes)')
    if (e.PHONE_KEYS?.includes(DEV_PHONE_KEY) || e.PHONE_HASH_KEY === DEV_PHONE_HASH_KEY) problems.push('PHONE_KEYS and PHONE_HASH_KEY must not be the development keys in production')
    if (devLogin) problems.push('DEV_LOGIN must be off in production')
    if (e.SEED_DEMO) problems.push('SEED_DEMO must be off in production (demo staff and leader accounts)')
    if (!e.MONGODB_URI) problems.push('MONGODB_URI is required in production (the embedded database is for development only)')
    if (e.WECHAT_APPID === PLACEHOLDER_APPID || !/^wx[0-9a-f]{16}$/.test(e.WECHAT_APPID)) problems.push('WECHAT_APPID must be the mini-program\'s own AppID in production (wx + 16 hex digits)')
    if (!e.WECHAT_SECRET) problems.push('WECHAT_SECRET is required in production')
    if (!e.WECHAT_PAY_MCHID) problems.push('WECHAT_PAY_MCHID (and the other WECHAT_PAY_* settings) are required in production')
    if (e.WECHAT_PAY_NOTIFY_URL && !e.WECHAT_PAY_NOTIFY_URL.startsWith('https://')) problems.push('WECHAT_PAY_NOTIFY_URL must be https in production')
    if (corsOrigins.includes('*')) problems.push('CORS_ORIGINS must list origins in production, not *')
    if (e.SIMULATED_CLOCK) problems.push('SIMULATED_CLOCK is for development and tests, never production')
  }
  // Test mode (dev login on, no secrets) belongs to the test runner only.
  if (e.NODE_ENV === 'test' && !env.JEST_WORKER_ID) problems.push('NODE_ENV=test is only for the test runner: use development or production')
  const pay = e.WECHAT_PAY_MCHID ? readPayConfig(e, problems) : null
  if (problems.length) throw new ConfigError(problems)

  const config: AppConfig = {
    env: e.NODE_ENV,
    // Development and tests listen on this machine only unless HOST says otherwise.
    host: e.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    mongodbUri: e.MONGODB_URI,
    dataDir: e.DATA_DIR,
    jwt: {
      secret: e.JWT_SECRET ?? DEV_JWT_SECRET,
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
    },
    phone: {
      keys: e.PHONE_KEYS ? e.PHONE_KEYS.split(',').map((pair) => {
            const [id, keyBase64] = pair.split(':') as [string, string]
            return { id, keyBase64 }
          }) : [{ id: 'dev', keyBase64: DEV_PHONE_KEY }],
      hashKeyBase64: e.PHONE_HASH_KEY ?? DEV_PHONE_HASH_KEY,
    },
    devLogin,
    seedDemo: e.SEED_DEMO ?? !production,
    demoHistory: { members: Number(e.DEMO_HISTORY.split('x')[0]), days: Number(e.DEMO_HISTORY.split('x')[1]) },
    wechat: {
      appId: e.WECHAT_APPID,
      secret: e.WECHAT_SECRET ?? 'development-wechat-secret',
      apiBase: e.WECHAT_API_BASE,
      miniprogramState: e.WECHAT_MINIPROGRAM_STATE ?? (production ? 'formal' : 'developer'),
      templates: { checkinReminder: e.WECHAT_TEMPLATE_CHECKIN ?? null, groupResult: e.WECHAT_TEMPLATE_GROUP ?? null, notice: e.WECHAT_TEMPLATE_NOTICE ?? null },
    },
    pay,
    corsOrigins,
    trustProxy: e.TRUST_PROXY,
    bodyLimit: e.BODY_LIMIT,
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    authorityCacheMs: e.AUTHORITY_CACHE_MS,
    jobs: { pollMs: e.JOBS_POLL_MS, leaseMs: e.JOBS_LEASE_MS, renewMs: e.JOBS_RENEW_MS },
    rulesRefreshMs: e.RULES_REFRESH_MS,
    simulatedClock: e.SIMULATED_CLOCK ? readSimulatedClock(e.SIMULATED_CLOCK) : null,
    embeddedDbRestartDelayMs: e.EMBEDDED_DB_RESTART_DELAY_MS,
    logLevel: e.NODE_ENV === 'test' && !env.LOG_LEVEL ? 'silent' : e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'development' && process.stdout.isTTY ? 'pretty' : 'json'),
    metricsToken: e.METRICS_TOKEN ?? null,
    h5Dir: e.SERVE_H5 ? H5_DIST_DIR : null,
    consoleDir: e.SERVE_H5 ? CONSOLE_DIST_DIR : null,
    rules: loadRules(e.RULES_FILE),
    ...overrides,
  }
  return deepFreeze(config)
}

function readSimulatedClock(text: string): { start: number; speed: number; from: number } {
  const [instant, rest] = text.split('*') as [string, string]
  const [speed, from] = rest.split('@')
  return { start: Date.parse(instant), speed: Number(speed), from: from ? Number(from) : Date.now() }
}

/** The WeChat Pay settings: all or none; key files are read once here. */
function readPayConfig(e: z.infer<typeof EnvSchema>, problems: string[]): PayConfig | null {
  const missing = (['WECHAT_PAY_MERCHANT_SERIAL', 'WECHAT_PAY_PRIVATE_KEY_FILE', 'WECHAT_PAY_PUBLIC_KEY_ID', 'WECHAT_PAY_PUBLIC_KEY_FILE', 'WECHAT_PAY_APIV3_KEY', 'WECHAT_PAY_NOTIFY_URL'] as const).filter((k) => !e[k])
  if (missing.length) {
    problems.push(`WECHAT_PAY_MCHID is set but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`)
    return null
  }
  // Each key file must hold a key of its kind: a placeholder or an empty file fails here, not at the first payment.
  const read = (setting: string, file: string, kind: 'private' | 'public') => {
    try {
      const pem = fs.readFileSync(file, 'utf8')
      const key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem)
      if (key.asymmetricKeyType !== 'rsa') problems.push(`${setting}: ${file} holds a ${key.asymmetricKeyType} key, WeChat Pay needs RSA`)
      return pem
    } catch (err) {
      problems.push(`${setting}: ${file} holds no ${kind} key (${(err as Error).message})`)
      return ''
    }
  }
  return {
    appId: e.WECHAT_APPID,
    mchid: e.WECHAT_PAY_MCHID!,
    merchantSerial: e.WECHAT_PAY_MERCHANT_SERIAL!,
    privateKey: read('WECHAT_PAY_PRIVATE_KEY_FILE', e.WECHAT_PAY_PRIVATE_KEY_FILE!, 'private'),
    publicKeyId: e.WECHAT_PAY_PUBLIC_KEY_ID!,
    publicKey: read('WECHAT_PAY_PUBLIC_KEY_FILE', e.WECHAT_PAY_PUBLIC_KEY_FILE!, 'public'),
    apiV3Key: e.WECHAT_PAY_APIV3_KEY!,
    apiBase: e.WECHAT_PAY_API_BASE,
    notifyUrl: e.WECHAT_PAY_NOTIFY_URL!,
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}
