import { NoticeListQuerySchema, Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'

export function notificationsRoutes(s: Services): RouteTable {
  return [
    ['get', '/api/notices', endpoint({ reply: Replies.notices, access: 'signed-in', query: NoticeListQuerySchema, handler: ({ actor, query }) => s.notifications.list(actor.userId, query.before) })],
    ['get', '/api/notices/unread', endpoint({ reply: Replies.noticesUnread, access: 'signed-in', handler: async ({ actor }) => ({ unread: await s.notifications.unreadCount(actor.userId) }) })],
    ['post', '/api/notices/read', endpoint({ reply: Replies.noticesUnread, access: 'signed-in', handler: ({ actor }) => s.notifications.markAllRead(actor.userId) })],
    ['post', '/api/notices/consents', endpoint({ reply: Replies.noticeConsents, access: 'signed-in', handler: ({ actor }) => s.notifications.addConsent(actor.userId) })],
  ]
}
