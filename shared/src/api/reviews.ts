import { z } from 'zod'
import { ObjectIdSchema } from './common'

/** 评价/晒单 after pickup: 1–5 stars, text, up to 6 photos the member uploaded. */
export const CreateReviewRequestSchema = z.strictObject({
  rating: z.number().int().min(1).max(5),
  text: z.string().trim().min(1, '写几句评价吧').max(2000),
  photoIds: z.array(ObjectIdSchema).max(6, '最多 6 张图片').default([]),
})
export type CreateReviewRequest = z.input<typeof CreateReviewRequestSchema>

export const REVIEW_STATES = ['visible', 'pending', 'hidden'] as const

/** A review as shoppers see it (the author's name masked). */
export const ReviewViewSchema = z.object({
  id: z.string(),
  author: z.string(),
  rating: z.number().int(),
  text: z.string(),
  photos: z.array(z.string()),
  createdAt: z.string(),
})
export type ReviewView = z.infer<typeof ReviewViewSchema>

/** The member's own review of an order: also when it waits for an operator. */
export const MyReviewSchema = ReviewViewSchema.extend({ state: z.enum(REVIEW_STATES), pointsEarned: z.number().int() })
export type MyReview = z.infer<typeof MyReviewSchema>

export const ProductReviewsSchema = z.object({
  summary: z.object({ count: z.number().int(), averageRating: z.number().nullable() }),
  reviews: z.array(ReviewViewSchema),
  next: z.string().nullable(),
})
export type ProductReviews = z.infer<typeof ProductReviewsSchema>
export const ProductReviewsQuerySchema = z.strictObject({ cursor: z.string().regex(/^\d{13}_[0-9a-f]{24}$/).optional() })

/** 运营后台 → 评价: every review with its moderation. */
export const AdminReviewSchema = ReviewViewSchema.extend({
  orderId: z.string(),
  productId: z.string(),
  state: z.enum(REVIEW_STATES),
  moderation: z.object({ suggest: z.string(), label: z.number() }).nullable(),
  hiddenReason: z.string().nullable(),
})
export type AdminReview = z.infer<typeof AdminReviewSchema>
export const AdminReviewQuerySchema = z.strictObject({ state: z.enum(REVIEW_STATES).default('pending') })
export const HideReviewRequestSchema = z.strictObject({ reason: z.string().trim().min(2).max(200) })
