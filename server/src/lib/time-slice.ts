import { performance } from 'node:perf_hooks'
import { setImmediate as nextTurn } from 'node:timers/promises'

/**
 * Lets the requests waiting on this process run between slices of a long loop. A job's loop over
 * a day's 40,000 active members ran in one piece and held every request back for over a second
 * (the bench's stall column); in slices of `ms` a request waits at most about that long.
 *
 *   const slice = new TimeSlice()
 *   for (const m of members) { if (slice.due) await slice.pause(); ... }
 */
export class TimeSlice {
  private started = performance.now()

  constructor(private readonly ms = 20) {}

  /** True once this slice has run its time: `await pause()` then. */
  get due(): boolean {
    return performance.now() - this.started >= this.ms
  }

  /** Gives way to whatever is waiting (timers, I/O, requests), then starts a new slice. */
  async pause(): Promise<void> {
    await nextTurn()
    this.started = performance.now()
  }
}
