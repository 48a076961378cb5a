import { Types } from 'mongoose'
import { staffJoinPath, type StaffInvitation } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import { insertWithFreshCode, randomSymbols } from '../../lib/random-code'
import { recordAudit } from '../audit/audit.service'
import { addStaffStore } from '../users/users.service'
import { StaffInvitationModel } from './staff-invitation.model'
import { StoreModel } from './store.model'

/** How long an invitation stays open: long enough to hand it over, short enough not to linger. */
const VALID_FOR_MS = 24 * 3_600_000

/** 门店与店员: invitations an operator makes and a clerk accepts in the mini-program. */
export function createStaffInvitations(deps: { clock: () => Date; forget: (userId: string) => void }) {
  const { clock } = deps

  async function openStore(storeId: Types.ObjectId) {
    const store = await StoreModel.findOne({ _id: storeId, active: true }, { name: 1 }).lean()
    if (!store) throw new AppError('NOT_FOUND', '门店不存在')
    return store
  }

  const view = (code: string, storeId: Types.ObjectId, storeName: string, position: 'clerk' | 'manager', expiresAt: Date): StaffInvitation => ({
    code,
    storeId: storeId.toHexString(),
    storeName,
    position,
    expiresAt: expiresAt.toISOString(),
    path: staffJoinPath(code),
  })

  /** An open invitation by its code, or INVITATION_INVALID (unknown, used and expired all look alike). */
  async function open(code: string) {
    const found = await StaffInvitationModel.findById(code).lean()
    if (!found || found.usedBy || found.expiresAt <= clock()) throw new AppError('INVITATION_INVALID')
    return found
  }

  return {
    async create(storeId: string, position: 'clerk' | 'manager', operator: string): Promise<StaffInvitation> {
      const store = await openStore(new Types.ObjectId(storeId))
      const now = clock()
      const expiresAt = new Date(now.getTime() + VALID_FOR_MS)
      const code = await insertWithFreshCode(
        () => randomSymbols(8),
        (c) => StaffInvitationModel.create({ _id: c, storeId: store._id, position, createdBy: operator, createdAt: now, expiresAt }),
      )
      return view(code, store._id, store.name, position, expiresAt)
    },

    /** What a clerk sees before accepting: which store, which position. */
    async preview(code: string): Promise<StaffInvitation> {
      const inv = await open(code)
      const store = await openStore(inv.storeId)
      return view(inv._id, inv.storeId, store.name, inv.position, inv.expiresAt)
    },

    /**
     * Makes the signed-in user staff of the invitation's store; the code then answers no one else.
     * The code is taken first (one guarded update decides between two clerks); the same clerk
     * accepting again (a retry, or after a crash in between) completes and gets the same answer.
     */
    async accept(code: string, userId: string): Promise<StaffInvitation> {
      const mine = await StaffInvitationModel.findOne({ _id: code, usedBy: new Types.ObjectId(userId) }).lean()
      const inv = mine ?? (await open(code))
      const store = await openStore(inv.storeId)
      const now = clock()
      if (!mine) {
        const taken = await StaffInvitationModel.findOneAndUpdate({ _id: inv._id, usedBy: null, expiresAt: { $gt: now } }, { $set: { usedBy: new Types.ObjectId(userId), usedAt: now } }, { new: true }).lean()
        if (!taken) throw new AppError('INVITATION_INVALID')
      }
      await addStaffStore(userId, inv.storeId, inv.position)
      deps.forget(userId)
      if (!mine) await recordAudit({ actorId: new Types.ObjectId(userId), action: 'staff.join', targetType: 'store', targetId: inv.storeId.toHexString(), outcome: 'joined', details: { code: inv._id, position: inv.position, invitedBy: inv.createdBy }, at: now })
      return view(inv._id, inv.storeId, store.name, inv.position, inv.expiresAt)
    },
  }
}

export type StaffInvitations = ReturnType<typeof createStaffInvitations>
