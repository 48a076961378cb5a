import { Types } from 'mongoose'
import { UserModel } from './user.model'

/** Members who registered in [from, to) (reports). */
export const countUsersCreated = (from: Date, to: Date): Promise<number> => UserModel.countDocuments({ createdAt: { $gte: from, $lt: to } })

/** The nicknames of the members among `ids` who still exist (reports name them); `_id` lookups. */
export async function nicknamesOf(ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await Promise.all(ids.filter((id) => Types.ObjectId.isValid(id)).map((id) => UserModel.findById(id, { nickname: 1 }).lean()))
  return new Map(rows.filter((u) => u !== null).map((u) => [String(u!._id), u!.nickname as string]))
}
