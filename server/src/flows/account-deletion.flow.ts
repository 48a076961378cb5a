import { AppError } from '../core/app-error'
import type { AuthService } from '../modules/auth/auth.service'
import { recordAudit } from '../modules/audit/audit.service'
import type { CheckinService } from '../modules/checkin/checkin.service'
import type { LeadersService } from '../modules/leaders/leaders.service'
import type { PhoneService } from '../modules/phone/phone.service'
import { forgetDevices } from '../modules/users/user-devices'
import { anonymiseUser, getUser } from '../modules/users/users.service'
import { Types } from 'mongoose'

/**
 * 注销账号 (我的 → 设置): removes what identifies the person and keeps the ledgers anonymous
 * (PIPL: deletion on request; records the law or accounting needs stay without the person).
 * Refused while the member still has duties (leader, staff) or orders in motion, so nothing
 * paid is left without an owner to hand it to. Safe to repeat.
 */
export function createAccountDeletion(deps: {
  hasOpenOrders: (userId: string) => Promise<boolean>
  phone: PhoneService
  checkin: CheckinService
  leaders: LeadersService
  auth: AuthService
  clock: () => Date
}) {
  return async function deleteAccount(userId: string): Promise<void> {
    const user = await getUser(userId)
    if (user.roles.includes('leader') || user.roles.includes('staff')) throw new AppError('ACCOUNT_HAS_DUTIES')
    if (await deps.hasOpenOrders(userId)) throw new AppError('ACCOUNT_HAS_OPEN_ORDERS')
    await deps.phone.unbind(userId, 'account_deleted')
    await forgetDevices(new Types.ObjectId(userId))
    await deps.checkin.forgetReminder(userId)
    await deps.leaders.forgetApplication(userId)
    await anonymiseUser(userId, deps.clock())
    await deps.auth.endAllSessions(userId)
    await recordAudit({ actorId: new Types.ObjectId(userId), action: 'account.delete', targetType: 'user', targetId: userId, outcome: 'deleted', details: {}, at: deps.clock() })
  }
}
