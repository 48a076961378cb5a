import { Schema, model, type InferSchemaType } from 'mongoose'

/**
 * A member's bound phone number (`_id` is the member). The number itself is only ever stored
 * sealed (phone-crypto.ts); `hash` finds accounts sharing a number, `masked` is what screens show.
 */
const PhoneBindingSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    keyId: { type: String, required: true },
    sealed: { type: String, required: true },
    hash: { type: String, required: true, index: true },
    masked: { type: String, required: true },
    /** `wechat` (the getPhoneNumber button) or `typed` (the H5 demo, development only). */
    source: { type: String, enum: ['wechat', 'typed'], required: true },
    boundAt: { type: Date, required: true },
  },
  { versionKey: false },
)
PhoneBindingSchema.index({ keyId: 1 })
export type PhoneBinding = InferSchemaType<typeof PhoneBindingSchema>
export const PhoneBindingModel = model('PhoneBinding', PhoneBindingSchema, 'phone_bindings')
