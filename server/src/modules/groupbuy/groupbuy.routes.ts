import { AdminActivityQuerySchema, PageQuerySchema, CreateActivityRequestSchema, IdParamsSchema, UpdateActivityRequestSchema, Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'

export function groupbuyRoutes(s: Services): RouteTable {
  return [
    ['get', '/api/groupbuys', endpoint({ reply: Replies.activities, access: 'public', handler: async () => ({ activities: await s.groupbuy.listActivities() }) })],
    ['get', '/api/groupbuys/:id', endpoint({ reply: Replies.activity, access: 'public', params: IdParamsSchema, handler: async ({ params }) => ({ activity: await s.groupbuy.activityDetail(params.id) }) })],
    ['get', '/api/groups/:id', endpoint({ reply: Replies.group, access: 'public', params: IdParamsSchema, handler: async ({ params, actor }) => ({ group: await s.groupbuy.groupView(params.id, actor?.userId ?? null) }) })],
    ['get', '/api/admin/groupbuys', endpoint({ reply: Replies.adminActivities, access: { console: 'activities' }, query: AdminActivityQuerySchema, handler: ({ query }) => s.groupbuy.adminActivities(query) })],
    [
      'get',
      '/api/admin/groupbuys/:id/groups',
      endpoint({ reply: Replies.adminGroups, access: { console: 'activities' }, params: IdParamsSchema, query: PageQuerySchema, handler: ({ params, query }) => s.groupbuy.adminGroups(params.id, query) }),
    ],
    ['post', '/api/admin/groupbuys', endpoint({ reply: Replies.activity, access: { console: 'activities' }, body: CreateActivityRequestSchema, status: 201, handler: async ({ body }) => ({ activity: await s.groupbuy.createActivity(body) }) })],
    [
      'patch',
      '/api/admin/groupbuys/:id',
      endpoint({ reply: Replies.activity, access: { console: 'activities' }, params: IdParamsSchema, body: UpdateActivityRequestSchema, handler: async ({ params, body }) => ({ activity: await s.groupbuy.updateActivity(params.id, body) }) }),
    ],
  ]
}
