import autocannon from 'autocannon'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startServerProcess } from '../test/server-process'

/**
 * `npm run bench`: starts the server in its own process on the embedded database (a throwaway
 * data folder, or MONGODB_URI), then measures each route with autocannon from this process and
 * prints requests/s and latency percentiles. Figures only; nothing is asserted.
 */
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10)
const CHECKIN_USERS = Number(process.env.BENCH_CHECKIN_USERS ?? 500)
const MALL_USERS = Math.min(CHECKIN_USERS, Number(process.env.BENCH_MALL_USERS ?? 200))
const MALL_STOCK = Number(process.env.BENCH_MALL_STOCK ?? 50)

interface Row {
  route: string
  requests: number
  rps: number
  p50: number
  p99: number
  errors: number
}

type Options = Parameters<typeof autocannon>[0]

async function measure(route: string, options: Options): Promise<Row> {
  // A fixed `amount` of requests replaces the duration.
  const result = await autocannon({ connections: CONNECTIONS, ...(options.amount ? {} : { duration: DURATION_S }), ...options })
  const errors = result.errors + result.timeouts + result.non2xx
  return { route, requests: result.requests.total, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors }
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xianlin-bench-'))
  const server = await startServerProcess(
    [path.join('node_modules', '.bin', 'tsx'), path.join('server', 'bench', 'bench-server.ts')],
    { PORT: '0', DATA_DIR: dataDir, SERVE_H5: 'false', LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT_PER_MINUTE: '1000000' },
  ).catch((err) => {
    console.error(err.message)
    process.exit(1)
  })
  const base = server.url.replace(/\/$/, '')
  const post = async (url: string, body: object = {}, token?: string) => {
    const res = await fetch(`${base}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    })
    return res.status === 204 ? null : ((await res.json()) as { accessToken: string; user: { id: string }; store?: { id: string }; item?: { id: string } })
  }
  try {
    const me = (await post('/api/auth/dev', { nickname: '压测' }))!
    const database = /database: (.+)/.exec(server.output())?.[1] ?? 'unknown'

    process.stdout.write(`Signing in ${CHECKIN_USERS} check-in users... `)
    const users: Array<{ token: string; id: string }> = []
    for (let i = 0; i < CHECKIN_USERS; i += 10) {
      const batch = Array.from({ length: Math.min(10, CHECKIN_USERS - i) }, (_, j) => post('/api/auth/dev', { nickname: `签到压测${i + j}` }))
      for (const login of await Promise.all(batch)) users.push({ token: login!.accessToken, id: login!.user.id })
    }
    await post(`/bench/points/${me.user.id}/seed`)
    for (const u of users.slice(0, MALL_USERS)) await post(`/bench/points/${u.id}/seed`)
    const admin = (await post('/api/auth/dev', { role: 'admin' }))!
    const store = (await post('/api/admin/stores', { code: 'BENCH-01', name: '压测门店', address: '压测路 1 号', hours: '00:00-24:00' }, admin.accessToken))!
    const item = (await post(
      '/api/admin/mall/items',
      { name: '压测限量好礼', kind: 'goods', category: '压测', pointsPrice: 100, stock: MALL_STOCK, storeIds: [store.store!.id], cover: { emoji: '🎁', tint: '#ffe4e6' } },
      admin.accessToken,
    ))!
    console.log('done')

    console.log(`\nBenchmark: ${CONNECTIONS} connections, ${DURATION_S}s per route, ${os.cpus().length} cores, database: ${database}\n`)
    let next = 0
    let nextBuyer = 0
    const rows = [
      await measure('GET /healthz', { url: `${base}/healthz` }),
      await measure('GET /bench/baseline/:id (one findOne)', { url: `${base}/bench/baseline/${me.user.id}` }),
      await measure('GET /api/me', { url: `${base}/api/me`, headers: { authorization: `Bearer ${me.accessToken}` } }),
      // Each distinct user checks in once: exactly CHECKIN_USERS requests, not a duration.
      await measure(`POST /api/checkins (${CHECKIN_USERS} distinct users)`, {
        url: `${base}/api/checkins`,
        amount: CHECKIN_USERS,
        method: 'POST',
        requests: [{ setupRequest: (req: Record<string, any>) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${users[next++]!.token}` } }) }],
      }),
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
      await measure('points spend, one user, contended (ledger append)', { url: `${base}/bench/points/${me.user.id}/spend`, method: 'POST' }),
    ]
    const cols = ['route'.padEnd(52), 'requests'.padStart(9), 'req/s'.padStart(8), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'non-2xx/err'.padStart(12)]
    console.log(cols.join(' '))
    for (const r of rows) {
      console.log(
        [r.route.padEnd(52), String(r.requests).padStart(9), r.rps.toFixed(0).padStart(8), String(r.p50).padStart(8), String(r.p99).padStart(8), String(r.errors).padStart(12)].join(' '),
      )
    }
    console.log('non-2xx on the redeem row are the expected 409 OUT_OF_STOCK answers of the buyers who came too late.\n')
  } finally {
    await server.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

void main()
