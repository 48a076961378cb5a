import { Types } from 'mongoose'
import { UserModel } from './user.model'
import { readByIds } from '../../db/read-by-ids'

/** Members who registered in [from, to) (reports). */
export const countUsersCreated = (from: Date, to: Date): Promise<number> => UserModel.countDocuments({ createdAt: { $gte: from, $lt: to } })

/** The nicknames of the members among `ids` who still exist (reports name them); read by `_id`. */
export async function nicknamesOf(ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await readByIds<{ _id: Types.ObjectId; nickname: string }>(UserModel, ids.filter((id) => Types.ObjectId.isValid(id)), { nickname: 1 })
  return new Map(rows.map((u) => [String(u._id), u.nickname]))
}

/** Members who registered in [from, to), newest first, a page and how many (a 留存 cohort in 会员). */
export async function usersCreatedPage(from: Date, to: Date, offset: number, limit: number): Promise<{ ids: string[]; total: number }> {
  const filter = { createdAt: { $gte: from, $lt: to } }
  const [rows, total] = await Promise.all([UserModel.find(filter, { _id: 1 }).sort({ createdAt: -1, _id: -1 }).skip(offset).limit(limit).lean(), UserModel.countDocuments(filter)])
  return { ids: rows.map((r) => String(r._id)), total }
}

/**
 * Members holding at least `min` points, most first, a page and how many. Read from the copy of
 * each ledger's head on the account (kept with every entry; a check-in's within seconds).
 */
export async function usersWithPointsPage(min: number, offset: number, limit: number): Promise<{ ids: string[]; total: number }> {
  const filter = { 'pointsHead.entry.available': { $gte: min } }
  const [rows, total] = await Promise.all([UserModel.find(filter, { _id: 1 }).sort({ 'pointsHead.entry.available': -1, _id: -1 }).skip(offset).limit(limit).lean(), UserModel.countDocuments(filter)])
  return { ids: rows.map((r) => String(r._id)), total }
}

/** Every member, newest first, `limit` after the first `skip` (filters that must scan); and how many there are. */
export const userIdsNewestFirst = async (skip: number, limit: number): Promise<string[]> => (await UserModel.find({}, { _id: 1 }).sort({ _id: -1 }).skip(skip).limit(limit).lean()).map((u) => String(u._id))
export const countUsers = (): Promise<number> => UserModel.countDocuments({})
