import { z } from 'zod'

/** The key figures of one business day (运营后台 → 概览). */
export const DayFiguresSchema = z.object({
  day: z.string(),
  newMembers: z.number().int(),
  checkins: z.number().int(),
  paidOrders: z.number().int(),
  paidFen: z.number().int(),
  groupsSucceeded: z.number().int(),
  redemptions: z.number().int(),
})
export type DayFigures = z.infer<typeof DayFiguresSchema>

export const OverviewQuerySchema = z.strictObject({ days: z.coerce.number().int().min(2).max(31).default(14) })
export type OverviewQuery = z.infer<typeof OverviewQuerySchema>

/** Oldest day first; the last is today, the one before it yesterday. */
export const OverviewSchema = z.object({ timeZone: z.string(), days: z.array(DayFiguresSchema) })
export type Overview = z.infer<typeof OverviewSchema>

/** 概览 trend (#16): per business day, from the event rollups. */
export const GrowthTrendSchema = z.object({
  from: z.string(),
  to: z.string(),
  days: z.array(
    z.object({
      day: z.string(),
      dau: z.number().int(),
      wau: z.number().int(),
      mau: z.number().int(),
      newMembers: z.number().int(),
      payingMembers: z.number().int(),
      paidFen: z.number().int(),
      averageOrderFen: z.number().int(),
    }),
  ),
})
export type GrowthTrend = z.infer<typeof GrowthTrendSchema>
const DaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 YYYY-MM-DD')
export const GrowthTrendQuerySchema = z
  .strictObject({ from: DaySchema, to: DaySchema })
  .refine((q) => q.from <= q.to, { message: '开始日期不能晚于结束日期', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= 92, { message: '一次最多查询 93 天', path: ['to'] })
