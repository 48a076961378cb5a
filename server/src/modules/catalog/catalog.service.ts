import type { AdminProduct, AdminProductQuery, CreateProductRequest, ProductListQuery, ProductView, UpdateProductRequest } from '@xianlin/shared'
import { Types } from 'mongoose'
import { AppError } from '../../core/app-error'
import { photoExists } from '../photos/photos.service'
import { ProductModel, type Product, type ProductDoc } from './product.model'

type ProductRecord = Product & { _id: Types.ObjectId }

export function toProductView(p: ProductRecord | ProductDoc): ProductView {
  return {
    id: p._id.toHexString(),
    name: p.name,
    subtitle: p.subtitle,
    category: p.category,
    priceFen: p.priceFen,
    unit: p.unit,
    cover: { emoji: p.cover.emoji, tint: p.cover.tint, photo: p.cover.photo ?? null },
    tags: p.tags,
  }
}

const toAdminProduct = (p: ProductRecord): AdminProduct => ({ ...toProductView(p), sku: p.sku, spec: p.spec ?? '', origin: p.origin ?? '', soldCount: p.soldCount ?? 0, onShelf: p.active, updatedAt: p.updatedAt.toISOString() })

/** A product on the shelf (what shoppers may buy), or NOT_FOUND. */
export async function getProduct(id: string): Promise<ProductView> {
  const product = Types.ObjectId.isValid(id) ? await ProductModel.findById(id) : null
  if (!product || !product.active) throw new AppError('NOT_FOUND', '商品不存在')
  return toProductView(product)
}

/** A product on the shelf with what its page shows beyond the card (spec, origin, units sold). */
export async function productPage(id: string): Promise<ProductView & { spec: string; origin: string; soldCount: number }> {
  const product = Types.ObjectId.isValid(id) ? await ProductModel.findById(id).lean<ProductRecord>() : null
  if (!product || !product.active) throw new AppError('NOT_FOUND', '商品不存在')
  return { ...toProductView(product), spec: product.spec ?? '', origin: product.origin ?? '', soldCount: product.soldCount ?? 0 }
}

/** Counts units sold, once per paid order (the payment flow calls it after the order turned paid). */
export async function countSold(productId: string, units: number): Promise<void> {
  if (Types.ObjectId.isValid(productId)) await ProductModel.updateOne({ _id: new Types.ObjectId(productId) }, { $inc: { soldCount: units } })
}

/** Products by id in one query, on the shelf or not (activities and orders show what they sold). */
export async function productsByIds(ids: Types.ObjectId[]): Promise<Map<string, ProductView & { onShelf: boolean }>> {
  const unique = [...new Set(ids.map(String))].map((id) => new Types.ObjectId(id))
  const found = unique.length ? await ProductModel.find({ _id: { $in: unique } }).lean<ProductRecord[]>() : []
  return new Map(found.map((p) => [p._id.toHexString(), { ...toProductView(p), onShelf: p.active }]))
}

export async function listProducts(query: ProductListQuery): Promise<ProductView[]> {
  const filter = { active: true, ...(query.category ? { category: query.category } : {}) }
  const products = (await ProductModel.find(filter).sort({ sort: 1, sku: 1 }).limit(500).lean<ProductRecord[]>()).map(toProductView)
  // A shop's shelf is hundreds of products: matching in memory is exact for any text (no regex
  // escaping, no operator the embedded database treats differently).
  const q = query.q?.toLowerCase()
  const found = q ? products.filter((p) => [p.name, p.subtitle, p.category, ...p.tags].some((text) => text.toLowerCase().includes(q))) : products
  return found.slice(0, 100)
}

/** Creates or updates a product by its SKU (the seed relies on this to be repeatable). */
export async function upsertProduct(input: Omit<Product, 'active' | 'createdAt' | 'updatedAt' | 'spec' | 'origin' | 'soldCount'> & Partial<Pick<Product, 'spec' | 'origin'>>): Promise<ProductView> {
  const product = await ProductModel.findOneAndUpdate({ sku: input.sku }, { $set: { ...input, active: true } }, { new: true, upsert: true })
  return toProductView(product)
}

// 运营后台 → 商品

/** Newest first, a page at a time (keyset on _id); `q` matches the start of a name or a SKU exactly. */
export async function searchProducts(query: AdminProductQuery): Promise<{ products: AdminProduct[]; nextCursor: string | null }> {
  const filter: Record<string, unknown> = {}
  if (query.q) filter.$or = [{ name: { $gte: query.q, $lt: `${query.q}\uffff` } }, { sku: query.q }]
  if (query.category) filter.category = query.category
  if (query.shelf) filter.active = query.shelf === 'on'
  if (query.cursor) filter._id = { $lt: new Types.ObjectId(query.cursor) }
  const found = await ProductModel.find(filter).sort({ _id: -1 }).limit(query.limit + 1).lean<ProductRecord[]>()
  const page = found.slice(0, query.limit)
  return { products: page.map(toAdminProduct), nextCursor: found.length > query.limit ? page[page.length - 1]._id.toHexString() : null }
}

export async function adminProduct(id: string): Promise<AdminProduct> {
  const product = await ProductModel.findById(id).lean<ProductRecord>()
  if (!product) throw new AppError('NOT_FOUND', '商品不存在')
  return toAdminProduct(product)
}

async function requirePhoto(photo: string | null | undefined): Promise<void> {
  if (photo && !(await photoExists(photo))) throw new AppError('PHOTO_NOT_FOUND', undefined, [{ path: 'body.photo', message: '图片不存在，请重新上传' }])
}

export async function createProduct(input: CreateProductRequest): Promise<AdminProduct> {
  await requirePhoto(input.photo)
  const _id = new Types.ObjectId()
  const doc = {
    _id,
    sku: input.sku ?? `P${_id.toHexString().slice(-10).toUpperCase()}`,
    name: input.name,
    subtitle: input.subtitle,
    spec: input.spec,
    origin: input.origin,
    category: input.category,
    priceFen: input.priceFen,
    unit: input.unit,
    tags: input.tags,
    cover: { emoji: input.emoji, tint: input.tint, photo: input.photo },
    active: input.onShelf,
  }
  try {
    await ProductModel.create(doc)
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new AppError('SKU_TAKEN', undefined, [{ path: 'body.sku', message: '该商品编码已被使用' }])
    throw err
  }
  return adminProduct(_id.toHexString())
}

export async function updateProduct(id: string, patch: UpdateProductRequest): Promise<{ before: AdminProduct; after: AdminProduct }> {
  const before = await adminProduct(id)
  await requirePhoto(patch.photo)
  const set: Record<string, unknown> = {}
  for (const k of ['name', 'subtitle', 'spec', 'origin', 'category', 'priceFen', 'unit', 'tags'] as const) if (patch[k] !== undefined) set[k] = patch[k]
  if (patch.emoji !== undefined) set['cover.emoji'] = patch.emoji
  if (patch.tint !== undefined) set['cover.tint'] = patch.tint
  if (patch.photo !== undefined) set['cover.photo'] = patch.photo
  if (patch.onShelf !== undefined) set.active = patch.onShelf
  await ProductModel.updateOne({ _id: new Types.ObjectId(id) }, { $set: set })
  return { before, after: await adminProduct(id) }
}
