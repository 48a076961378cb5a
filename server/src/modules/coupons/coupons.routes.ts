import { CouponListQuerySchema, CreateCouponTemplateRequestSchema, GrantCouponRequestSchema, Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'
import { recordAudit } from '../audit/audit.service'
import { toCouponView } from './coupons.service'

export function couponsRoutes(s: Services): RouteTable {
  return [
    [
      'get',
      '/api/coupons',
      endpoint({ reply: Replies.coupons, access: 'signed-in', query: CouponListQuerySchema, handler: async ({ actor, query }) => ({ coupons: await s.coupons.list(actor.userId, query.state) }) }),
    ],
    [
      'post',
      '/api/admin/coupon-templates',
      endpoint({ reply: Replies.couponTemplate, access: { console: 'coupons' }, body: CreateCouponTemplateRequestSchema, status: 201, handler: async ({ body }) => ({ template: await s.coupons.createTemplate(body) }) }),
    ],
    [
      'post',
      '/api/admin/coupons/grant',
      endpoint({ reply: Replies.couponGranted,
        access: { console: 'coupons' },
        body: GrantCouponRequestSchema,
        handler: async ({ actor, body }) => {
          const { coupon, replayed } = await s.coupons.grant({ templateId: body.templateId, userId: body.userId, key: `admin:${body.idempotencyKey}`, source: 'admin' })
          if (!replayed) {
            await recordAudit({ actorId: actor.operatorId, action: 'coupon.grant', targetType: 'user', targetId: body.userId, outcome: 'granted', details: { couponId: coupon._id, templateId: body.templateId }, at: s.clock() })
          }
          return { coupon: toCouponView(coupon, s.clock()), replayed }
        },
      }),
    ],
  ]
}
