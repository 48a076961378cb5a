import { ClientEventRequestSchema } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'

/** The mini-program reports visits and product views; signed-in or not. */
export function eventsRoutes(s: Services): RouteTable {
  return [
    [
      'post',
      '/api/events',
      endpoint({
        access: 'public',
        body: ClientEventRequestSchema,
        handler: async ({ body, actor }) => {
          await s.events.track({ userId: actor?.userId, name: body.name, props: body.props, at: s.clock() })
        },
      }),
    ],
  ]
}
