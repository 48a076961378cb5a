import { Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import { AppError } from '../../core/app-error'
import { pingDatabase } from '../../db/connection'

/** `/healthz`: the process answers. `/readyz`: and its database does too (for load balancers). */
export function healthRoutes(): RouteTable {
  return [
    ['get', '/healthz', endpoint({ reply: Replies.health, access: 'public', handler: () => ({ status: 'ok' as const }) })],
    [
      'get',
      '/readyz',
      endpoint({ reply: Replies.ready,
        access: 'public',
        handler: async () => {
          const database = await pingDatabase()
          if (!database) throw new AppError('SERVICE_UNAVAILABLE', '数据库未就绪')
          return { status: 'ready' as const, database }
        },
      }),
    ],
  ]
}
