import supertest from 'supertest'
import { startTestApp, testConfig, type TestApp } from '../../test/harness'
import { buildApp } from '../app'
import { startJobs } from '../jobs/scheduler'

/** `/metrics` in Prometheus' text format: requests by route and status, job runs, database commands, the event loop; behind its token when one is set. */
let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename, { env: { METRICS_TOKEN: 'metrics-token-for-tests-0001' } })
})
afterAll(() => t.close())

const sample = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}()[\]|.*+?^$\\]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN)

it('is scraped with its token: request durations by route pattern, job runs, database commands and the event loop', async () => {
  await t.http.get('/api/metrics').expect(404)
  await t.http.get('/metrics').expect(401)
  await t.http.get('/metrics').set('authorization', 'Bearer wrong-token-of-same-len-01').expect(401)
  await t.http.get('/healthz').expect(200)
  await t.http.get('/api/products').expect(200)
  // A job run on this instance, as the scheduler reports it.
  const jobs = startJobs([{ name: 'metrics-probe', everyMs: 20, everyInstance: true, run: async () => {} }], { log: t.services.log, clock: () => new Date(), pollMs: 20, onRun: t.metrics.jobRan })
  for (let i = 0; i < 100 && !(await t.metrics.registry.getSingleMetricAsString('job_run_duration_seconds')).includes('metrics-probe'); i++) await new Promise((r) => setTimeout(r, 20))
  await jobs.stop()

  const res = await t.http.get('/metrics').set('authorization', 'Bearer metrics-token-for-tests-0001').expect(200)
  expect(res.headers['content-type']).toMatch(/^text\/plain/)
  const text = res.text
  expect(sample(text, 'http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}')).toBe(1)
  expect(sample(text, 'http_request_duration_seconds_count{method="GET",route="/api/products",status="200"}')).toBe(1)
  expect(sample(text, 'http_request_duration_seconds_count{method="GET",route="/metrics",status="401"}')).toBe(2)
  expect(sample(text, 'job_run_duration_seconds_count{job="metrics-probe",outcome="ok"}')).toBeGreaterThanOrEqual(1)
  expect(sample(text, 'db_commands_total')).toBeGreaterThan(0)
  expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0)
})

it('answers no one in production without a token', async () => {
  const { app } = buildApp(testConfig({}, { env: 'production', metricsToken: null }))
  await supertest(app.callback()).get('/metrics').expect(401)
})
