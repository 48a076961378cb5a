import { Schema, model } from 'mongoose'

/**
 * One issued refresh token. Rotation marks it used; presenting a used one revokes its whole
 * family (every token descended from the same login), because it means the token leaked.
 */
const RefreshTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    familyId: { type: String, required: true, index: true },
    expiresAt: { type: Date, required: true, index: true },
    usedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
)

export const RefreshTokenModel = model('RefreshToken', RefreshTokenSchema, 'refresh_tokens')
