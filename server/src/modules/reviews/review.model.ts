import { Schema, model, type InferSchemaType } from 'mongoose'

/**
 * A member's review of a picked-up order (评价/晒单). `_id` is the order: one review per order,
 * whatever the double taps. `visible` shows on the product page; `pending` waits for an operator
 * (WeChat's content check said "review"); `hidden` was taken down by an operator (audited).
 */
const ReviewSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    productId: { type: String, required: true },
    rating: { type: Number, required: true, min: 1, max: 5 },
    text: { type: String, required: true },
    photos: { type: [String], default: [] },
    state: { type: String, enum: ['visible', 'pending', 'hidden'], required: true },
    /** WeChat's msgSecCheck verdict; null where it was not asked (development accounts). */
    moderation: { type: new Schema({ suggest: String, label: Number }, { _id: false }), default: null },
    hiddenReason: { type: String, default: null },
    createdAt: { type: Date, required: true },
    /** Set once the review's points and growth were paid (on publication, once). */
    rewardedAt: { type: Date, default: null },
  },
  { versionKey: false },
)
ReviewSchema.index({ productId: 1, state: 1, createdAt: -1 })
ReviewSchema.index({ state: 1, createdAt: 1 })
export type Review = InferSchemaType<typeof ReviewSchema> & { _id: string }
export const ReviewModel = model('Review', ReviewSchema, 'reviews')
