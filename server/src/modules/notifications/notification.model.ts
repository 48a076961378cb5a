import { Schema, model } from 'mongoose'

/**
 * A message for a user's inbox (level-ups, reminders). `_id` is a key chosen by the sender, so
 * the same notice is never stored twice.
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
  },
  { versionKey: false },
)

export const NotificationModel = model('Notification', NotificationSchema, 'notifications')
