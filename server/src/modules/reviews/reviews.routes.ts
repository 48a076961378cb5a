import { AdminReviewQuerySchema, CreateReviewRequestSchema, HideReviewRequestSchema, IdParamsSchema, ProductReviewsQuerySchema, Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'

export function reviewsRoutes(s: Services): RouteTable {
  return [
    // The member's review of a picked-up order (评价/晒单).
    ['post', '/api/orders/:id/review', endpoint({ reply: Replies.myReview, access: 'signed-in', params: IdParamsSchema, body: CreateReviewRequestSchema, status: 201, handler: async ({ actor, params, body }) => ({ review: await s.reviews.create(actor.userId, params.id, body) }) })],
    ['get', '/api/orders/:id/review', endpoint({ reply: Replies.myReview, access: 'signed-in', params: IdParamsSchema, handler: async ({ actor, params }) => ({ review: await s.reviews.mine(actor.userId, params.id) }) })],
    // Public: the product page shows its reviews before any sign-in.
    ['get', '/api/products/:id/reviews', endpoint({ reply: Replies.productReviews, access: 'public', params: IdParamsSchema, query: ProductReviewsQuerySchema, handler: ({ params, query }) => s.reviews.forProduct(params.id, query.cursor) })],
    // 运营后台 → 评价: the queue WeChat's check held, publishing and hiding.
    ['get', '/api/admin/reviews', endpoint({ reply: Replies.adminReviews, access: { console: 'members' }, query: AdminReviewQuerySchema, handler: async ({ query }) => ({ reviews: await s.reviews.list(query.state) }) })],
    ['post', '/api/admin/reviews/:id/publish', endpoint({ reply: 'empty', access: { console: 'members' }, params: IdParamsSchema, status: 204, handler: async ({ params }) => void (await s.reviews.publish(params.id)) })],
    ['post', '/api/admin/reviews/:id/hide', endpoint({ reply: 'empty', access: { console: 'members' }, params: IdParamsSchema, body: HideReviewRequestSchema, status: 204, handler: async ({ params, body }) => void (await s.reviews.hide(params.id, body.reason)) })],
  ]
}
