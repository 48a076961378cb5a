import type { Types } from 'mongoose'
import { insertOnce } from '../../core/insert-once'
import { NotificationModel } from './notification.model'

/** Stores a notification once per `key`; a second call with the same key does nothing. */
export async function notify(n: { key: string; userId: Types.ObjectId | string; kind: string; title: string; body: string; at: Date }): Promise<void> {
  await insertOnce(NotificationModel, { _id: n.key, userId: n.userId, kind: n.kind, title: n.title, body: n.body, createdAt: n.at })
}
