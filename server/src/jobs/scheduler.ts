import { randomUUID } from 'node:crypto'
import type { Logger } from '../logger'
import { releaseLease, tryTakeLease } from '../core/lease'

export interface Job {
  name: string
  everyMs: number
  /** Also run shortly after start-up (figures a fresh deploy should not wait a whole period for). */
  runAtStart?: boolean
  run(now: Date): Promise<unknown>
}

const START_DELAY_MS = 5_000

/**
 * Runs each job every `everyMs` on whichever instance takes its lease first. A run that crashes
 * leaves its lease to expire, and the next tick anywhere picks the work up again.
 */
export function startJobs(jobs: Job[], opts: { log: Logger; clock: () => Date }) {
  const owner = `${process.pid}-${randomUUID().slice(0, 8)}`
  const running = new Set<Promise<void>>()
  const timers = jobs.map((job) => {
    // A run longer than the period is not joined by the next tick here (the lease lets its owner
    // renew it, so it would not stop that): overlapping runs would do the same work over and over.
    let busy = false
    const tick = () => {
      if (busy) return
      busy = true
      const p = runOnce(job, owner, opts).finally(() => {
        busy = false
        running.delete(p)
      })
      running.add(p)
    }
    const timer = setInterval(tick, job.everyMs)
    timer.unref()
    const first = job.runAtStart ? setTimeout(tick, START_DELAY_MS) : null
    first?.unref()
    return { timer, first }
  })
  return {
    /** Stops scheduling and waits for runs in progress. */
    async stop() {
      for (const t of timers) {
        clearInterval(t.timer)
        if (t.first) clearTimeout(t.first)
      }
      await Promise.allSettled([...running])
    },
  }
}

async function runOnce(job: Job, owner: string, { log, clock }: { log: Logger; clock: () => Date }) {
  try {
    if (!(await tryTakeLease(job.name, owner, Math.max(job.everyMs, 60_000), clock()))) return
    const result = await job.run(clock())
    await releaseLease(job.name, owner, clock())
    log.debug({ job: job.name, result }, 'job ran')
  } catch (err) {
    log.error({ err, job: job.name }, 'job failed')
  }
}
