import { Schema, model } from 'mongoose'

/**
 * A message for a member's notices (level-ups, perks, rewards, orders). `_id` is a key chosen by
 * the sender, so the same notice is never stored twice. `push` follows its WeChat subscribe
 * message: `waiting` until the push job takes it, then `sent`, `no_consent`, `failed` or `expired`.
 */
const NotificationSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true, index: true },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, required: true },
    createdAt: { type: Date, required: true },
    readAt: { type: Date, default: null },
    /** The mini-program page the notice opens (`/pages/coupons/index`), if any. */
    link: { type: String, default: null },
    push: { type: String, enum: ['waiting', 'sending', 'sent', 'no_consent', 'failed', 'expired'], default: 'waiting' },
  },
  { versionKey: false },
)
NotificationSchema.index({ userId: 1, createdAt: -1 })
NotificationSchema.index({ push: 1, createdAt: 1 })

/** How many subscribe-message consents a member has given for notices (each allows one message). */
const NoticeConsentSchema = new Schema({ _id: { type: Schema.Types.ObjectId, required: true }, consents: { type: Number, required: true } }, { versionKey: false })
export const NoticeConsentModel = model('NoticeConsent', NoticeConsentSchema, 'notice_consents')

export const NotificationModel = model('Notification', NotificationSchema, 'notifications')
