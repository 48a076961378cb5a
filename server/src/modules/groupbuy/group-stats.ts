import { Types } from 'mongoose'
import { ActivityModel } from './activity.model'
import { GroupModel } from './group.model'
import { readByIds } from '../../db/read-by-ids'

/** Groups that filled and succeeded in [from, to) (reports). */
export const countGroupsSucceeded = (from: Date, to: Date): Promise<number> => GroupModel.countDocuments({ state: 'succeeded', endedAt: { $gte: from, $lt: to } })

/** The titles of the activities among `ids` that exist (reports name them); read by `_id`. */
export async function activityTitles(ids: readonly string[]): Promise<Map<string, string>> {
  const valid = ids.filter((id) => Types.ObjectId.isValid(id) && String(new Types.ObjectId(id)) === id)
  const rows = await readByIds<{ _id: Types.ObjectId; title: string }>(ActivityModel, valid, { title: 1 })
  return new Map(rows.map((a) => [String(a._id), a.title]))
}
