import { Schema, model, type InferSchemaType } from 'mongoose'

/**
 * Who may see a stored photo (its bytes are in GridFS under `<id>/<size>`). `_id` is the photo
 * id: 12 random bytes, so nobody can step from their own upload to another's.
 * - `product`: an operator's product photo, public.
 * - `review`: a member's 晒单 photo. Unattached (`reviewId` null) it is its uploader's alone and
 *   removed after a day; in a review it is public while that review is visible.
 */
const PhotoRefSchema = new Schema(
  {
    _id: { type: String, required: true },
    use: { type: String, enum: ['product', 'review'], required: true },
    ownerId: { type: Schema.Types.ObjectId, default: null },
    reviewId: { type: String, default: null },
    uploadedAt: { type: Date, required: true },
  },
  { versionKey: false },
)
// The purge of unattached uploads reads these in age order.
PhotoRefSchema.index({ use: 1, reviewId: 1, uploadedAt: 1 })
export type PhotoRef = InferSchemaType<typeof PhotoRefSchema> & { _id: string }
export const PhotoRefModel = model('PhotoRef', PhotoRefSchema, 'photo_refs')
