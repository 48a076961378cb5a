import { performance } from 'node:perf_hooks'
import { randomUUID } from 'node:crypto'
import type { Logger } from '../logger'
import { isDuplicateKeyError } from '../db/errors'
import { JobScheduleModel, type JobSchedule } from './job-schedule.model'

export interface Job {
  name: string
  /** The period, in the clock's time. */
  everyMs: number
  /** Also run shortly after an instance starts (figures a fresh deploy should not wait a whole period for). */
  runAtStart?: boolean
  /**
   * Runs on every instance on its own, every `everyMs` of real time (a cache each instance keeps,
   * such as the rules: how fresh a copy is does not depend on the business clock), not once for all.
   */
  everyInstance?: boolean
  run(now: Date): Promise<unknown>
}

export interface SchedulerOptions {
  log: Logger
  /** The clock periods, due times and leases are measured in (the services'). */
  clock: () => Date
  /** How often this instance looks for due runs, in real milliseconds. */
  pollMs?: number
  /** How long a taken run is held without renewal, in the clock's time; a crashed run is taken over after it. */
  leaseMs?: number
  /** How often a run in progress renews its lease, in real milliseconds (well inside `leaseMs`). */
  renewMs?: number
  /** Told of each run on this instance: how long it took and whether it failed (`/metrics`). */
  onRun?: (job: string, seconds: number, failed: boolean) => void
}

const START_DELAY_MS = 5_000

/**
 * Runs each shared job once per period across any number of instances. The next due time of each
 * job lives in the database (`job_schedule`); an instance takes a due run by a guarded update
 * (due time unchanged, no live lease), renews its lease while the run works, and on finishing
 * moves the due time on by a period (skipping periods missed while no instance ran). A crashed run
 * keeps its due time, and another instance takes it over once the lease lapses. Jobs marked
 * `everyInstance` run on each instance on a timer of their own.
 */
export function startJobs(jobs: Job[], opts: SchedulerOptions) {
  const { log, clock } = opts
  const pollMs = opts.pollMs ?? 1_000
  const leaseMs = opts.leaseMs ?? 60_000
  const renewMs = opts.renewMs ?? 10_000
  const owner = `${process.pid}-${randomUUID().slice(0, 8)}`
  const shared = jobs.filter((j) => !j.everyInstance)
  const local = jobs.filter((j) => j.everyInstance)
  const byName = new Map(jobs.map((j) => [j.name, j]))
  const busy = new Set<string>()
  const running = new Set<Promise<void>>()
  let stopped = false

  // Each job's schedule exists once; a job run at start is due soon on every start. Made by the
  // first poll (and again by the next if the database was away), so a failure is never unhandled.
  let scheduled = false
  const began = clock().getTime()
  async function ensureSchedules(): Promise<void> {
    if (scheduled) return
    for (const j of shared) {
      try {
        await JobScheduleModel.updateOne(
          { _id: j.name },
          j.runAtStart ? { $min: { dueAt: new Date(began + START_DELAY_MS) }, $setOnInsert: { leaseUntil: new Date(0) } } : { $setOnInsert: { dueAt: new Date(began + j.everyMs), leaseUntil: new Date(0) } },
          { upsert: true },
        )
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err // another instance made it at the same moment
      }
    }
    scheduled = true
  }

  async function runShared(job: Job, due: Date): Promise<void> {
    const runId = randomUUID()
    const startedAt = clock()
    const taken = await JobScheduleModel.findOneAndUpdate(
      { _id: job.name, dueAt: due, leaseUntil: { $lte: startedAt } },
      { $set: { owner, runId, leaseUntil: new Date(startedAt.getTime() + leaseMs), startedAt } },
      { new: true },
    ).lean()
    if (!taken) return // another instance took it
    const renew = setInterval(() => {
      JobScheduleModel.updateOne({ _id: job.name, runId }, { $set: { leaseUntil: new Date(clock().getTime() + leaseMs) } }).then(
        (r) => r.matchedCount === 0 && log.warn({ job: job.name }, 'job lease lost while running'),
        (err: unknown) => log.warn({ err, job: job.name }, 'job lease not renewed'),
      )
    }, renewMs)
    const error = await attempt(job, startedAt).finally(() => clearInterval(renew))
    const finishedAt = clock()
    // The next period after this due time that is still ahead; a failed run is tried again within a minute.
    const periods = Math.max(1, Math.ceil((finishedAt.getTime() - due.getTime() + 1) / job.everyMs))
    const next = error ? new Date(finishedAt.getTime() + Math.min(job.everyMs, 60_000)) : new Date(due.getTime() + periods * job.everyMs)
    await JobScheduleModel.updateOne(
      { _id: job.name, runId },
      { $set: { dueAt: next, owner: null, runId: null, leaseUntil: new Date(0), lastRunAt: finishedAt, lastDurationMs: finishedAt.getTime() - startedAt.getTime(), lastError: error ? String(error instanceof Error ? error.message : error) : null }, $inc: { runs: 1, failures: error ? 1 : 0 } },
    )
    log.debug({ job: job.name, owner, startedAt, finishedAt, failed: error !== null }, 'job ran')
  }

  async function runLocal(job: Job): Promise<void> {
    await attempt(job, clock())
  }

  /** Runs `job` once; what it threw (logged), or null. */
  async function attempt(job: Job, now: Date): Promise<unknown> {
    const started = performance.now()
    try {
      await job.run(now)
      opts.onRun?.(job.name, (performance.now() - started) / 1000, false)
      return null
    } catch (err) {
      opts.onRun?.(job.name, (performance.now() - started) / 1000, true)
      log.error({ err, job: job.name }, 'job failed')
      return err
    }
  }

  /** Runs `work` as job `name`'s run on this instance; a run never rejects (the database may be down meanwhile). */
  const start = (name: string, work: () => Promise<void>) => {
    busy.add(name)
    const p = work()
      .catch((err: unknown) => log.warn({ err, job: name }, 'job run not completed'))
      .finally(() => {
        busy.delete(name)
        running.delete(p)
      })
    running.add(p)
  }

  const localTimers = local.flatMap((job) => {
    const tick = () => !busy.has(job.name) && !stopped && start(job.name, () => runLocal(job))
    const timers = [setInterval(tick, job.everyMs), ...(job.runAtStart ? [setTimeout(tick, START_DELAY_MS)] : [])]
    for (const t of timers) t.unref()
    return timers
  })

  async function poll(): Promise<void> {
    await ensureSchedules()
    const now = clock()
    if (!shared.length) return
    // One read for every due job whose lease is free; each is then taken by its own guarded update.
    const due = await JobScheduleModel.find({ _id: { $in: shared.map((j) => j.name) }, dueAt: { $lte: now }, leaseUntil: { $lte: now } }, { _id: 1, dueAt: 1 }).lean<Array<Pick<JobSchedule, '_id' | 'dueAt'>>>()
    for (const d of due) {
      if (busy.has(d._id) || stopped) continue
      start(d._id, () => runShared(byName.get(d._id)!, d.dueAt))
    }
  }

  let polling = false
  const timer = setInterval(() => {
    if (polling || stopped) return
    polling = true
    poll()
      .catch((err: unknown) => log.warn({ err }, 'jobs not polled'))
      .finally(() => (polling = false))
  }, pollMs)
  timer.unref()

  return {
    owner,
    /** Stops taking runs and waits for those in progress. */
    async stop() {
      stopped = true
      clearInterval(timer)
      for (const t of localTimers) clearTimeout(t)
      await Promise.allSettled([...running])
    },
  }
}
