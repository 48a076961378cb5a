import { TimeSlice } from './time-slice'

/** Busy work for about `ms` milliseconds: a loop that never awaits. */
const busy = (ms: number) => {
  const until = Date.now() + ms
  while (Date.now() < until);
}

describe('a time slice', () => {
  it('lets a waiting timer run during a long loop, not only after it', async () => {
    const order: string[] = []
    setTimeout(() => order.push('timer'), 0)
    const slice = new TimeSlice(10)
    for (let i = 0; i < 20; i++) {
      if (slice.due) await slice.pause()
      busy(5)
      order.push(`step ${i}`)
    }
    const timerAt = order.indexOf('timer')
    expect(timerAt).toBeGreaterThan(0)
    expect(timerAt).toBeLessThan(order.length - 1)
  })

  it('is not due before its time has run', () => {
    const slice = new TimeSlice(1000)
    expect(slice.due).toBe(false)
  })
})
