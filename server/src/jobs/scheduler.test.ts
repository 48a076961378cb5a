import { startTestApp, type TestApp } from '../../test/harness'
import { releaseLease, tryTakeLease } from '../core/lease'
import { JobScheduleModel } from './job-schedule.model'
import { startJobs, type Job } from './scheduler'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** A clock running `speed` times faster than real time from `start`. */
const compressed = (start: string, speed: number) => {
  const real = Date.now()
  const from = Date.parse(start)
  return () => new Date(from + (Date.now() - real) * speed)
}

describe('leases (changes that must not run twice at once)', () => {
  it('gives a lease to exactly one of several instances asking at once', async () => {
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
      { log: t.services.log, clock: () => new Date(), pollMs: 100 },
    )
    await sleep(6_000)
    await jobs.stop()
    expect(ran).toEqual(['at-start'])
  })

  it('runs each job once per period across three instances, never two runs at once', async () => {
    // 100× real time: a 10-second job over 5 simulated minutes, polled every simulated 3 seconds.
    const clock = compressed('2026-11-23T00:00:00Z', 100)
    const starts: number[] = []
    let running = 0
    let most = 0
    const job: Job = {
      name: 'every-10s',
      everyMs: 10_000,
      run: async (now) => {
        starts.push(now.getTime())
        most = Math.max(most, ++running)
        await sleep(20)
        running--
      },
    }
    const instances = [0, 1, 2].map(() => startJobs([{ ...job }], { log: t.services.log, clock, pollMs: 30, leaseMs: 60_000, renewMs: 100 }))
    const begun = clock().getTime()
    await sleep(3_000)
    await Promise.all(instances.map((i) => i.stop()))
    const ended = clock().getTime()
    expect(most).toBe(1)
    // One start in each whole period since the first due time (10 s after start), none twice.
    const periods = new Map<number, number>()
    for (const s of starts) periods.set(Math.floor((s - begun - 10_000) / 10_000), (periods.get(Math.floor((s - begun - 10_000) / 10_000)) ?? 0) + 1)
    expect([...periods.values()].every((n) => n === 1)).toBe(true)
    expect(starts.length).toBeGreaterThanOrEqual(Math.floor((ended - begun - 10_000) / 10_000) - 1)
    expect((await JobScheduleModel.findById('every-10s').lean())!.runs).toBe(starts.length)
  })

  it('keeps a long run to itself by renewing its lease, and never starts it again meanwhile', async () => {
    let runs = 0
    let running = 0
    let most = 0
    const slow: Job = {
      name: 'slower-than-its-lease',
      everyMs: 200,
      run: async () => {
        runs++
        most = Math.max(most, ++running)
        await sleep(1_500) // five leases long
        running--
      },
    }
    const instances = [0, 1].map(() => startJobs([{ ...slow }], { log: t.services.log, clock: () => new Date(), pollMs: 20, leaseMs: 300, renewMs: 50 }))
    await sleep(2_500)
    await Promise.all(instances.map((i) => i.stop()))
    expect(most).toBe(1)
    expect(runs).toBeGreaterThanOrEqual(1)
    expect(runs).toBeLessThanOrEqual(2)
  })

  it('takes over the run of an instance that died once its lease lapses', async () => {
    const now = Date.now()
    // What a crashed instance leaves: the run taken, its due time not moved on, the lease running out.
    await JobScheduleModel.create({ _id: 'orphaned', dueAt: new Date(now - 60_000), owner: 'dead-instance', runId: 'r1', leaseUntil: new Date(now + 800), startedAt: new Date(now - 1_000) })
    const ran: number[] = []
    const jobs = startJobs([{ name: 'orphaned', everyMs: 3_600_000, run: async () => void ran.push(Date.now()) }], { log: t.services.log, clock: () => new Date(), pollMs: 50 })
    await sleep(400)
    expect(ran).toHaveLength(0) // the lease is still live
    await sleep(1_000)
    await jobs.stop()
    expect(ran).toHaveLength(1)
    expect(ran[0]!).toBeGreaterThanOrEqual(now + 800)
    const after = (await JobScheduleModel.findById('orphaned').lean())!
    expect(after).toMatchObject({ owner: null, runs: 1 })
    expect(after.dueAt.getTime()).toBeGreaterThan(Date.now()) // the next period, not the missed ones
  })

  it('runs a job marked everyInstance on each instance', async () => {
    const ran: string[] = []
    const a = startJobs([{ name: 'refresh-cache', everyMs: 200, everyInstance: true, run: async () => void ran.push('a') }], { log: t.services.log, clock: () => new Date(), pollMs: 20 })
    const b = startJobs([{ name: 'refresh-cache', everyMs: 200, everyInstance: true, run: async () => void ran.push('b') }], { log: t.services.log, clock: () => new Date(), pollMs: 20 })
    await sleep(1_000)
    await Promise.all([a.stop(), b.stop()])
    expect(ran.filter((x) => x === 'a').length).toBeGreaterThanOrEqual(3)
    expect(ran.filter((x) => x === 'b').length).toBeGreaterThanOrEqual(3)
  })
})
