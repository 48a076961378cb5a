import { Schema, model } from 'mongoose'

/**
 * A member's birthday (month and day only: the year is not needed and not asked). Set once, then
 * changeable once a year (`changedAt`), so a birthday coupon cannot be had every week.
 */
const BirthdaySchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    month: { type: Number, required: true, min: 1, max: 12 },
    day: { type: Number, required: true, min: 1, max: 31 },
    changedAt: { type: Date, required: true },
  },
  { versionKey: false },
)
BirthdaySchema.index({ month: 1, day: 1 })
export const BirthdayModel = model('Birthday', BirthdaySchema, 'birthdays')

/** How far a month's perk run got (`monthly:2026-12`): a crashed run resumes after `lastId`. */
const PerkRunSchema = new Schema({ _id: { type: String, required: true }, lastId: { type: Schema.Types.ObjectId, default: null }, done: { type: Boolean, default: false } }, { versionKey: false })
export const PerkRunModel = model('PerkRun', PerkRunSchema, 'perk_runs')
