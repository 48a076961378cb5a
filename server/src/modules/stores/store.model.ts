import { Schema, model, type InferSchemaType, type HydratedDocumentFromSchema } from 'mongoose'

const StoreSchema = new Schema(
  {
    /** A stable short code operators use (and the seed upserts by). */
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    address: { type: String, required: true },
    hours: { type: String, required: true },
    phone: { type: String, default: null },
    timeZone: { type: String, default: 'Asia/Shanghai' },
    active: { type: Boolean, default: true },
  },
  { timestamps: true, versionKey: false },
)

export type Store = InferSchemaType<typeof StoreSchema>
export type StoreDoc = HydratedDocumentFromSchema<typeof StoreSchema>
export const StoreModel = model('Store', StoreSchema, 'stores')
