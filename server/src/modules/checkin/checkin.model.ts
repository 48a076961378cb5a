import { Schema, model, type Types } from 'mongoose'

/**
 * One checked day of one user. `_id` is `<userId>:<day>`, so a day can be checked in once,
 * however many taps race for it. `rewarded` turns true once points and growth are paid; the
 * recovery job pays any check-in a crash left unpaid.
 */
export interface Checkin {
  _id: string
  userId: Types.ObjectId
  day: string
  month: string
  kind: 'daily' | 'makeup'
  cycleDay: number
  points: number
  bonus: number
  /**
   * Consecutive checked days ending with this one, as known when it was written; null when not
   * known (a make-up landed before it), so the next check-in walks back past it instead.
   */
  streak: number | null
  rewarded: boolean
  /** Why the reward was not paid (a budget or cap of the check-in rule), if it was not. */
  rewardRefused: string | null
  /** For make-ups: the monthly slot it used. */
  makeupSlot: string | null
  createdAt: Date
}

const CheckinSchema = new Schema<Checkin>(
  {
    _id: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    day: { type: String, required: true },
    month: { type: String, required: true },
    kind: { type: String, enum: ['daily', 'makeup'], required: true },
    cycleDay: { type: Number, required: true },
    points: { type: Number, required: true },
    bonus: { type: Number, required: true },
    streak: { type: Number, default: null },
    rewarded: { type: Boolean, required: true },
    rewardRefused: { type: String, default: null },
    makeupSlot: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
)
CheckinSchema.index({ userId: 1, day: -1 })
CheckinSchema.index({ rewarded: 1, createdAt: 1 })

export const CheckinModel = model<Checkin>('Checkin', CheckinSchema, 'checkins')

/**
 * One of a user's make-ups of a month (`<userId>:<month>:<n>`, n from 1 to the monthly limit):
 * claiming a slot is an insert, so concurrent make-ups can never exceed the limit.
 */
const MakeupSlotSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    day: { type: String, required: true },
    state: { type: String, enum: ['claimed', 'done'], required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
)
MakeupSlotSchema.index({ state: 1, createdAt: 1 })

export const MakeupSlotModel = model('MakeupSlot', MakeupSlotSchema, 'checkin_makeup_slots')

/** A user's wish to be reminded daily, and the subscribe-message consents they gave us to spend. */
const ReminderSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    enabled: { type: Boolean, required: true },
    templateId: { type: String, default: null },
    /** Each WeChat consent allows one message (WECHAT.md, Subscribe messages). */
    consents: { type: Number, required: true },
    lastSentDay: { type: String, default: null },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
)
ReminderSchema.index({ enabled: 1, consents: 1 })

export const ReminderModel = model('CheckinReminder', ReminderSchema, 'checkin_reminders')
