import type { Types } from 'mongoose'
import { isDuplicateKeyError } from '../../db/errors'
import { NotificationModel } from './notification.model'

/** Stores a notification once per `key`; a second call with the same key does nothing. */
export async function notify(n: { key: string; userId: Types.ObjectId | string; kind: string; title: string; body: string; at: Date }): Promise<void> {
  try {
    await NotificationModel.create({ _id: n.key, userId: n.userId, kind: n.kind, title: n.title, body: n.body, createdAt: n.at })
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err
  }
}
