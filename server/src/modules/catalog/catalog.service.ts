import type { ProductListQuery, ProductView } from '@xianlin/shared'
import { Types } from 'mongoose'
import { AppError } from '../../core/app-error'
import { ProductModel, type Product, type ProductDoc } from './product.model'

export function toProductView(p: ProductDoc): ProductView {
  return {
    id: p._id.toHexString(),
    name: p.name,
    subtitle: p.subtitle,
    category: p.category,
    priceFen: p.priceFen,
    unit: p.unit,
    cover: { emoji: p.cover.emoji, tint: p.cover.tint },
    tags: p.tags,
  }
}

export async function getProduct(id: string): Promise<ProductView> {
  const product = Types.ObjectId.isValid(id) ? await ProductModel.findById(id) : null
  if (!product || !product.active) throw new AppError('NOT_FOUND', '商品不存在')
  return toProductView(product)
}

export async function listProducts(query: ProductListQuery): Promise<ProductView[]> {
  const filter = { active: true, ...(query.category ? { category: query.category } : {}) }
  const products = await ProductModel.find(filter).sort({ sort: 1, sku: 1 }).limit(100)
  return products.map(toProductView)
}

/** Creates or updates a product by its SKU (the seed relies on this to be repeatable). */
export async function upsertProduct(input: Omit<Product, 'active' | 'createdAt' | 'updatedAt'>): Promise<ProductView> {
  const product = await ProductModel.findOneAndUpdate({ sku: input.sku }, { $set: { ...input, active: true } }, { new: true, upsert: true })
  return toProductView(product)
}
