import { VoucherModel } from './voucher.model'

/** Mall vouchers handed over in store in [from, to) (reports). */
export const countRedemptions = (from: Date, to: Date): Promise<number> => VoucherModel.countDocuments({ redeemedAt: { $gte: from, $lt: to } })
