import { z } from 'zod'

const LevelSchema = z.object({
  key: z.string(),
  name: z.string(),
  rank: z.number().int(),
  /** Price paid as a percentage of the price before the member discount. */
  priceRatePercent: z.number().int(),
  benefits: z.array(z.string()),
})

export const MembershipViewSchema = z.object({
  level: LevelSchema,
  growth: z.number().int(),
  next: z.object({ key: z.string(), name: z.string(), minGrowth: z.number().int(), growthNeeded: z.number().int() }).nullable(),
  levels: z.array(LevelSchema.extend({ minGrowth: z.number().int() })),
  /** Rolling retention: the member will move down one level on this date unless growth recovers. */
  downgradeWarning: z.object({ on: z.string(), windowDays: z.number().int() }).nullable(),
})
export type MembershipView = z.infer<typeof MembershipViewSchema>
