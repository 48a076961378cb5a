import { ProductListQuerySchema, Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import { listProducts } from './catalog.service'

export function catalogRoutes(): RouteTable {
  return [
    [
      'get',
      '/api/products',
      endpoint({ reply: Replies.products, access: 'public', query: ProductListQuerySchema, handler: async ({ query }) => ({ products: await listProducts(query) }) }),
    ],
  ]
}
