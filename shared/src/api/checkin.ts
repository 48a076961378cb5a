import { z } from 'zod'

export const CheckinMonthQuerySchema = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM').optional(),
})
export type CheckinMonthQuery = z.infer<typeof CheckinMonthQuerySchema>

export const MakeupRequestSchema = z.strictObject({ date: z.iso.date() })
export type MakeupRequest = z.infer<typeof MakeupRequestSchema>

export const ReminderRequestSchema = z.strictObject({
  enabled: z.boolean(),
  /** The subscribe-message template the user accepted in `wx.requestSubscribeMessage`. */
  templateId: z.string().min(1).max(64).optional(),
})
export type ReminderRequest = z.infer<typeof ReminderRequestSchema>

export const CheckinResultSchema = z.object({
  day: z.string(),
  cycleDay: z.number().int(),
  points: z.number().int(),
  bonus: z.number().int(),
  streak: z.number().int(),
  /** Set when the check-in counted but its reward was not paid: the rule's budget or a cap. */
  rewardRefused: z.enum(['BUDGET_EXHAUSTED', 'DAILY_CAP', 'WEEKLY_CAP', 'LIFETIME_CAP', 'IN_PROGRESS']).nullable(),
})
export type CheckinResult = z.infer<typeof CheckinResultSchema>

export const CheckinMonthSchema = z.object({
  month: z.string(),
  today: z.string(),
  checkedToday: z.boolean(),
  /** Days of the month checked in, with make-ups marked. */
  days: z.array(z.object({ day: z.string(), makeup: z.boolean() })),
  streak: z.number().int(),
  /** What the next check-in pays (today's if not yet checked in, else tomorrow's). */
  nextReward: z.object({ cycleDay: z.number().int(), points: z.number().int() }),
  /** Points of each day of the cycle: index 0 is day 1. */
  cycle: z.array(z.number().int()),
  /** Make-ups this month; `from` is the first day one may fill (the month's first, or the day the member registered). */
  makeup: z.object({ used: z.number().int(), allowed: z.number().int(), costPoints: z.number().int(), from: z.string() }),
  reminder: z.boolean(),
  /** The subscribe-message template to ask consent for (`Taro.requestSubscribeMessage`); null when not configured. */
  reminderTemplateId: z.string().nullable(),
})
export type CheckinMonth = z.infer<typeof CheckinMonthSchema>
