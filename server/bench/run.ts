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

interface Row {
  route: string
  rps: number
  p50: number
  p99: number
  errors: number
}

async function measure(route: string, url: string, headers: Record<string, string> = {}): Promise<Row> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers })
  const errors = result.errors + result.timeouts + result.non2xx
  return { route, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors }
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xianlin-bench-'))
  const server = await startServerProcess(
    [path.join('node_modules', '.bin', 'tsx'), path.join('server', 'bench', 'bench-server.ts')],
    { PORT: '0', DATA_DIR: dataDir, SERVE_H5: 'false', LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT_PER_MINUTE: '100000' },
  ).catch((err) => {
    console.error(err.message)
    process.exit(1)
  })
  const base = server.url.replace(/\/$/, '')
  try {
    const login = await fetch(`${base}/api/auth/dev`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nickname: '压测' }),
    })
    const { accessToken, user } = (await login.json()) as { accessToken: string; user: { id: string } }
    const database = /database: (.+)/.exec(server.output())?.[1] ?? 'unknown'

    console.log(`\nBenchmark: ${CONNECTIONS} connections, ${DURATION_S}s per route, ${os.cpus().length} cores, database: ${database}\n`)
    const rows = [
      await measure('GET /healthz', `${base}/healthz`),
      await measure('GET /bench/baseline/:id (one findOne)', `${base}/bench/baseline/${user.id}`),
      await measure('GET /api/me', `${base}/api/me`, { authorization: `Bearer ${accessToken}` }),
    ]
    console.log('route'.padEnd(40), 'req/s'.padStart(10), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'errors'.padStart(8))
    for (const r of rows) {
      console.log(r.route.padEnd(40), r.rps.toFixed(0).padStart(10), String(r.p50).padStart(8), String(r.p99).padStart(8), String(r.errors).padStart(8))
    }
    console.log()
  } finally {
    await server.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

void main()
