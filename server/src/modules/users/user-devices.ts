import { Schema, Types, model } from 'mongoose'
import { insertOnce } from '../../core/insert-once'

/**
 * Which accounts signed in on which device: the mini-program keeps a random id in its storage
 * and sends it at login (a signal for duplicate-account checks, not proof: it can be cleared).
 * `_id` is `<deviceId>|<userId>`, so each pair is recorded once.
 */
const UserDeviceSchema = new Schema(
  {
    _id: { type: String, required: true },
    deviceId: { type: String, required: true, index: true },
    userId: { type: Schema.Types.ObjectId, required: true, index: true },
    firstSeenAt: { type: Date, required: true },
  },
  { versionKey: false },
)
const UserDeviceModel = model('UserDevice', UserDeviceSchema, 'user_devices')

export async function recordDevice(userId: Types.ObjectId, deviceId: string, at: Date): Promise<void> {
  await insertOnce(UserDeviceModel, { _id: `${deviceId}|${userId}`, deviceId, userId, firstSeenAt: at })
}

/** Other accounts seen on any device this member signed in on. */
export async function othersOnSameDevices(userId: Types.ObjectId): Promise<Types.ObjectId[]> {
  const mine = await UserDeviceModel.find({ userId }, { deviceId: 1 }).limit(20).lean()
  const others = new Map<string, Types.ObjectId>()
  for (const d of mine) {
    for (const o of await UserDeviceModel.find({ deviceId: d.deviceId }, { userId: 1 }).limit(100).lean()) {
      if (!o.userId.equals(userId)) others.set(String(o.userId), o.userId)
    }
  }
  return [...others.values()]
}

/** The most accounts seen on one of this member's devices (the member included). */
export async function mostAccountsOnOneDevice(userId: Types.ObjectId): Promise<number> {
  let most = 0
  for (const d of await UserDeviceModel.find({ userId }, { deviceId: 1 }).limit(20).lean()) {
    most = Math.max(most, await UserDeviceModel.countDocuments({ deviceId: d.deviceId }))
  }
  return most
}

/** The devices this member signed in on (their ids as the mini-program made them). */
export async function devicesOf(userId: Types.ObjectId): Promise<string[]> {
  return (await UserDeviceModel.find({ userId }, { deviceId: 1 }).limit(20).lean()).map((d) => d.deviceId)
}

/** Account deletion: the member's devices are forgotten. */
export async function forgetDevices(userId: Types.ObjectId): Promise<void> {
  await UserDeviceModel.deleteMany({ userId })
}
