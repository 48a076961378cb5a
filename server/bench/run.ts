import type { EventEmitter } from 'node:events'
import autocannon from 'autocannon'
import { addDays, businessDay } from '@xianlin/shared'
import { DEMO_OPERATOR } from '../src/seed/demo-operator'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { startServerProcess } from '../test/server-process'
import { ensureH5Build } from '../scripts/h5-build'
import { h5FirstLoad } from './h5-first-load'
import { scaleSection } from './scale'

/**
 * `npm run bench`: starts the server in its own process on the embedded database (a throwaway
 * data folder, or MONGODB_URI), then measures each route with autocannon from this process and
 * prints requests/s and latency percentiles; then the scale section (`scale.ts`): every job and
 * report at 100,000 and 400,000 members. Figures only; nothing is asserted.
 */
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10)
const CHECKIN_USERS = Number(process.env.BENCH_CHECKIN_USERS ?? 1500)
/** Check-ins before the measured ones, so the row measures warmed-up code as the others do (they run for seconds). */
const CHECKIN_WARMUP = Number(process.env.BENCH_CHECKIN_WARMUP ?? 300)
const MALL_USERS = Math.min(CHECKIN_USERS, Number(process.env.BENCH_MALL_USERS ?? 200))
const MALL_STOCK = Number(process.env.BENCH_MALL_STOCK ?? 50)
const JOIN_USERS = Math.min(CHECKIN_USERS, Number(process.env.BENCH_JOIN_USERS ?? 200))
const JOIN_GROUPS = Number(process.env.BENCH_JOIN_GROUPS ?? 20)
/** Basket checkouts of five lines, each by another shopper (plenty of stock: every one is placed). */
const BASKET_USERS = Math.min(CHECKIN_USERS, Number(process.env.BENCH_BASKET_USERS ?? 300))
/** Shoppers racing with three-line baskets for a product with BASKET_RACE_STOCK units in today's session. */
const BASKET_RACE_USERS = Math.min(CHECKIN_USERS, Number(process.env.BENCH_BASKET_RACE_USERS ?? 200))
const BASKET_RACE_STOCK = Number(process.env.BENCH_BASKET_RACE_STOCK ?? 50)
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000)
/**
 * Synthetic growth history for the report figures (#16), at the scale the reports are meant for:
 * 100,000 members over 180 days, about 2.9 million events. Writing and folding it takes about ten
 * minutes of the bench on the embedded database (the whole bench about 25);
 * `BENCH_HISTORY_MEMBERS=2000 BENCH_HISTORY_DAYS=60` gives a quick run.
 */
const HISTORY_MEMBERS = Number(process.env.BENCH_HISTORY_MEMBERS ?? 100_000)
const HISTORY_DAYS = Number(process.env.BENCH_HISTORY_DAYS ?? 180)
/** Lots earned for the points expiry job to expire at once (its pace, in lots an hour). */
const EXPIRY_LOTS = Number(process.env.BENCH_EXPIRY_LOTS ?? 5000)
/** The demo rules' business time zone (the bench server runs on them). */
const TIME_ZONE = 'Asia/Shanghai'

/** The baseline measured again after the request rows: the ratios use the faster of the two. */
const BASELINE_AGAIN = 'GET /bench/baseline/:id (again, after the rows above)'

interface Row {
  route: string
  requests: number
  /** Database commands the requests sent, per request: a figure that does not depend on the machine. */
  commands: number
  /** Commands background work sent meanwhile (jobs, including what the requests left to them), per request. */
  background: number
  rps: number
  p50: number
  p99: number
  errors: number
  /** The statuses of the answers that were not 2xx, with how many of each (`409×150`). */
  statuses: string
  /** The server's longest stall during the row: event loop blocked (JavaScript or a GC pause), and GC pause alone. */
  stallMs: number
  gcMs: number
}

type Options = Parameters<typeof autocannon>[0]

let commandsSent: () => Promise<{ requests: number; background: number }> = async () => ({ requests: 0, background: 0 })
let stalls = { reset: async () => {}, read: async () => ({ loopMs: 0, gcMs: 0 }) }

async function measure(route: string, options: Options): Promise<Row> {
  const before = await commandsSent()
  await stalls.reset()
  // A fixed `amount` of requests replaces the duration.
  // Without a callback autocannon returns its run: a promise of the result that also emits events.
  const run = autocannon({ connections: CONNECTIONS, ...(options.amount ? {} : { duration: DURATION_S }), ...options }) as unknown as Promise<autocannon.Result> & EventEmitter
  // Requests per second over the time until the last answer: autocannon's own figures end at its
  // next one-second tick, so 500 requests answered in 2.2 s read as 167 req/s (500 over 3 s).
  const started = Date.now()
  let lastAnswer = started
  const statuses = new Map<number, number>()
  run.on('response', (_client: unknown, status: number) => {
    lastAnswer = Date.now()
    if (status < 200 || status > 299) statuses.set(status, (statuses.get(status) ?? 0) + 1)
  })
  const result = await run
  const [after, stalled] = [await commandsSent(), await stalls.read()]
  const perRequest = (n: number) => n / Math.max(1, result.requests.total)
  const errors = result.errors + result.timeouts + result.non2xx
  return { route, requests: result.requests.total, commands: perRequest(after.requests - before.requests), background: perRequest(after.background - before.background), rps: result.requests.total / Math.max(0.001, (lastAnswer - started) / 1000), p50: result.latency.p50, p99: result.latency.p99, errors, statuses: [...statuses].map(([status, n]) => `${status}×${n}`).join(' '), stallMs: stalled.loopMs, gcMs: stalled.gcMs }
}

/** Runs `npm run seed:history` against the bench server's database; its events and seconds. */
async function writeHistory(databaseUri: string): Promise<{ events: number; seconds: number }> {
  const started = Date.now()
  const child = spawn(path.join('node_modules', '.bin', 'tsx'), [path.join('server', 'scripts', 'seed-history.ts'), '--bulk', '--members', String(HISTORY_MEMBERS), '--days', String(HISTORY_DAYS)], {
    env: { ...process.env, MONGODB_URI: databaseUri, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  const events = /(\d+) events written and folded/.exec(output)?.[1]
  if (code !== 0 || !events) throw new Error(`synthetic history failed (exit ${code}):\n${output.slice(-2000)}`)
  return { events: Number(events), seconds: (Date.now() - started) / 1000 }
}

async function main() {
  ensureH5Build()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xianlin-bench-'))
  const server = await startServerProcess(
    [path.join('node_modules', '.bin', 'tsx'), path.join('server', 'bench', 'bench-server.ts')],
    { PORT: '0', DATA_DIR: dataDir, SERVE_H5: 'true', LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT_PER_MINUTE: '1000000' },
  ).catch((err) => {
    console.error(err.message)
    process.exit(1)
  })
  const base = server.url.replace(/\/$/, '')
  commandsSent = async () => (await (await fetch(`${base}/bench/commands`)).json()) as { requests: number; background: number }
  stalls = {
    reset: async () => void (await fetch(`${base}/bench/stalls/reset`, { method: 'POST' })),
    read: async () => (await (await fetch(`${base}/bench/stalls`)).json()) as { loopMs: number; gcMs: number },
  }
  const post = async (url: string, body: object = {}, token?: string | Record<string, string>) => {
    const auth = typeof token === 'string' ? { authorization: `Bearer ${token}` } : (token ?? {})
    const res = await fetch(`${base}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify(body),
    })
    return res.status === 204 ? null : ((await res.json()) as { accessToken: string; user: { id: string }; store?: { id: string }; item?: { id: string }; activity?: { id: string }; order?: { id: string; groupId: string } })
  }
  try {
    const me = (await post('/api/auth/dev', { nickname: '压测' }))!
    const database = /database: (.+)/.exec(server.output())?.[1] ?? 'unknown'

    process.stdout.write(`Signing in ${CHECKIN_USERS + CHECKIN_WARMUP} check-in users... `)
    const signInMany = async (count: number, name: string) => {
      const signedIn: Array<{ token: string; id: string }> = []
      for (let i = 0; i < count; i += 10) {
        const batch = Array.from({ length: Math.min(10, count - i) }, (_, j) => post('/api/auth/dev', { nickname: `${name}${i + j}` }))
        for (const login of await Promise.all(batch)) signedIn.push({ token: login!.accessToken, id: login!.user.id })
      }
      return signedIn
    }
    const users = await signInMany(CHECKIN_USERS, '签到压测')
    const warmupUsers = await signInMany(CHECKIN_WARMUP, '签到预热')
    await post(`/bench/points/${me.user.id}/seed`)
    for (const u of users.slice(0, MALL_USERS)) await post(`/bench/points/${u.id}/seed`)
    // The demo operator the development server creates: its console cookie and CSRF header.
    const signIn = await fetch(`${base}/api/console/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO_OPERATOR) })
    const operator = {
      cookie: signIn.headers.getSetCookie().find((c) => c.startsWith('xl_console='))!.split(';')[0]!,
      'x-csrf-token': ((await signIn.json()) as { csrfToken: string }).csrfToken,
    }
    const store = (await post('/api/admin/stores', { code: 'BENCH-01', name: '压测门店', address: '压测路 1 号', hours: '00:00-24:00' }, operator))!
    const item = (await post(
      '/api/admin/mall/items',
      { name: '压测限量好礼', kind: 'goods', category: '压测', pointsPrice: 100, stock: MALL_STOCK, storeIds: [store.store!.id], cover: { emoji: '🎁', tint: '#ffe4e6' } },
      operator,
    ))!

    // Group-buy: JOIN_GROUPS open 5-person groups (opened and paid by their initiators); then
    // JOIN_USERS users race for their 4 × JOIN_GROUPS free seats.
    const { products } = (await (await fetch(`${base}/api/products`)).json()) as { products: Array<{ id: string }> }
    const activity = (await post(
      '/api/admin/groupbuys',
      { productId: products[0]!.id, tiers: [{ size: 5, priceFen: 1990 }], startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 86_400_000).toISOString(), stock: 100_000, perUserLimit: 5 },
      operator,
    ))!
    const groups: string[] = []
    for (let g = 0; g < JOIN_GROUPS; g++) {
      const opener = (await post('/api/auth/dev', { nickname: `开团压测${g}` }))!
      const opened = (await post('/api/orders', { activityId: activity.activity!.id, tierSize: 5, storeId: store.store!.id, idempotencyKey: `bench-open-${g}` }, opener.accessToken))!
      await post(`/api/dev/pay/${opened.order!.id}`, {}, opener.accessToken)
      groups.push(opened.order!.groupId)
    }
    // Baskets: five products with room for every checkout, and one scarce product to race for.
    const product = async (name: string, sessionQuota: number) =>
      (await post('/api/admin/products', { name, category: '压测', priceFen: 990, unit: '份', sessionQuota, sessionLimit: 99 }, operator)) as unknown as { product: { id: string } }
    const basketProducts: string[] = []
    for (let i = 0; i < 5; i++) basketProducts.push((await product(`压测购物车商品${i}`, 20_000)).product.id)
    const scarce = (await product('压测限量商品', BASKET_RACE_STOCK)).product.id
    // The day's first order writes the sessions; the rows measure the orders after it.
    await post('/api/orders', { lines: basketProducts.map((productId) => ({ productId, quantity: 1 })), storeId: store.store!.id, idempotencyKey: 'bench-basket-warm' }, me.accessToken)
    console.log('done')

    /** POST /api/auth/dev for 200 shoppers, each once (their nicknames name their accounts). */
    const signIns = (who: string) => {
      let n = 0
      return measure(`POST /api/auth/dev (200 ${who}, ${MEMBERS} members)`, {
        url: `${base}/api/auth/dev`,
        method: 'POST',
        amount: 200,
        requests: [{ setupRequest: (req: Record<string, any>) => ({ ...req, headers: { ...req.headers, 'content-type': 'application/json' }, body: JSON.stringify({ nickname: `压测登录${n++}` }) }) }],
      })
    }

    /** 运营后台 → 会员 over MEMBERS members: the first page, and a page halfway down (keyset cursor). */
    const memberPaging = async () => {
      process.stdout.write(`Seeding ${MEMBERS} members... `)
      const started = Date.now()
      for (let done = 0; done < MEMBERS; done += 5000) {
        const seeded = await fetch(`${base}/bench/members/seed/${done}/${Math.min(5000, MEMBERS - done)}`, { method: 'POST' })
        if (seeded.status !== 204) throw new Error(`seeding members answered ${seeded.status}: ${await seeded.text()}`)
      }
      console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)}s`)
      const page = async (query: string) => {
        const res = await fetch(`${base}/api/admin/members?${query}`, { headers: operator })
        if (!res.ok) throw new Error(`GET /api/admin/members?${query} answered ${res.status}: ${await res.text()}`)
        return (await res.json()) as { members: Array<{ id: string }>; nextCursor: string | null }
      }
      // A cursor halfway down the list (the cursor is a member number).
      const cursor = Math.floor(MEMBERS / 2)
      await page(`cursor=${cursor}&limit=20`)
      return [
        await measure(`GET /api/admin/members first page (${MEMBERS} members)`, { url: `${base}/api/admin/members?limit=20`, headers: operator, connections: 1, amount: 50 }),
        await measure(`GET /api/admin/members mid-list page (${MEMBERS} members)`, { url: `${base}/api/admin/members?limit=20&cursor=${cursor}`, headers: operator, connections: 1, amount: 50 }),
        // Signing in among them: 200 shoppers register, then sign in again (found through their openid hint).
        await signIns('new shoppers'),
        await signIns('returning shoppers'),
      ]
    }

    /** 增长分析 over a synthetic history: each report's latency, and one day folded from the stored events. */
    const growthReports = async () => {
      process.stdout.write(`Writing a synthetic history of ${HISTORY_MEMBERS} members over ${HISTORY_DAYS} days... `)
      const yesterday = addDays(businessDay(new Date(), TIME_ZONE), -1)
      const at = (daysBack: number) => addDays(yesterday, -daysBack)
      // Written by `npm run seed:history` in a process of its own, into the server's database: the
      // server then holds what a server that lived through the history would, not the garbage of
      // writing it (a 1.6 s GC pause during a report, when it was written in the server).
      const databaseUri = /database uri: (\S+)/.exec(server.output())![1]!
      const history = await writeHistory(databaseUri)
      console.log(`${history.events} events, written and folded in ${history.seconds.toFixed(0)} s`)
      const fold = (await (await fetch(`${base}/bench/fold/${yesterday}`, { method: 'POST' })).json()) as { events: number; seconds: number }
      foldFigure = `Folding one day again from the stored events (${fold.events} events of ${history.events}): ${fold.seconds.toFixed(1)} s (target: under 30 s at 3 million events)`
      // 积分负债 reads what its jobs kept: recount now (as 重新统计 does) and time it.
      const liabilityStarted = Date.now()
      const liability = async () => (await (await fetch(`${base}/api/admin/analytics/points-liability`, { headers: operator })).json()) as { computedAt: string | null }
      const kept = (await liability()).computedAt
      await fetch(`${base}/api/admin/analytics/points-liability/refresh`, { method: 'POST', headers: operator })
      while ((await liability()).computedAt === kept) {
        if (Date.now() - liabilityStarted > 15 * 60_000) throw new Error('the 积分负债 job did not finish within 15 minutes')
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      liabilityFigure = `积分负债's recount, its daily check, reading the whole points ledger in batches (the report reads what the hourly tally kept): ${((Date.now() - liabilityStarted) / 1000).toFixed(1)} s`
      const report = (name: string, query: string) => measure(`GET /api/admin/analytics/${name} (${query.split('&')[0]})`, { url: `${base}/api/admin/analytics/${name}?${query}`, headers: operator, connections: 1, amount: 5 })
      // Every report of the console's 增长分析, over the ranges its pages open with.
      const month = `from=${at(29)}&to=${yesterday}`
      return [
        await report('trend', month),
        await report('retention', `from=${at(Math.min(HISTORY_DAYS, 92) - 1)}&to=${yesterday}`),
        await report('funnel', month),
        await report('lifecycle', `from=${at(Math.min(HISTORY_DAYS, 92) - 1)}&to=${yesterday}`),
        await report('rfm', `to=${yesterday}`),
        await report('rfm/members', `to=${yesterday}&segment=champion&offset=0&limit=20`),
        await report('invitations', month),
        await report('groupbuys', month),
        await report('checkins', month),
        await report('leaders', month),
        await report('points-liability', 'months=6'),
      ]
    }
    let foldFigure = ''
    let liabilityFigure = ''

    /**
     * Check-in: each distinct user checks in once (exactly CHECKIN_USERS requests, not a duration),
     * after CHECKIN_WARMUP others checked in unmeasured (and were settled); then what it left to
     * the settle job. These members registered today: their first check-in.
     */
    const checkins = async () => {
      for (let i = 0; i < warmupUsers.length; i += CONNECTIONS) {
        await Promise.all(warmupUsers.slice(i, i + CONNECTIONS).map(async (u) => (await fetch(`${base}/api/checkins`, { method: 'POST', headers: { authorization: `Bearer ${u.token}` } })).arrayBuffer()))
      }
      await fetch(`${base}/bench/checkins/settle`, { method: 'POST' })
      const row = await measure(`POST /api/checkins (${CHECKIN_USERS} new members, warmed up)`, {
        url: `${base}/api/checkins`,
        amount: CHECKIN_USERS,
        method: 'POST',
        requests: [{ setupRequest: (req: Record<string, any>) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${users[next++]!.token}` } }) }],
      })
      const settled = (await (await fetch(`${base}/bench/checkins/settle`, { method: 'POST' })).json()) as { settled: number; commands: number }
      settleFigure = `Check-in follow-ups left to the settle job (copies on the account, growth, event, mark), for the ${settled.settled} check-ins it had not reached yet: ${(settled.commands / Math.max(1, settled.settled)).toFixed(1)} db commands each`
      return row
    }
    let settleFigure = ''

    console.log(`\nBenchmark: ${CONNECTIONS} connections, ${DURATION_S}s per route, ${os.cpus().length} cores, database: ${database}\n`)
    let next = 0
    let nextBuyer = 0
    let nextJoiner = 0
    let nextBasket = 0
    let nextRacer = 0
    const rows = [
      await measure('GET /healthz', { url: `${base}/healthz` }),
      await measure('GET /bench/baseline/:id (one findOne)', { url: `${base}/bench/baseline/${me.user.id}` }),
      await measure('GET /api/me', { url: `${base}/api/me`, headers: { authorization: `Bearer ${me.accessToken}` } }),
      await checkins(),
      // Many users race for little stock: MALL_STOCK get a voucher, the rest a 409 OUT_OF_STOCK.
      await measure(`POST /api/mall/items/:id/redeem (${MALL_USERS} users, ${MALL_STOCK} in stock)`, {
        url: `${base}/api/mall/items/${item.item!.id}/redeem`,
        amount: MALL_USERS,
        method: 'POST',
        requests: [
          {
            setupRequest: (req: Record<string, any>) => {
              const u = users[nextBuyer++]!
              return { ...req, headers: { ...req.headers, 'content-type': 'application/json', authorization: `Bearer ${u.token}` }, body: JSON.stringify({ idempotencyKey: `bench-${u.id}` }) }
            },
          },
        ],
      }),
      await measure('GET /api/groupbuys (activity listing)', { url: `${base}/api/groupbuys` }),
      // Every joiner picks the next group round-robin: 4 seats each, the rest answer 409 GROUP_FULL.
      await measure(`POST /api/orders join (${JOIN_USERS} users, ${JOIN_GROUPS} groups × 4 seats)`, {
        url: `${base}/api/orders`,
        amount: JOIN_USERS,
        method: 'POST',
        requests: [
          {
            setupRequest: (req: Record<string, any>) => {
              const i = nextJoiner++
              const u = users[i]!
              const body = { activityId: activity.activity!.id, groupId: groups[i % groups.length], storeId: store.store!.id, idempotencyKey: `bench-join-${u.id}` }
              return { ...req, headers: { ...req.headers, 'content-type': 'application/json', authorization: `Bearer ${u.token}` }, body: JSON.stringify(body) }
            },
          },
        ],
      }),
      await measure('points spend, one user, contended (ledger append)', { url: `${base}/bench/points/${me.user.id}/spend`, method: 'POST' }),
      // A five-line basket, each by another shopper; the commands include the prepay's record (payment preparation).
      await measure(`POST /api/orders 5-line basket (${BASKET_USERS} shoppers)`, {
        url: `${base}/api/orders`,
        amount: BASKET_USERS,
        method: 'POST',
        requests: [
          {
            setupRequest: (req: Record<string, any>) => {
              const u = users[CHECKIN_USERS - 1 - nextBasket++]!
              const body = { lines: basketProducts.map((productId) => ({ productId, quantity: 1 })), storeId: store.store!.id, idempotencyKey: `bench-basket-${u.id}` }
              return { ...req, headers: { ...req.headers, 'content-type': 'application/json', authorization: `Bearer ${u.token}` }, body: JSON.stringify(body) }
            },
          },
        ],
      }),
      // The basket race: BASKET_RACE_STOCK units among BASKET_RACE_USERS three-line baskets; the rest answer 409 BASKET_REFUSED.
      await measure(`POST /api/orders basket race (${BASKET_RACE_USERS} baskets, ${BASKET_RACE_STOCK} units)`, {
        url: `${base}/api/orders`,
        amount: BASKET_RACE_USERS,
        method: 'POST',
        requests: [
          {
            setupRequest: (req: Record<string, any>) => {
              const u = users[nextRacer++]!
              const body = { lines: [scarce, basketProducts[0], basketProducts[1]].map((productId) => ({ productId, quantity: 1 })), storeId: store.store!.id, idempotencyKey: `bench-race-${u.id}` }
              return { ...req, headers: { ...req.headers, 'content-type': 'application/json', authorization: `Bearer ${u.token}` }, body: JSON.stringify(body) }
            },
          },
        ],
      }),
      await measure(BASELINE_AGAIN, { url: `${base}/bench/baseline/${me.user.id}` }),
      ...(await memberPaging()),
      ...(await growthReports()),
    ]
    // The machine's own pace drifts by a third within a run: the ratios divide by the faster of the
    // two baseline rows, so a slow moment of the baseline never flatters them.
    const baselines = [rows[1]!, rows.find((r) => r.route === BASELINE_AGAIN)!].map((r) => r.rps)
    const baseline = Math.max(...baselines)
    const cols = ['route'.padEnd(52), 'requests'.padStart(9), 'db cmds/req'.padStart(12), 'bg cmds/req'.padStart(12), 'req/s'.padStart(8), '× baseline'.padStart(11), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'stall ms'.padStart(9), 'gc ms'.padStart(6), 'non-2xx/err'.padStart(12)]
    console.log(cols.join(' '))
    for (const r of rows) {
      console.log(
        [r.route.padEnd(52), String(r.requests).padStart(9), r.commands.toFixed(1).padStart(12), r.background.toFixed(1).padStart(12), r.rps.toFixed(0).padStart(8), (r.rps / baseline).toFixed(2).padStart(11), String(r.p50).padStart(8), String(r.p99).padStart(8), r.stallMs.toFixed(0).padStart(9), r.gcMs.toFixed(0).padStart(6), String(r.errors).padStart(12), r.statuses].join(' ').trimEnd(),
      )
    }
    console.log('non-2xx on the redeem, join and basket race rows are the expected 409 OUT_OF_STOCK / GROUP_FULL / BASKET_REFUSED answers of those who came too late.')
    const basketRow = rows.find((r) => r.route.startsWith('POST /api/orders 5-line basket'))!
    console.log(`A 5-line basket checkout: ${basketRow.commands.toFixed(1)} db commands per request, ${(basketRow.commands - 1).toFixed(1)} without payment preparation (the prepay's one write; target ≤ 15).`)
    console.log('The member pages and the analytics reports run one connection at a time: p50/p99 are the time one operator waits (report target: under 500 ms).')
    console.log(settleFigure)
    console.log(foldFigure)
    console.log(liabilityFigure)
    console.log(`× baseline divides by the faster of the two baseline rows (${baselines.map((b) => b.toFixed(0)).join(' and ')} req/s).`)
    console.log('db cmds/req counts the commands the requests sent; bg cmds/req what background jobs sent during the row, per request.')
    console.log("stall ms is the server's longest event-loop stall during the row (JavaScript running or a GC pause), gc ms its longest GC pause: a p99 far above both was a wait on the database.\n")

    // Points expiry keeps up when it expires, an hour, at least the lots the busiest hour earns:
    // at 2 million members, if all of them checked in each day and a fifth of them in one hour, 400,000.
    const expiry = (await (await fetch(`${base}/bench/points/expiry/${EXPIRY_LOTS}`, { method: 'POST' })).json()) as { expired: number; seconds: number }
    console.log(`Points expiry: ${expiry.expired} lots expired in ${expiry.seconds.toFixed(1)} s, ${Math.round((expiry.expired / expiry.seconds) * 3600).toLocaleString('en')} lots an hour (needed at 2 million members: 400,000 an hour, the busiest hour's check-ins if every member checked in daily and a fifth of them in that hour)\n`)

    const first = await h5FirstLoad(base)
    console.log(`H5 first load on slow 4G (1.6 Mb/s, 150 ms), empty cache, until the home page shows products: ${first.kb.toFixed(0)} KB transferred in ${first.requests} requests, ${first.seconds.toFixed(2)} s (target: under 350 KB and 2.5 s)\n`)
  } finally {
    await server.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

void main().then(() => scaleSection())
