import { AssignStaffRequestSchema, CreateStoreRequestSchema, UserIdParamsSchema, Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import { assignStaff, listStores, upsertStore } from './stores.service'
import type { Services } from '../../services'

export function storesRoutes(s: Services): RouteTable {
  return [
    ['get', '/api/stores', endpoint({ reply: Replies.stores, access: 'public', handler: async () => ({ stores: await listStores() }) })],
    [
      'post',
      '/api/admin/stores',
      endpoint({ reply: Replies.store, access: { console: 'stores' }, body: CreateStoreRequestSchema, status: 201, handler: async ({ body }) => ({ store: await upsertStore(body) }) }),
    ],
    [
      'put',
      '/api/admin/staff/:userId',
      endpoint({
        reply: Replies.staffAssigned,
        access: { console: 'stores' },
        params: UserIdParamsSchema,
        body: AssignStaffRequestSchema,
        handler: async ({ params, body }) => {
          const user = await assignStaff(params.userId, body.storeIds, body.position)
          s.authority.forget(params.userId)
          return { user }
        },
      }),
    ],
  ]
}
