import { CheckinModel } from './checkin.model'

/** Daily check-ins (not make-ups) of business day `day` (reports). */
export const countCheckins = (day: string): Promise<number> => CheckinModel.countDocuments({ day, kind: 'daily' })
