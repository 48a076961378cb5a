import { CopySessionDayRequestSchema, IdParamsSchema, Replies, SessionCalendarQuerySchema, SessionDayParamsSchema, SetSessionDayRequestSchema } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'
import { recordAudit } from '../audit/audit.service'

/** 运营后台 → 团期: sessions at a glance, a product's calendar, a day set or copied forward (audited). */
export function sessionsRoutes(s: Services): RouteTable {
  const audited = async (action: string, productId: string, day: string, details: Record<string, unknown>) =>
    recordAudit({ actorId: null, action, targetType: 'product', targetId: productId, outcome: 'updated', details: { day, ...details }, at: s.clock() })
  return [
    ['get', '/api/admin/sessions', endpoint({ reply: Replies.sessionGlance, access: { console: 'catalogue' }, handler: () => s.sessionCalendar.glance() })],
    [
      'get',
      '/api/admin/products/:id/sessions',
      endpoint({ reply: Replies.sessionCalendar, access: { console: 'catalogue' }, params: IdParamsSchema, query: SessionCalendarQuerySchema, handler: ({ params, query }) => s.sessionCalendar.view(params.id, query.from, query.days) }),
    ],
    [
      'put',
      '/api/admin/products/:id/sessions/:day',
      endpoint({
        reply: Replies.sessionCalendar,
        access: { console: 'catalogue' },
        params: SessionDayParamsSchema,
        body: SetSessionDayRequestSchema,
        handler: async ({ params, body }) => {
          const calendar = await s.sessionCalendar.set(params.id, params.day, body)
          await audited('session.set', params.id, params.day, { after: calendar.days[0] })
          return calendar
        },
      }),
    ],
    [
      'post',
      '/api/admin/products/:id/sessions/:day/copy',
      endpoint({
        reply: Replies.sessionCalendar,
        access: { console: 'catalogue' },
        params: SessionDayParamsSchema,
        body: CopySessionDayRequestSchema,
        handler: async ({ params, body }) => {
          const calendar = await s.sessionCalendar.copy(params.id, params.day, body.days)
          await audited('session.copy', params.id, params.day, { days: body.days })
          return calendar
        },
      }),
    ],
  ]
}
