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
  ArrivalRequestSchema,
  NotReceivedRequestSchema,
  StaffCodeParamsSchema,
  StaffStockListQuerySchema,
} from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import { CODE_LOOKUPS } from '../../http/rate-limit'
import { Types } from 'mongoose'
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
    ['get', '/api/chains/:code/:day', endpoint({ reply: Replies.chain, access: 'public', rateLimit: CODE_LOOKUPS, params: ChainParamsSchema, query: ChainQuerySchema, handler: async ({ params, query }) => ({ chain: await s.orders.chain(params.code, params.day, query.products?.split(',').filter((p) => z.string().regex(/^[0-9a-f]{24}$/).safeParse(p).success)) }) })],
    [
      'get',
      '/api/leader/codes/:code',
      endpoint({
        reply: Replies.staffCode,
        access: ['leader'],
        params: StaffCodeParamsSchema,
        handler: async ({ actor, params }) => {
          const preview = await s.orders.pickupPreview(actor, params.code, undefined, true)
          if (!preview) throw new AppError('CODE_UNKNOWN')
          return { preview }
        },
      }),
    ],
    ['get', '/api/admin/pick-list', endpoint({ reply: Replies.pickList, access: { console: 'orders' }, query: StockListQuerySchema, handler: async ({ query }) => ({ pickList: await s.orders.pickList(query.day) }) })],
    ['get', '/api/leader/stock-list', endpoint({ reply: Replies.stockList, access: ['leader'], query: StockListQuerySchema, handler: async ({ actor, query }) => ({ stockList: await s.orders.stockList({ kind: 'leader', id: new Types.ObjectId(actor.userId) }, query.day) }) })],
    ['post', '/api/leader/arrivals', endpoint({ reply: Replies.arrival, access: ['leader'], body: ArrivalRequestSchema.omit({ storeId: true }), handler: async ({ actor, body }) => ({ arrival: await s.orders.confirmArrival(actor, body, 'leader') }) })],
    ['get', '/api/staff/stock-list', endpoint({ reply: Replies.stockList, access: ['staff'], query: StaffStockListQuerySchema, handler: async ({ actor, query }) => ({ stockList: await s.orders.storeStockList(actor, query.day, query.storeId) }) })],
    ['post', '/api/staff/arrivals', endpoint({ reply: Replies.arrival, access: ['staff'], body: ArrivalRequestSchema, handler: async ({ actor, body }) => ({ arrival: await s.orders.confirmArrival(actor, body, 'staff') }) })],
    [
      'post',
      '/api/leader/orders/:id/not-received',
      endpoint({ reply: Replies.order, access: ['leader'], params: IdParamsSchema, body: NotReceivedRequestSchema, handler: async ({ actor, params, body }) => ({ order: await s.orders.refundNotReceived(actor.userId, params.id, body.lines, body.idempotencyKey) }) }),
    ],
  ]
}
