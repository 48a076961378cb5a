import { z } from 'zod'
import { ObjectIdSchema } from './common'

/** The sizes every uploaded photo is kept in (longest side, pixels): list tiles, detail pages, zoom. */
export const PHOTO_SIZES = { thumb: 240, medium: 720, large: 1280 } as const
export type PhotoSize = keyof typeof PHOTO_SIZES

/** Where a photo's bytes are served (the same path on every instance: the bytes live in GridFS). */
export const photoPath = (photoId: string, size: PhotoSize) => `/api/photos/${photoId}/${size}`
/** The console's way to any photo, a held or hidden review's too (its session cookie goes along). */
export const consolePhotoPath = (photoId: string, size: PhotoSize) => `/api/admin/photos/${photoId}/${size}`
/** An after-sale request's photo, as the console's 售后 queue reads it. */
export const afterSalePhotoPath = (afterSaleId: string, photoId: string, size: PhotoSize) => `/api/admin/after-sales/${afterSaleId}/photos/${photoId}/${size}`

export const PhotoParamsSchema = z.strictObject({ id: ObjectIdSchema, size: z.enum(Object.keys(PHOTO_SIZES) as [PhotoSize, ...PhotoSize[]]) })

export const PhotoViewSchema = z.object({ id: z.string(), width: z.number().int(), height: z.number().int(), bytes: z.number().int() })
export type PhotoView = z.infer<typeof PhotoViewSchema>

/**
 * How a product looks on a card: its photo when one is uploaded, otherwise an emoji on a tinted
 * tile (the tint also backs the photo while it loads).
 */
export const CoverSchema = z.object({ emoji: z.string(), tint: z.string(), photo: z.string().nullable().optional() })
export type Cover = z.infer<typeof CoverSchema>

export const ProductViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  subtitle: z.string(),
  category: z.string(),
  /** List price in fen. */
  priceFen: z.number().int(),
  unit: z.string(),
  cover: CoverSchema,
  tags: z.array(z.string()),
})
export type ProductView = z.infer<typeof ProductViewSchema>

// 运营后台 → 商品

/** A product as operators see it: what shoppers see, plus its code and whether it is on the shelf. */
export const AdminProductSchema = ProductViewSchema.extend({
  sku: z.string(),
  spec: z.string(),
  origin: z.string(),
  soldCount: z.number().int(),
  onShelf: z.boolean(),
  /** Each day's session gets this quota and per-member limit unless the day sets its own (团期). */
  sessionQuota: z.number().int(),
  sessionLimit: z.number().int(),
  updatedAt: z.string(),
})
export type AdminProduct = z.infer<typeof AdminProductSchema>

export const AdminProductQuerySchema = z.strictObject({
  q: z.string().trim().max(40).optional(),
  category: z.string().trim().max(20).optional(),
  shelf: z.enum(['on', 'off']).optional(),
  cursor: ObjectIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})
export type AdminProductQuery = z.infer<typeof AdminProductQuerySchema>

export const AdminProductPageSchema = z.object({ products: z.array(AdminProductSchema), nextCursor: z.string().nullable() })

const TINT = z.string().regex(/^#[0-9a-fA-F]{6}$/, '请填写 #RRGGBB 颜色')
const TAGS = z.array(z.string().trim().min(1).max(8)).max(5)
const SESSION_QUOTA = z.number().int().min(0).max(20_000, '单期最多 20000 件')
const SESSION_LIMIT = z.number().int().min(1, '每人限购至少 1 件').max(99)

export const CreateProductRequestSchema = z.strictObject({
  /** The retailer's own code; one is made up when left empty. */
  sku: z.string().trim().regex(/^[A-Za-z0-9-]{2,32}$/, '字母、数字或短横线，2 到 32 位').optional(),
  name: z.string().trim().min(1, '请填写商品名').max(40),
  subtitle: z.string().trim().max(60).default(''),
  spec: z.string().trim().max(60).default(''),
  origin: z.string().trim().max(30).default(''),
  category: z.string().trim().min(1, '请填写类目').max(20),
  priceFen: z.number().int('价格以分计，须为整数').min(1, '价格至少 1 分').max(10_000_000),
  unit: z.string().trim().min(1, '请填写单位').max(10),
  tags: TAGS.default([]),
  emoji: z.string().trim().min(1).max(8).default('🛒'),
  tint: TINT.default('#FFF4E6'),
  photo: ObjectIdSchema.nullable().default(null),
  onShelf: z.boolean().default(true),
  sessionQuota: SESSION_QUOTA.default(200),
  sessionLimit: SESSION_LIMIT.default(10),
})
export type CreateProductRequest = z.infer<typeof CreateProductRequestSchema>

export const UpdateProductRequestSchema = z
  .strictObject({
    name: z.string().trim().min(1, '请填写商品名').max(40),
    subtitle: z.string().trim().max(60),
    spec: z.string().trim().max(60),
    origin: z.string().trim().max(30),
    category: z.string().trim().min(1, '请填写类目').max(20),
    priceFen: z.number().int('价格以分计，须为整数').min(1, '价格至少 1 分').max(10_000_000),
    unit: z.string().trim().min(1, '请填写单位').max(10),
    tags: TAGS,
    emoji: z.string().trim().min(1).max(8),
    tint: TINT,
    photo: ObjectIdSchema.nullable(),
    onShelf: z.boolean(),
    sessionQuota: SESSION_QUOTA,
    sessionLimit: SESSION_LIMIT,
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, '没有要修改的内容')
export type UpdateProductRequest = z.infer<typeof UpdateProductRequestSchema>
