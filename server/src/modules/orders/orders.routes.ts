import { AdminOrderQuerySchema, QuoteRequestSchema, CheckoutRequestSchema, IdParamsSchema, OrderListQuerySchema, PickupRequestSchema, Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'

export function ordersRoutes(s: Services): RouteTable {
  return [
    ['post', '/api/orders/quote', endpoint({ reply: Replies.quote, access: 'signed-in', body: QuoteRequestSchema, handler: ({ actor, body }) => s.orders.quote(actor.userId, body) })],
    ['post', '/api/orders', endpoint({ reply: Replies.checkout, access: 'signed-in', body: CheckoutRequestSchema, status: 201, handler: ({ actor, body }) => s.orders.checkout(actor.userId, body) })],
    ['get', '/api/orders', endpoint({ reply: Replies.orders, access: 'signed-in', query: OrderListQuerySchema, handler: async ({ actor, query }) => ({ orders: await s.orders.list(actor.userId, query.state) }) })],
    ['get', '/api/orders/:id', endpoint({ reply: Replies.order, access: 'signed-in', params: IdParamsSchema, handler: async ({ actor, params }) => ({ order: await s.orders.get(actor.userId, params.id) }) })],
    ['post', '/api/orders/:id/payment', endpoint({ reply: Replies.checkout, access: 'signed-in', params: IdParamsSchema, handler: ({ actor, params }) => s.orders.payment(actor.userId, params.id) })],
    // Development only (404 otherwise): H5 has no WeChat wallet, so the fake Pay server plays it.
    ['post', '/api/dev/pay/:id', endpoint({ reply: Replies.order, access: 'signed-in', params: IdParamsSchema, handler: async ({ actor, params }) => ({ order: await s.orders.devPay(actor.userId, params.id) }) })],
    ['get', '/api/admin/orders', endpoint({ reply: Replies.adminOrders, access: { console: 'orders' }, query: AdminOrderQuerySchema, handler: ({ query }) => s.orders.search(query) })],
    // Operators: payments WeChat reported that did not match their orders.
    ['get', '/api/admin/refund-issues', endpoint({ reply: Replies.refundIssues, access: { console: 'refunds' }, handler: async () => ({ refunds: await s.orders.refundIssues() }) })],
    ['get', '/api/admin/payment-anomalies', endpoint({ reply: Replies.paymentAnomalies, access: { console: 'refunds' }, handler: async () => ({ anomalies: await s.orders.anomalies() }) })],
    ['post', '/api/staff/pickups', endpoint({ reply: Replies.order, access: ['staff'], body: PickupRequestSchema, handler: async ({ actor, body }) => ({ order: await s.orders.pickup(actor, body) }) })],
  ]
}
