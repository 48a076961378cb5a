import { IdParamsSchema, ProductListQuerySchema, Replies, memberPriceFen } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'
import { listProducts, productPage } from './catalog.service'

export function catalogRoutes(s: Services): RouteTable {
  return [
    [
      'get',
      '/api/products',
      endpoint({ reply: Replies.products, access: 'public', query: ProductListQuerySchema, handler: async ({ query }) => ({ products: await listProducts(query) }) }),
    ],
    // 商品详情: the price at the viewer's level (a guest sees the first level's) and its group-buy on now.
    [
      'get',
      '/api/products/:id',
      endpoint({
        reply: Replies.productDetail,
        access: 'public',
        params: IdParamsSchema,
        handler: async ({ actor, params }) => {
          const product = await productPage(params.id)
          const tiers = s.rules.view().rules.levels.tiers
          const level = tiers[Math.min(actor ? await s.membership.rankOf(actor.userId) : 0, tiers.length - 1)]!
          const activity = await s.groupbuy.activityForProduct(params.id)
          return { product: { ...product, memberPriceFen: memberPriceFen(product.priceFen, level.priceRatePercent), levelName: level.name }, activity }
        },
      }),
    ],
  ]
}
