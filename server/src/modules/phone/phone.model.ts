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

/**
 * Who holds a number (`_id` = its look-up hash): one member at a time. Claimed before the binding
 * is written and given up when the binding goes or changes, so two members can never both hold it.
 */
const PhoneOwnerSchema = new Schema(
  { _id: { type: String, required: true }, userId: { type: Schema.Types.ObjectId, required: true }, at: { type: Date, required: true } },
  { versionKey: false },
)
export const PhoneOwnerModel = model('PhoneOwner', PhoneOwnerSchema, 'phone_owners')
