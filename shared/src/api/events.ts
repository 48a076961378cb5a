import { z } from 'zod'

/** The analytics events of DESIGN.md (Analytics for operators), one name per step of the growth path. */
export const EVENT_NAMES = [
  'visit',
  'product_view',
  'share',
  'share_open',
  'register',
  'login',
  'phone_bound',
  'checkin',
  'group_open',
  'group_join',
  'payment',
  'group_success',
  'group_fail',
  'redemption',
  'invitation_reward',
  'level_up',
] as const
export type EventName = (typeof EVENT_NAMES)[number]

/** Events the mini-program reports itself; every other event is emitted by the server. */
export const ClientEventRequestSchema = z.strictObject({
  name: z.enum(['visit', 'product_view']),
  props: z.record(z.string().max(40), z.union([z.string().max(200), z.number(), z.boolean()])).optional(),
})
export type ClientEventRequest = z.infer<typeof ClientEventRequestSchema>
