import {
  CreateMallItemRequestSchema,
  IdParamsSchema,
  MallItemQuerySchema,
  RedeemRequestSchema,
  StaffCodeParamsSchema,
  StaffCodeQuerySchema,
  StaffHistoryQuerySchema,
  StaffRedeemRequestSchema,
  businessDay,
  UpdateMallItemRequestSchema,
  VoucherListQuerySchema, PageQuerySchema, Replies } from '@xianlin/shared'
import { z } from 'zod'
import { AppError } from '../../core/app-error'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'

const CodeParamsSchema = z.strictObject({ code: z.string().regex(/^[0-9A-Z-]{8,20}$/) })

export function mallRoutes(s: Services): RouteTable {
  return [
    ['get', '/api/mall/items', endpoint({ reply: Replies.mallItems, access: 'public', query: MallItemQuerySchema, handler: async ({ actor, query }) => ({ items: await s.mall.listItems(actor?.userId, query) }) })],
    ['get', '/api/mall/items/:id', endpoint({ reply: Replies.mallItem, access: 'public', params: IdParamsSchema, handler: async ({ params }) => ({ item: await s.mall.getItem(params.id) }) })],
    [
      'post',
      '/api/mall/items/:id/redeem',
      endpoint({ reply: Replies.voucher,
        access: 'signed-in',
        params: IdParamsSchema,
        body: RedeemRequestSchema,
        status: 201,
        handler: async ({ actor, params, body }) => ({ voucher: await s.mall.redeem(actor.userId, params.id, body.idempotencyKey) }),
      }),
    ],
    ['get', '/api/vouchers', endpoint({ reply: Replies.vouchers, access: 'signed-in', query: VoucherListQuerySchema, handler: async ({ actor, query }) => ({ vouchers: await s.mall.listVouchers(actor.userId, query.state) }) })],
    ['get', '/api/vouchers/:code', endpoint({ reply: Replies.voucher, access: 'signed-in', params: CodeParamsSchema, handler: async ({ actor, params }) => ({ voucher: await s.mall.getVoucher(actor.userId, params.code) }) })],
    [
      'post',
      '/api/vouchers/:code/cancel',
      endpoint({ reply: Replies.voucher, access: 'signed-in', params: CodeParamsSchema, handler: async ({ actor, params }) => ({ voucher: await s.mall.cancel(actor.userId, params.code) }) }),
    ],
    ['get', '/api/admin/mall/items', endpoint({ reply: Replies.adminMallItems, access: { console: 'mall' }, query: PageQuerySchema, handler: ({ query }) => s.mall.adminItems(query) })],
    ['post', '/api/admin/mall/items', endpoint({ reply: Replies.mallItem, access: { console: 'mall' }, body: CreateMallItemRequestSchema, status: 201, handler: async ({ body }) => ({ item: await s.mall.createItem(body) }) })],
    [
      'patch',
      '/api/admin/mall/items/:id',
      endpoint({ reply: Replies.mallItem, access: { console: 'mall' }, params: IdParamsSchema, body: UpdateMallItemRequestSchema, handler: async ({ params, body }) => ({ item: await s.mall.updateItem(params.id, body) }) }),
    ],
    ['post', '/api/staff/redemptions', endpoint({ reply: Replies.staffRedemption, access: ['staff'], body: StaffRedeemRequestSchema, handler: async ({ actor, body }) => ({ redemption: await s.staffDesk.redeem(actor, body) }) })],
    [
      'get',
      '/api/staff/redemptions',
      endpoint({
        reply: Replies.staffRedemptions,
        access: ['staff', 'admin'],
        query: StaffHistoryQuerySchema,
        handler: async ({ actor, query }) => {
          const vouchers = await s.staffDesk.history(actor, query)
          // One's own day at the desk includes the group-buy orders handed over.
          const pickups = query.storeId ? [] : await s.orders.pickupsBy(actor, query.day ?? businessDay(s.clock(), s.config.rules.business.timeZone))
          return { redemptions: [...vouchers, ...pickups].sort((a, b) => b.at.localeCompare(a.at)) }
        },
      }),
    ],
    // One look-up for any code the desk is given, voucher or pickup; the clerk confirms after.
    [
      'get',
      '/api/staff/codes/:code',
      endpoint({
        reply: Replies.staffCode,
        access: ['staff'],
        params: StaffCodeParamsSchema,
        query: StaffCodeQuerySchema,
        handler: async ({ actor, params, query }) => {
          const preview = (await s.staffDesk.preview(actor, params.code, query.storeId)) ?? (await s.orders.pickupPreview(actor, params.code, query.storeId))
          if (!preview) throw new AppError('CODE_UNKNOWN')
          return { preview }
        },
      }),
    ],
  ]
}
