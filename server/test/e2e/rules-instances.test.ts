import mongoose from 'mongoose'
import { businessDay } from '@xianlin/shared'
import { testDatabaseUri } from '../harness'
import { DEMO_OPERATOR } from '../../src/seed/demo-operator'
import { SERVER_COMMAND, startServerProcess, type ServerProcess } from '../server-process'

jest.setTimeout(240_000)

/**
 * 规则设置 across instances (issue: "two server processes on one database both pay the new value
 * within a minute"): two real server processes share one database; an operator changes the day-7
 * bonus on the first; the second pays it once its refresh job has run, without a restart.
 */
let a: ServerProcess
let b: ServerProcess
const databaseUri = testDatabaseUri('rules_instances')

beforeAll(async () => {
  a = await startServerProcess(SERVER_COMMAND, { PORT: '0', MONGODB_URI: databaseUri, RULES_REFRESH_MS: '3000' })
  b = await startServerProcess(SERVER_COMMAND, { PORT: '0', MONGODB_URI: databaseUri, RULES_REFRESH_MS: '3000' })
  await mongoose.connect(databaseUri)
})

afterAll(async () => {
  await mongoose.connection.dropDatabase().catch(() => undefined)
  await mongoose.disconnect()
  await a?.stop()
  await b?.stop()
})

async function call(server: ServerProcess, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url.replace(/\/$/, '')}${path}`, { method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers }, body: body ? JSON.stringify(body) : undefined })
  return { status: res.status, headers: res.headers, body: (await res.json().catch(() => null)) as any }
}

it('pays the new day-7 bonus on the other instance within a minute of the change', async () => {
  const signIn = await call(a, 'POST', '/api/console/session', DEMO_OPERATOR)
  const operator = { cookie: signIn.headers.getSetCookie().find((c) => c.startsWith('xl_console='))!.split(';')[0]!, 'x-csrf-token': signIn.body.csrfToken as string }
  const current = (await call(a, 'GET', '/api/admin/rules', undefined, operator)).body
  const rules = structuredClone(current.rules)
  const before = rules.checkin.cycleBonusPoints as number
  rules.checkin.cycleBonusPoints = before + 20

  // A shopper on a six-day streak, checking in on the second instance.
  const shopper = (await call(b, 'POST', '/api/auth/dev', { nickname: '两台机器的连签会员' })).body
  const auth = { authorization: `Bearer ${shopper.accessToken}` }
  const yesterday = businessDay(new Date(Date.now() - 86_400_000), 'Asia/Shanghai')
  await mongoose.connection.db!.collection('checkins').insertOne({ _id: `${shopper.user.id}:${yesterday}` as never, userId: new mongoose.Types.ObjectId(shopper.user.id as string), day: yesterday, month: yesterday.slice(0, 7), kind: 'daily', cycleDay: 6, points: 1, bonus: 0, streak: 6, rewarded: true, rewardRefused: null, makeupSlot: null, createdAt: new Date(Date.now() - 86_400_000) })
  // A member on a streak registered before it began.
  await mongoose.connection.db!.collection('users').updateOne({ _id: new mongoose.Types.ObjectId(shopper.user.id as string) }, { $set: { createdAt: new Date(Date.now() - 7 * 86_400_000) } })
  const day7 = async () => ((await call(b, 'GET', '/api/checkins', undefined, auth)).body.cycle as number[])[6]
  expect(await day7()).toBe(rules.checkin.dailyPoints + before)

  const changedAt = Date.now()
  const saved = await call(a, 'PUT', '/api/admin/rules', { baseVersion: current.version, reason: '双机验证', rules }, operator)
  expect(saved.status).toBe(200)
  while ((await day7()) !== rules.checkin.dailyPoints + before + 20) {
    if (Date.now() - changedAt > 60_000) throw new Error('the second instance did not apply the change within a minute')
    await new Promise((r) => setTimeout(r, 1000))
  }
  const checkin = await call(b, 'POST', '/api/checkins', undefined, auth)
  expect(checkin.body.checkin).toMatchObject({ streak: 7, cycleDay: 7, bonus: before + 20 })
  expect(Date.now() - changedAt).toBeLessThan(60_000)
})
