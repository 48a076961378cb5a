import { randomBytes } from 'node:crypto'
import type { OperatorRole } from '@xianlin/shared'
import { OperatorModel } from '../src/modules/operators/operator.model'
import { hashPassword } from '../src/modules/operators/passwords'
import http from 'node:http'
import path from 'node:path'
import mongoose from 'mongoose'
import supertest from 'supertest'
import { buildApp } from '../src/app'
import { loadConfig, type AppConfig } from '../src/config'
import { connectDatabase, disconnectDatabase, onDatabaseCommand, syncIndexes } from '../src/db/connection'
import type { ServiceOverrides } from '../src/services'
import { startFakePay, type FakePay } from '../src/dev/fake-pay'
import { PAY_NOTIFY_PATH } from '../src/modules/orders/pay-notify'
import { answerClientErrorsAsJson } from '../src/http/http-edges'

/** A unique database name for one test file, so files run in parallel without meeting. */
export function testDatabaseUri(label: string): string {
  const base = process.env.TEST_MONGODB_URI
  if (!base) throw new Error('TEST_MONGODB_URI is not set: run tests through `npm test` (jest globalSetup)')
  const name = `t_${label.replace(/\W+/g, '_').slice(0, 30)}_${randomBytes(3).toString('hex')}`
  return `${base}/${name}`
}

/** Test configuration: the real loader with test environment values and optional overrides. */
export function testConfig(env: Record<string, string> = {}, overrides: Partial<AppConfig> = {}): AppConfig {
  // Login is rate-limited per IP, and every test request comes from one IP: lift it unless a test sets it.
  return loadConfig({ NODE_ENV: 'test', JEST_WORKER_ID: process.env.JEST_WORKER_ID ?? '', SERVE_H5: 'false', JWT_SECRET: 'test-secret-'.padEnd(40, 'x'), LOGIN_RATE_LIMIT_PER_MINUTE: '100000', ...env }, overrides)
}

export interface TestApp {
  http: ReturnType<typeof supertest>
  services: ReturnType<typeof buildApp>['services']
  routes: ReturnType<typeof buildApp>['routes']
  metrics: ReturnType<typeof buildApp>['metrics']
  config: AppConfig
  /** The fake WeChat Pay server, when started with `fakePay: true`. */
  fakePay: FakePay | null
  close(): Promise<void>
}

/**
 * The real app on the real embedded database (a fresh database for this file), reached through
 * `app.callback()` without opening a port.
 */
export async function startTestApp(
  testFile: string,
  opts: { env?: Record<string, string>; config?: Partial<AppConfig>; fakePay?: boolean } & ServiceOverrides = {},
): Promise<TestApp> {
  await connectDatabase(testDatabaseUri(path.basename(testFile, '.test.ts')))
  if (!opts.fakePay) {
    const config = testConfig(opts.env, opts.config)
    const { app, services, routes, metrics } = buildApp(config, opts)
    await syncIndexes()
    return { http: supertest(app.callback()), services, routes, metrics, config, fakePay: null, close: dropAndDisconnect }
  }
  // With payments the app listens on a real port: the fake Pay server POSTs notifications to it.
  const fakePay = await startFakePay({ clock: opts.clock })
  let handle: http.RequestListener = (_req, res) => res.writeHead(503).end()
  const server = http.createServer((req, res) => handle(req, res))
  answerClientErrorsAsJson(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const notifyUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}${PAY_NOTIFY_PATH}`
  const base = testConfig(opts.env, opts.config)
  const config = testConfig(opts.env, { ...opts.config, pay: fakePay.config(notifyUrl, base.wechat.appId) })
  const { app, services, routes, metrics } = buildApp(config, { ...opts, devPayer: (prepayId) => fakePay.pay(prepayId) })
  handle = app.callback()
  await syncIndexes()
  return {
    http: supertest(server),
    services,
    routes,
    metrics,
    config,
    fakePay,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await fakePay.close()
      await dropAndDisconnect()
    },
  }
}

async function dropAndDisconnect() {
  await mongoose.connection.dropDatabase()
  await disconnectDatabase()
}

/** Another app with different settings on the database `startTestApp` connected (one per file). */
export function variantApp(env: Record<string, string>, config: Partial<AppConfig> = {}, overrides: ServiceOverrides = {}) {
  return supertest(buildApp(testConfig(env, config), overrides).app.callback())
}

/** Runs `run` and counts the database commands sent meanwhile (by anyone: tests run no jobs). */
export async function countCommands<T>(run: () => Promise<T>): Promise<{ value: T; commands: number }> {
  let commands = 0
  const stop = onDatabaseCommand(() => void commands++)
  try {
    return { value: await run(), commands }
  } finally {
    stop()
  }
}

/** Signs in through the development login and returns the bearer header and the user. */
export async function devLogin(t: TestApp, body: Record<string, unknown> = {}) {
  const res = await t.http.post('/api/auth/dev').send(body).expect(200)
  return { auth: { authorization: `Bearer ${res.body.accessToken}` }, ...res.body }
}

/** A clerk of `storeId`, assigned by an admin (roles and stores are read per request, not from the token). */
export async function staffOf(t: TestApp, admin: { auth: Record<string, string> }, storeId: string, nickname: string) {
  const clerk = await devLogin(t, { nickname })
  await t.http.put(`/api/admin/staff/${clerk.user.id}`).set(admin.auth).send({ storeIds: [storeId] }).expect(200)
  return devLogin(t, { nickname })
}

/**
 * Rate limits count in wall-clock minute windows: a test that must see a limit reached waits,
 * if needed, until `seconds` remain in the current minute, so its requests share one window.
 */
export async function awayFromMinuteEdge(seconds: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000)
  if (left < seconds * 1000) await new Promise((r) => setTimeout(r, left + 50))
}

let operatorsMade = 0
let knownHash: Promise<string> | null = null
const OPERATOR_TEST_PASSWORD = 'test-operator-password'

/**
 * A console operator of `role`, signed in through the real sign-in route: `auth` carries the
 * session cookie and the CSRF header, as the console sends them.
 */
export async function operatorLogin(t: TestApp, role: OperatorRole = 'admin', opts: { mustChangePassword?: boolean } = {}) {
  knownHash ??= hashPassword(OPERATOR_TEST_PASSWORD)
  const username = `op${++operatorsMade}.${role}.${process.pid}`
  const now = new Date()
  const created = await OperatorModel.create({ username, displayName: username, role, passwordHash: await knownHash, mustChangePassword: opts.mustChangePassword ?? false, createdAt: now, updatedAt: now })
  return { ...(await operatorSignIn(t, username, OPERATOR_TEST_PASSWORD)), id: created._id.toHexString(), username, password: OPERATOR_TEST_PASSWORD }
}

/** Signs an operator in; `auth` is the cookie and CSRF header of the new session. */
export async function operatorSignIn(t: TestApp, username: string, password: string) {
  const res = await t.http.post('/api/console/session').send({ username, password }).expect(201)
  const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('xl_console='))!.split(';')[0]!
  return { auth: { cookie, 'x-csrf-token': res.body.csrfToken as string }, session: res.body }
}
