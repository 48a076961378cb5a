import { z } from 'zod'

export const ProductViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  subtitle: z.string(),
  category: z.string(),
  /** List price in fen. */
  priceFen: z.number().int(),
  unit: z.string(),
  /** A short visual for the card while real photos are not uploaded: an emoji on a tinted tile. */
  cover: z.object({ emoji: z.string(), tint: z.string() }),
  tags: z.array(z.string()),
})
export type ProductView = z.infer<typeof ProductViewSchema>

export const ProductListQuerySchema = z.strictObject({
  category: z.string().min(1).max(20).optional(),
})
export type ProductListQuery = z.infer<typeof ProductListQuerySchema>

export const ProductListResponseSchema = z.object({ products: z.array(ProductViewSchema) })
export type ProductListResponse = z.infer<typeof ProductListResponseSchema>
