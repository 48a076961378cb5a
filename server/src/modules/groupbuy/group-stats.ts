import { Types } from 'mongoose'
import { ActivityModel } from './activity.model'
import { GroupModel } from './group.model'

/** Groups that filled and succeeded in [from, to) (reports). */
export const countGroupsSucceeded = (from: Date, to: Date): Promise<number> => GroupModel.countDocuments({ state: 'succeeded', endedAt: { $gte: from, $lt: to } })

/** The titles of the activities among `ids` that exist (reports name them); `_id` lookups, which the embedded database answers from its index. */
export async function activityTitles(ids: readonly string[]): Promise<Map<string, string>> {
  const valid = ids.filter((id) => Types.ObjectId.isValid(id) && String(new Types.ObjectId(id)) === id)
  const rows = await Promise.all(valid.map((id) => ActivityModel.findById(id, { title: 1 }).lean()))
  return new Map(rows.filter((a) => a !== null).map((a) => [String(a!._id), a!.title]))
}
