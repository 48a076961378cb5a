import { startTestApp, type TestApp } from '../../test/harness'
import { releaseLease, tryTakeLease } from '../core/lease'
import { startJobs } from './scheduler'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

describe('job leases', () => {
  it('gives a job to exactly one of several instances asking at once', async () => {
    const now = new Date('2026-11-23T00:00:00Z')
    const owners = Array.from({ length: 8 }, (_, i) => `instance-${i}`)
    const taken = await Promise.all(owners.map((o) => tryTakeLease('nightly', o, 60_000, now)))
    expect(taken.filter(Boolean)).toHaveLength(1)
  })

  it('lets another instance take over once the lease has expired or was released', async () => {
    const now = new Date('2026-11-23T00:00:00Z')
    expect(await tryTakeLease('hourly', 'a', 60_000, now)).toBe(true)
    expect(await tryTakeLease('hourly', 'b', 60_000, new Date(now.getTime() + 30_000))).toBe(false)
    expect(await tryTakeLease('hourly', 'b', 60_000, new Date(now.getTime() + 61_000))).toBe(true)
    await releaseLease('hourly', 'b', new Date(now.getTime() + 62_000))
    expect(await tryTakeLease('hourly', 'c', 60_000, new Date(now.getTime() + 63_000))).toBe(true)
  })
})

describe('the scheduler', () => {
  it('runs a job marked runAtStart shortly after start-up, and others only after their period', async () => {
    const ran: string[] = []
    const jobs = startJobs(
      [
        { name: 'at-start', everyMs: 3_600_000, runAtStart: true, run: async () => void ran.push('at-start') },
        { name: 'hourly-only', everyMs: 3_600_000, run: async () => void ran.push('hourly-only') },
      ],
      { log: t.services.log, clock: () => new Date() },
    )
    await new Promise((r) => setTimeout(r, 6_000))
    await jobs.stop()
    expect(ran).toEqual(['at-start'])
  })

  it('never starts a job again in the same instance while its previous run is still going', async () => {
    let running = 0
    let most = 0
    let runs = 0
    const jobs = startJobs(
      [
        {
          name: 'slower-than-its-period',
          everyMs: 200,
          run: async () => {
            runs++
            most = Math.max(most, ++running)
            await new Promise((r) => setTimeout(r, 1_000))
            running--
          },
        },
      ],
      { log: t.services.log, clock: () => new Date() },
    )
    await new Promise((r) => setTimeout(r, 2_500))
    await jobs.stop()
    expect(runs).toBeGreaterThanOrEqual(2)
    expect(most).toBe(1)
  })
})
