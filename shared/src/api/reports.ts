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
