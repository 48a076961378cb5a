import { IdParamsSchema, ProductListQuerySchema, Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'

/** The shop's shelf: categories, a page of products (or a search), and a product's page with its group-buy on now. */
export function catalogRoutes(s: Services): RouteTable {
  return [
    ['get', '/api/categories', endpoint({ reply: Replies.categories, access: 'public', handler: () => s.shop.categories() })],
    ['get', '/api/products', endpoint({ reply: Replies.products, access: 'public', query: ProductListQuerySchema, handler: ({ actor, query }) => s.shop.list(query, actor?.userId) })],
    [
      'get',
      '/api/products/:id',
      endpoint({
        reply: Replies.productDetail,
        access: 'public',
        params: IdParamsSchema,
        handler: async ({ actor, params }) => ({ product: await s.shop.detail(params.id, actor?.userId), activity: await s.groupbuy.activityForProduct(params.id) }),
      }),
    ],
  ]
}
