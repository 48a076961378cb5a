import { Types } from 'mongoose'
import { CouponListQuerySchema, CreateCouponTemplateRequestSchema, GrantCouponBatchRequestSchema, ClaimLinkRequestSchema, GrantCouponRequestSchema, IdParamsSchema, PageQuerySchema, Replies, SegmentGrantQuerySchema, SegmentGrantRequestSchema, UpdateCouponTemplateRequestSchema } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'
import { recordAudit } from '../audit/audit.service'
import { userNames } from '../users/users.service'
import { adminTemplates, deactivateTemplate } from './coupon-templates-admin'
import { toCouponView } from './coupons.service'
import { createSegmentGrant } from './segment-grant'
import { createCouponClaims } from './coupon-claims'

export function couponsRoutes(s: Services): RouteTable {
  const segmentGrant = createSegmentGrant(s)
  const claims = createCouponClaims(s)
  return [
    ['put', '/api/admin/coupon-templates/:id/claim-link', endpoint({ reply: Replies.couponClaim, access: { console: 'coupons' }, params: IdParamsSchema, body: ClaimLinkRequestSchema, handler: async ({ params, body }) => ({ claim: await claims.open(params.id, body.total) }) })],
    ['get', '/api/coupon-claims/:id', endpoint({ reply: Replies.couponClaim, access: 'public', params: IdParamsSchema, handler: async ({ params, actor }) => ({ claim: await claims.view(params.id, actor?.userId ?? null) }) })],
    ['post', '/api/coupon-claims/:id', endpoint({ reply: Replies.couponClaim, access: 'signed-in', params: IdParamsSchema, handler: async ({ params, actor }) => ({ claim: await claims.claim(params.id, actor.userId) }) })],
    ['get', '/api/admin/coupons/segment-grant', endpoint({ reply: Replies.segmentGrantPreview, access: { console: 'coupons' }, query: SegmentGrantQuerySchema, handler: ({ query }) => segmentGrant.preview(query) })],
    ['post', '/api/admin/coupons/segment-grant', endpoint({ reply: Replies.segmentGranted, access: { console: 'coupons' }, body: SegmentGrantRequestSchema, handler: ({ body }) => segmentGrant.grant(body) })],
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
      'get',
      '/api/admin/coupon-templates',
      endpoint({ reply: Replies.adminCouponTemplates, access: { console: 'coupons' }, query: PageQuerySchema, handler: ({ query }) => adminTemplates(query, s.clock()) }),
    ],
    [
      'patch',
      '/api/admin/coupon-templates/:id',
      endpoint({
        reply: Replies.adminCouponTemplate,
        access: { console: 'coupons' },
        params: IdParamsSchema,
        body: UpdateCouponTemplateRequestSchema,
        handler: async ({ params }) => {
          const { before, after } = await deactivateTemplate(params.id, s.clock())
          await recordAudit({ actorId: null, action: 'coupon.template.deactivate', targetType: 'coupon_template', targetId: params.id, outcome: 'deactivated', details: { before: { active: before.active }, after: { active: after.active } }, at: s.clock() })
          return { template: after }
        },
      }),
    ],
    [
      'post',
      '/api/admin/coupons/grant-batch',
      endpoint({
        reply: Replies.couponBatchGranted,
        access: { console: 'coupons' },
        body: GrantCouponBatchRequestSchema,
        handler: async ({ body }) => {
          const ids = [...new Set(body.userIds.map((id) => id.toLowerCase()))]
          const known = await userNames(ids.map((id) => new Types.ObjectId(id)))
          let granted = 0
          let replayed = 0
          // One key per member from the batch's key: a retried batch grants nobody twice.
          for (const userId of ids.filter((id) => known.has(id))) {
            const result = await s.coupons.grant({ templateId: body.templateId, userId, key: `admin:${body.idempotencyKey}:${userId}`, source: 'admin' })
            if (result.replayed) replayed++
            else granted++
          }
          const missing = ids.filter((id) => !known.has(id))
          await recordAudit({ actorId: null, action: 'coupon.grant.batch', targetType: 'coupon_template', targetId: body.templateId, outcome: 'granted', details: { granted, replayed, missing: missing.length }, at: s.clock() })
          return { granted, replayed, missing }
        },
      }),
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
