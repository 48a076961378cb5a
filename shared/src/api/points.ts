import { z } from 'zod'
import { ObjectIdSchema } from './common'

export const PointsSummarySchema = z.object({
  available: z.number().int(),
  pending: z.number().int(),
  /** True after a clawback left the balance below zero: spending is blocked until repaid. */
  negative: z.boolean(),
  /** The next business day on which points expire, and how many. */
  nextExpiry: z.object({ points: z.number().int(), at: z.string(), day: z.string() }).nullable(),
})
export type PointsSummary = z.infer<typeof PointsSummarySchema>

export const LedgerQuerySchema = z.strictObject({
  /** The `nextCursor` of the previous page. */
  cursor: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
})
export type LedgerQuery = z.infer<typeof LedgerQuerySchema>

export const LedgerEntryViewSchema = z.object({
  id: z.string(),
  type: z.enum(['earn', 'spend', 'refund', 'expire', 'adjust', 'release', 'cancel', 'clawback']),
  source: z.string(),
  /** Change to the spendable balance (pending earnings show 0 here and in `pendingChange`). */
  amount: z.number().int(),
  pendingChange: z.number().int(),
  balance: z.number().int(),
  title: z.string(),
  at: z.string(),
})
export type LedgerEntryView = z.infer<typeof LedgerEntryViewSchema>

export const LedgerResponseSchema = z.object({ entries: z.array(LedgerEntryViewSchema), nextCursor: z.number().int().nullable() })
export type LedgerResponse = z.infer<typeof LedgerResponseSchema>

export const AdjustPointsRequestSchema = z.strictObject({
  userId: ObjectIdSchema,
  /** Positive credits, negative deducts; never zero. */
  amount: z.number().int().min(-1_000_000).max(1_000_000).refine((n) => n !== 0, 'must not be zero'),
  reason: z.string().trim().min(2).max(200),
  idempotencyKey: z.string().min(8).max(64),
})
export type AdjustPointsRequest = z.infer<typeof AdjustPointsRequestSchema>

/** What each source of points is called on the user's ledger. */
export const POINT_SOURCE_TITLES: Record<string, string> = {
  checkin: '每日签到',
  makeup: '补签',
  order: '购物奖励',
  review: '评价奖励',
  share: '分享奖励',
  invite: '邀请奖励',
  mall: '积分兑换',
  admin: '客服调整',
  expiry: '积分过期',
  assist: '助力奖励',
}
