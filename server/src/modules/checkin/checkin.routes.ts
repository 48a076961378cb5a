import { CheckinMonthQuerySchema, MakeupRequestSchema, ReminderRequestSchema, Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'

export function checkinRoutes(s: Services): RouteTable {
  return [
    ['post', '/api/checkins', endpoint({ reply: Replies.checkin, access: 'signed-in', status: 201, handler: async ({ actor }) => ({ checkin: await s.checkin.checkIn(actor.userId) }) })],
    ['get', '/api/checkins', endpoint({ reply: Replies.checkinMonth, access: 'signed-in', query: CheckinMonthQuerySchema, handler: ({ actor, query }) => s.checkin.month(actor.userId, query.month) })],
    [
      'post',
      '/api/checkins/makeup',
      endpoint({ reply: Replies.checkin,
        access: 'signed-in',
        body: MakeupRequestSchema,
        status: 201,
        handler: async ({ actor, body }) => ({ checkin: await s.checkin.makeup(actor.userId, body.date) }),
      }),
    ],
    [
      'post',
      '/api/checkins/reminder',
      endpoint({ reply: Replies.reminder, access: 'signed-in', body: ReminderRequestSchema, handler: ({ actor, body }) => s.checkin.setReminder(actor.userId, body) }),
    ],
  ]
}
