import type { Refund } from '../../wechat/pay/pay-client'

/** How often a refund is asked about before operators take over. */
export const MAX_REFUND_ATTEMPTS = 8
const MINUTE = 60_000

/**
 * What an order's refund status becomes after WeChat Pay answered (or failed to answer) a refund
 * request, and when to ask again. SUCCESS finishes the refund. PROCESSING and failures are asked
 * again after 1, 2, 4 … minutes (at most 6 hours apart), up to `MAX_REFUND_ATTEMPTS` times, then
 * the refund is left to operators (`GAVE_UP`). ABNORMAL (the shopper's account cannot take it)
 * and CLOSED are WeChat's final word: operators settle them, nothing is retried.
 */
export function nextRefundStep(answer: Refund['status'] | 'ERROR', attemptsBefore: number, now: Date): { status: string; attempts: number; nextAt: Date | null } {
  const attempts = attemptsBefore + 1
  if (answer === 'SUCCESS' || answer === 'ABNORMAL' || answer === 'CLOSED') return { status: answer, attempts, nextAt: null }
  if (attempts >= MAX_REFUND_ATTEMPTS) return { status: 'GAVE_UP', attempts, nextAt: null }
  return { status: answer, attempts, nextAt: new Date(now.getTime() + Math.min(360, 2 ** (attempts - 1)) * MINUTE) }
}
