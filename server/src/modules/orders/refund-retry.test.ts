import { MAX_REFUND_ATTEMPTS, nextRefundStep } from './refund-retry'

const now = new Date('2026-11-23T04:00:00Z')
const minutesLater = (d: Date | null) => (d ? (d.getTime() - now.getTime()) / 60_000 : null)

describe('nextRefundStep', () => {
  it.each([
    ['SUCCESS', 0, 'SUCCESS', null],
    ['ABNORMAL', 0, 'ABNORMAL', null],
    ['CLOSED', 3, 'CLOSED', null],
    ['PROCESSING', 0, 'PROCESSING', 1],
    ['PROCESSING', 1, 'PROCESSING', 2],
    ['ERROR', 4, 'ERROR', 16],
    ['PROCESSING', MAX_REFUND_ATTEMPTS - 1, 'GAVE_UP', null],
  ] as const)('%s after %i attempts → %s, next in %s min', (answer, before, status, next) => {
    const step = nextRefundStep(answer, before, now)
    expect([step.status, step.attempts, minutesLater(step.nextAt)]).toEqual([status, before + 1, next])
  })
})
