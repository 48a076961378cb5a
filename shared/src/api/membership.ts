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

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
/** 生日 (month and day; the year is not asked): for the birthday perk. */
export const BirthdayRequestSchema = z
  .strictObject({ month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(31) })
  .refine((b) => b.day <= DAYS_IN_MONTH[b.month - 1]!, { message: '没有这一天', path: ['day'] })
export const BirthdayViewSchema = z.object({
  birthday: z.object({ month: z.number().int(), day: z.number().int() }).nullable(),
  /** When it may be changed again (once a year); null when it may be changed now. */
  changeableFrom: z.string().nullable(),
})
export type BirthdayView = z.infer<typeof BirthdayViewSchema>
