import { ClientEventRequestSchema } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import { CLIENT_EVENTS } from '../../http/rate-limit'
import type { Services } from '../../services'

/** The mini-program reports visits and product views; signed-in or not. */
export function eventsRoutes(s: Services): RouteTable {
  return [
    [
      'post',
      '/api/events',
      endpoint({ reply: 'empty',
        access: 'public',
        rateLimit: CLIENT_EVENTS,
        body: ClientEventRequestSchema,
        handler: async ({ body, actor }) => {
          await s.events.track({ ...body, userId: actor?.userId, at: s.clock() })
        },
      }),
    ],
  ]
}
