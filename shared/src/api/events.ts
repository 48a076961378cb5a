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
  'solo_order',
  'payment',
  'group_success',
  'group_fail',
  'redemption',
  'invitation_reward',
  'level_up',
] as const
export type EventName = (typeof EVENT_NAMES)[number]

/**
 * Events the mini-program reports itself, each with exactly its properties; every other event is
 * emitted by the server. Nothing else is stored from an anonymous caller.
 */
export const ClientEventRequestSchema = z.discriminatedUnion('name', [
  z.strictObject({
    name: z.literal('visit'),
    props: z.strictObject({
      page: z.string().regex(/^[a-z][a-z0-9_/-]{0,59}$/, 'a page path'),
      scene: z.string().max(64).optional(),
      channel: z.enum(['invite', 'share', 'poster', 'leader', 'organic']).optional(),
    }),
  }),
  z.strictObject({ name: z.literal('product_view'), props: z.strictObject({ productId: z.string().regex(/^[0-9a-f]{24}$/, 'a product id') }) }),
])
export type ClientEventRequest = z.infer<typeof ClientEventRequestSchema>
