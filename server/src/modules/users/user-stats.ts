import { UserModel } from './user.model'

/** Members who registered in [from, to) (reports). */
export const countUsersCreated = (from: Date, to: Date): Promise<number> => UserModel.countDocuments({ createdAt: { $gte: from, $lt: to } })
