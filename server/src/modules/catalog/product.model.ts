import { Schema, model, type InferSchemaType, type HydratedDocumentFromSchema } from 'mongoose'

/** Session defaults of a product written before sessions existed (and of a new one unless set). */
export const DEFAULT_SESSION_PLAN = { sessionQuota: 200, sessionLimit: 10 } as const

const ProductSchema = new Schema(
  {
    sku: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    subtitle: { type: String, default: '' },
    category: { type: String, required: true, index: true },
    /** List price in fen. */
    priceFen: { type: Number, required: true, min: 0, validate: Number.isInteger },
    unit: { type: String, required: true },
    cover: {
      type: new Schema({ emoji: { type: String, required: true }, tint: { type: String, required: true }, photo: { type: String, default: null } }, { _id: false }),
      required: true,
    },
    tags: { type: [String], default: [] },
    /** 规格, e.g. "5 斤装 · 单果 200–300g", and 产地, shown on the product page. */
    spec: { type: String, default: '' },
    origin: { type: String, default: '' },
    /** Units sold (paid orders), raised once per order when it is paid. */
    soldCount: { type: Number, default: 0 },
    sort: { type: Number, default: 0 },
    /** 团期 defaults: each sale day's session gets this quota and per-member limit unless the day sets its own. */
    sessionQuota: { type: Number, default: DEFAULT_SESSION_PLAN.sessionQuota },
    sessionLimit: { type: Number, default: DEFAULT_SESSION_PLAN.sessionLimit },
    /** The name's pinyin and initials, kept for search (written with the name; see product-search.ts). */
    searchKeys: { type: new Schema({ pinyin: String, initials: String }, { _id: false }), default: null },
    /** On the shelf: shoppers see it and new activities may sell it. */
    active: { type: Boolean, default: true },
  },
  { timestamps: true, versionKey: false },
)

export type Product = InferSchemaType<typeof ProductSchema>
export type ProductDoc = HydratedDocumentFromSchema<typeof ProductSchema>
export const ProductModel = model('Product', ProductSchema, 'products')
