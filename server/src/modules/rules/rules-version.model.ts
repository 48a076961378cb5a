import { Schema, model } from 'mongoose'

/**
 * One saved version of the product's rules: `_id` is its number (1, 2, 3…; the rules file is 0),
 * so two operators saving from the same version meet at the unique `_id` and the second is told.
 */
const RulesVersionSchema = new Schema(
  {
    _id: { type: Number, required: true },
    rules: { type: Schema.Types.Mixed, required: true },
    reason: { type: String, required: true },
    operator: { type: new Schema({ id: String, username: String }, { _id: false }), required: true },
    changes: { type: [new Schema({ path: String, before: Schema.Types.Mixed, after: Schema.Types.Mixed }, { _id: false })], default: [] },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
)

export const RulesVersionModel = model('RulesVersion', RulesVersionSchema, 'rules_versions')
