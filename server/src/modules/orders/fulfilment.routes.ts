import {
  AfterSaleListQuerySchema,
  AfterSaleQuoteQuerySchema,
  AfterSaleRequestSchema,
  ApproveAfterSaleRequestSchema,
  ChainParamsSchema,
  ChainQuerySchema,
  IdParamsSchema,
  RejectAfterSaleRequestSchema,
  Replies,
  ShortageRequestSchema,
  StockListQuerySchema,
} from '@xianlin/shared'
import { z } from 'zod'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'

/**
 * Fulfilment and after-sale (DESIGN.md): the shopper's 售后, the operators' queue and 缺货, the
 * leader's 接龙 (public: a share card opens it; names are masked) and their point's requests.
 */
export function fulfilmentRoutes(s: Services): RouteTable {
  return [
    ['get', '/api/orders/:id/after-sales/quote', endpoint({ reply: Replies.afterSaleQuote, access: 'signed-in', params: IdParamsSchema, query: AfterSaleQuoteQuerySchema, handler: async ({ actor, params, query }) => ({ quote: await s.orders.afterSaleQuote(actor.userId, params.id, query.line, query.quantity) }) })],
    ['post', '/api/orders/:id/after-sales', endpoint({ reply: Replies.afterSale, access: 'signed-in', status: 201, params: IdParamsSchema, body: AfterSaleRequestSchema, handler: async ({ actor, params, body }) => ({ afterSale: await s.orders.requestAfterSale(actor.userId, params.id, body) }) })],
    ['get', '/api/after-sales', endpoint({ reply: Replies.afterSales, access: 'signed-in', handler: async ({ actor }) => ({ afterSales: await s.orders.myAfterSales(actor.userId) }) })],
    ['get', '/api/admin/after-sales', endpoint({ reply: Replies.afterSales, access: { console: 'refunds' }, query: AfterSaleListQuerySchema, handler: async ({ query }) => ({ afterSales: await s.orders.afterSaleQueue({ state: query.state }) }) })],
    ['post', '/api/admin/after-sales/:id/approve', endpoint({ reply: Replies.afterSale, access: { console: 'refunds' }, params: IdParamsSchema, body: ApproveAfterSaleRequestSchema, handler: async ({ actor, params, body }) => ({ afterSale: await s.orders.approveAfterSale({ operatorId: actor.operatorId }, params.id, body.fen) }) })],
    ['post', '/api/admin/after-sales/:id/reject', endpoint({ reply: Replies.afterSale, access: { console: 'refunds' }, params: IdParamsSchema, body: RejectAfterSaleRequestSchema, handler: async ({ actor, params, body }) => ({ afterSale: await s.orders.rejectAfterSale(actor.operatorId, params.id, body.reason) }) })],
    ['get', '/api/leader/after-sales', endpoint({ reply: Replies.afterSales, access: ['leader'], query: AfterSaleListQuerySchema, handler: async ({ actor, query }) => ({ afterSales: await s.orders.afterSaleQueue({ state: query.state, leaderId: actor.userId }) }) })],
    ['post', '/api/leader/after-sales/:id/approve', endpoint({ reply: Replies.afterSale, access: ['leader'], params: IdParamsSchema, body: ApproveAfterSaleRequestSchema, handler: async ({ actor, params, body }) => ({ afterSale: await s.orders.approveAfterSale({ leaderId: actor.userId }, params.id, body.fen) }) })],
    ['post', '/api/admin/shortages', endpoint({ reply: Replies.shortage, access: { console: 'refunds' }, status: 201, body: ShortageRequestSchema, handler: async ({ actor, body }) => ({ shortage: await s.orders.markShortage(actor.operatorId, body) }) })],
    ['get', '/api/admin/shortages', endpoint({ reply: Replies.shortages, access: { console: 'refunds' }, query: StockListQuerySchema, handler: async ({ query }) => ({ shortages: await s.orders.shortagesOf(query.day) }) })],
    ['get', '/api/chains/:code/:day', endpoint({ reply: Replies.chain, access: 'public', params: ChainParamsSchema, query: ChainQuerySchema, handler: async ({ params, query }) => ({ chain: await s.orders.chain(params.code, params.day, query.products?.split(',').filter((p) => z.string().regex(/^[0-9a-f]{24}$/).safeParse(p).success)) }) })],
  ]
}
