import type { AdminProduct, AdminProductQuery, CreateProductRequest, ProductListQuery, ProductView, UpdateProductRequest } from '@xianlin/shared'
import { Types } from 'mongoose'
import { AppError } from '../../core/app-error'
import { productPhotoExists } from '../photos/photos.service'
import type { SaleProduct } from '../sessions/sessions.service'
import { DEFAULT_SESSION_PLAN, ProductModel, type Product, type ProductDoc } from './product.model'
import { matchScore, searchKeysOf, searchQuery } from './product-search'
import { readByIds } from '../../db/read-by-ids'

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

const toAdminProduct = (p: ProductRecord): AdminProduct => ({ ...toProductView(p), sku: p.sku, spec: p.spec ?? '', origin: p.origin ?? '', soldCount: p.soldCount ?? 0, onShelf: p.active, ...planOf(p), updatedAt: p.updatedAt.toISOString() })

/** A product's session defaults (products from before sessions have the defaults). */
const planOf = (p: Partial<Pick<Product, 'sessionQuota' | 'sessionLimit'>>) => ({ sessionQuota: p.sessionQuota ?? DEFAULT_SESSION_PLAN.sessionQuota, sessionLimit: p.sessionLimit ?? DEFAULT_SESSION_PLAN.sessionLimit })

/** A product as the shop sells it: its card, what its sessions need, units sold, and its page's facts. */
export interface ShelfProduct {
  view: ProductView
  sale: SaleProduct
  soldCount: number
  spec: string
  origin: string
  onShelf: boolean
}

const toShelfProduct = (p: ProductRecord): ShelfProduct => ({
  view: toProductView(p),
  sale: { id: p._id.toHexString(), priceFen: p.priceFen, ...planOf(p) },
  soldCount: p.soldCount ?? 0,
  spec: p.spec ?? '',
  origin: p.origin ?? '',
  onShelf: p.active,
})

/** A product on the shelf (what shoppers may buy), or NOT_FOUND. */
export async function getProduct(id: string): Promise<ProductView> {
  const product = Types.ObjectId.isValid(id) ? await ProductModel.findById(id) : null
  if (!product || !product.active) throw new AppError('NOT_FOUND', '商品不存在')
  return toProductView(product)
}

/** A product on the shelf, as the shop sells it, or NOT_FOUND. */
export async function shelfProduct(id: string): Promise<ShelfProduct> {
  const product = Types.ObjectId.isValid(id) ? await ProductModel.findById(id).lean<ProductRecord>() : null
  if (!product || !product.active) throw new AppError('NOT_FOUND', '商品不存在')
  return toShelfProduct(product)
}

/** Products by id as the shop sells them, on the shelf or not (a basket line says 已下架), in one read. */
export async function shelfProducts(ids: readonly string[]): Promise<Map<string, ShelfProduct>> {
  const unique = [...new Set(ids)].filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id))
  const found = unique.length ? await ProductModel.find({ _id: { $in: unique } }).lean<ProductRecord[]>() : []
  return new Map(found.map((p) => [p._id.toHexString(), toShelfProduct(p)]))
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

/**
 * A page of the shelf (分类, 搜索): a category in the shop's order, or a search over the whole
 * catalogue, best match first and then best sellers (product-search.ts). A shelf is hundreds to a
 * few thousand products, read once per search; a search that finds nothing suggests the
 * categories and the best sellers.
 */
export async function shelfPage(query: ProductListQuery & { page: number; limit: number }, pinyinSearch: boolean): Promise<{ products: ShelfProduct[]; next: number | null; suggestions: { categories: string[]; bestSellers: ShelfProduct[] } | null }> {
  const all = await ProductModel.find({ active: true, ...(query.category ? { category: query.category } : {}) }).lean<ProductRecord[]>()
  const inShopOrder = (a: ProductRecord, b: ProductRecord) => (a.sort ?? 0) - (b.sort ?? 0) || (a.sku < b.sku ? -1 : 1)
  let found = all
  if (query.q) {
    const q = searchQuery(query.q)
    const scored = all.map((p) => ({ p, score: matchScore(q, { ...p, tags: p.tags ?? [], keys: p.searchKeys?.pinyin != null ? { pinyin: p.searchKeys.pinyin, initials: p.searchKeys.initials ?? '' } : searchKeysOf(p.name) }, pinyinSearch) }))
    found = scored
      .filter((x) => x.score > 0)
      .sort((a, b) => b.score - a.score || (b.p.soldCount ?? 0) - (a.p.soldCount ?? 0) || inShopOrder(a.p, b.p))
      .map((x) => x.p)
  } else found = [...all].sort(inShopOrder)
  const start = (query.page - 1) * query.limit
  const products = found.slice(start, start + query.limit).map(toShelfProduct)
  const suggestions =
    query.q && found.length === 0
      ? {
          categories: categoriesOf(all).map((c) => c.name),
          bestSellers: [...all].sort((a, b) => (b.soldCount ?? 0) - (a.soldCount ?? 0) || inShopOrder(a, b)).slice(0, 6).map(toShelfProduct),
        }
      : null
  return { products, next: start + query.limit < found.length ? query.page + 1 : null, suggestions }
}

/** The shelf's categories in the shop's order (the place of their first product), with how many products each holds. */
function categoriesOf(products: ReadonlyArray<Pick<ProductRecord, 'category' | 'sort'>>): Array<{ name: string; count: number }> {
  const by = new Map<string, { count: number; first: number }>()
  for (const p of products) {
    const c = by.get(p.category) ?? { count: 0, first: Infinity }
    by.set(p.category, { count: c.count + 1, first: Math.min(c.first, p.sort ?? 0) })
  }
  return [...by].sort((a, b) => a[1].first - b[1].first || (a[0] < b[0] ? -1 : 1)).map(([name, c]) => ({ name, count: c.count }))
}

export async function shelfCategories(): Promise<Array<{ name: string; count: number }>> {
  return categoriesOf(await ProductModel.find({ active: true }, { category: 1, sort: 1 }).lean<Array<Pick<ProductRecord, 'category' | 'sort'>>>())
}

/** Writes search keys on products that have none (products from before search by pinyin); returns how many. */
export async function fillSearchKeys(): Promise<number> {
  const missing = await ProductModel.find({ searchKeys: null }, { name: 1 }).lean<Array<{ _id: Types.ObjectId; name: string }>>()
  for (const p of missing) await ProductModel.updateOne({ _id: p._id }, { $set: { searchKeys: searchKeysOf(p.name) } })
  return missing.length
}

/** Creates or updates a product by its SKU (the seed relies on this to be repeatable). */
export async function upsertProduct(
  input: Omit<Product, 'active' | 'createdAt' | 'updatedAt' | 'spec' | 'origin' | 'soldCount' | 'sessionQuota' | 'sessionLimit' | 'searchKeys'> & Partial<Pick<Product, 'spec' | 'origin' | 'sessionQuota' | 'sessionLimit'>>,
): Promise<ProductView> {
  const product = await ProductModel.findOneAndUpdate({ sku: input.sku }, { $set: { ...input, searchKeys: searchKeysOf(input.name), active: true } }, { new: true, upsert: true })
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
  if (photo && !(await productPhotoExists(photo))) throw new AppError('PHOTO_NOT_FOUND', undefined, [{ path: 'body.photo', message: '图片不存在，请重新上传' }])
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
    sessionQuota: input.sessionQuota,
    sessionLimit: input.sessionLimit,
    searchKeys: searchKeysOf(input.name),
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
  for (const k of ['name', 'subtitle', 'spec', 'origin', 'category', 'priceFen', 'unit', 'tags', 'sessionQuota', 'sessionLimit'] as const) if (patch[k] !== undefined) set[k] = patch[k]
  if (patch.name !== undefined) set.searchKeys = searchKeysOf(patch.name)
  if (patch.emoji !== undefined) set['cover.emoji'] = patch.emoji
  if (patch.tint !== undefined) set['cover.tint'] = patch.tint
  if (patch.photo !== undefined) set['cover.photo'] = patch.photo
  if (patch.onShelf !== undefined) set.active = patch.onShelf
  await ProductModel.updateOne({ _id: new Types.ObjectId(id) }, { $set: set })
  return { before, after: await adminProduct(id) }
}

/** Every product on the shelf as the shop sells it, in the shop's order (团期 at a glance). */
export async function onShelf(): Promise<ShelfProduct[]> {
  return (await ProductModel.find({ active: true }).sort({ sort: 1, sku: 1 }).lean<ProductRecord[]>()).map(toShelfProduct)
}

/** Product names by id (the audit trail names what was changed); read by `_id`. */
export async function productNames(ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await readByIds<{ _id: Types.ObjectId; name: string }>(ProductModel, ids.filter((id) => Types.ObjectId.isValid(id)), { name: 1 })
  return new Map(rows.map((p) => [String(p._id), p.name]))
}

/** Product ids by SKU, for the ones that exist (the demo history finds the demo shelf by it). */
export async function productIdsBySku(skus: readonly string[]): Promise<Map<string, string>> {
  const rows = await ProductModel.find({ sku: { $in: [...skus] } }, { sku: 1 }).lean()
  return new Map(rows.map((p) => [p.sku as string, String(p._id)]))
}
