import { GroupModel } from './group.model'

/** Groups that filled and succeeded in [from, to) (reports). */
export const countGroupsSucceeded = (from: Date, to: Date): Promise<number> => GroupModel.countDocuments({ state: 'succeeded', endedAt: { $gte: from, $lt: to } })
