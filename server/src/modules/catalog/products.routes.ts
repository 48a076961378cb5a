import { AdminProductQuerySchema, CreateProductRequestSchema, IdParamsSchema, Replies, UpdateProductRequestSchema } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import { recordAudit } from '../audit/audit.service'
import { adminProduct, createProduct, searchProducts, updateProduct } from './catalog.service'

/** 运营后台 → 商品: list, create, edit, put on or take off the shelf. */
export function productsRoutes(): RouteTable {
  return [
    ['get', '/api/admin/products', endpoint({ reply: Replies.adminProducts, access: { console: 'catalogue' }, query: AdminProductQuerySchema, handler: ({ query }) => searchProducts(query) })],
    ['get', '/api/admin/products/:id', endpoint({ reply: Replies.adminProduct, access: { console: 'catalogue' }, params: IdParamsSchema, handler: async ({ params }) => ({ product: await adminProduct(params.id) }) })],
    [
      'post',
      '/api/admin/products',
      endpoint({
        reply: Replies.adminProduct,
        access: { console: 'catalogue' },
        body: CreateProductRequestSchema,
        status: 201,
        handler: async ({ body }) => {
          const product = await createProduct(body)
          await recordAudit({ actorId: null, action: 'product.create', targetType: 'product', targetId: product.id, outcome: 'created', details: { after: product }, at: new Date() })
          return { product }
        },
      }),
    ],
    [
      'patch',
      '/api/admin/products/:id',
      endpoint({
        reply: Replies.adminProduct,
        access: { console: 'catalogue' },
        params: IdParamsSchema,
        body: UpdateProductRequestSchema,
        handler: async ({ params, body }) => {
          const { before, after } = await updateProduct(params.id, body)
          await recordAudit({ actorId: null, action: 'product.update', targetType: 'product', targetId: params.id, outcome: 'updated', details: { before, after }, at: new Date() })
          return { product: after }
        },
      }),
    ],
  ]
}
