import { Types } from 'mongoose'
import { businessDay, businessTimeText, maskName, type StaffCodePreview, type StaffHistoryQuery, type StaffRedemptionView } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import type { Actor } from '../../core/actor'
import { recordAudit } from '../audit/audit.service'
import { storeNames } from '../stores/stores.service'
import { getUser, userNames } from '../users/users.service'
import { VoucherModel, type Voucher } from './voucher.model'

/**
 * The staff desk (DESIGN.md, in-store redemption): a staff member scans or types a voucher code
 * at one of their stores. Every attempt, successful or not, is audit-logged.
 */
export function createStaffDeskService(deps: { timeZone: string; clock: () => Date }) {
  const { timeZone, clock } = deps

  /** The store the staff member acts for: the one named (theirs), or their only one. */
  function storeOf(actor: Actor, storeId?: string): string {
    if (storeId) {
      if (!actor.storeIds.includes(storeId)) throw new AppError('FORBIDDEN', '您不是该门店的店员')
      return storeId
    }
    if (actor.storeIds.length === 1) return actor.storeIds[0]!
    throw new AppError('STORE_REQUIRED')
  }

  async function toViews(list: Voucher[]): Promise<StaffRedemptionView[]> {
    const stores = await storeNames(list.map((v) => v.redeemedStoreId!))
    const people = await userNames([...list.map((v) => v.userId), ...list.map((v) => v.redeemedBy!)])
    return list.map((v) => ({
      kind: 'voucher' as const,
      code: v._id,
      itemName: v.itemName,
      shopper: maskName(people.get(v.userId.toHexString()) ?? ''),
      storeName: stores.get(String(v.redeemedStoreId)) ?? '',
      staffName: people.get(String(v.redeemedBy)) ?? '',
      at: v.redeemedAt!.toISOString(),
    }))
  }

  /** Where a voucher can be redeemed, in words: 「徐汇店」、「静安店」. */
  async function storesText(v: Voucher): Promise<{ stores: Array<{ id: string; name: string }>; text: string }> {
    const names = await storeNames(v.storeIds)
    const stores = v.storeIds.map((id) => ({ id: id.toHexString(), name: names.get(id.toHexString()) ?? '' }))
    return { stores, text: stores.map((s) => `「${s.name}」`).join('、') }
  }

  /** 该券已于 11月23日 12:00 由 店员B 在 鲜邻优选·B店 核销 */
  async function redeemedText(v: Voucher): Promise<{ text: string; view: StaffRedemptionView }> {
    const [view] = await toViews([v])
    return { text: `该券已于 ${businessTimeText(v.redeemedAt!, timeZone)} 由 ${view!.staffName} 在 ${view!.storeName} 核销`, view: view! }
  }

  /** A redeemable voucher by its code (goods, placed), or null. */
  async function voucherOf(code: string): Promise<Voucher | null> {
    const voucher = await VoucherModel.findById(code).lean()
    return voucher && voucher.kind === 'goods' && voucher.state !== 'pending' && voucher.state !== 'failed' ? voucher : null
  }

  return {
    /**
     * What a voucher code is and whether this clerk can redeem it here now; null when the code is
     * no voucher. Writes nothing: the clerk confirms before anything happens.
     */
    async preview(actor: Actor, code: string, storeId?: string): Promise<StaffCodePreview | null> {
      const v = await voucherOf(code)
      if (!v) return null
      const now = clock()
      const here = storeId ?? (actor.storeIds.length === 1 ? actor.storeIds[0] : undefined)
      const { stores, text } = await storesText(v)
      let refusal: string | null = null
      if (v.state === 'redeemed') refusal = (await redeemedText(v)).text
      else if (v.state === 'cancelled') refusal = '该券已取消'
      else if (v.state !== 'active' || !v.expiresAt || v.expiresAt <= now) refusal = v.expiresAt ? `该券已于 ${businessTimeText(v.expiresAt, timeZone)} 过期` : '该券已过期'
      else if (storeId && !actor.storeIds.includes(storeId)) refusal = '您不是该门店的店员'
      else if (here && !v.storeIds.some((s) => s.equals(here))) refusal = `本店不能核销，请到${text}核销`
      const shopper = maskName((await userNames([v.userId])).get(v.userId.toHexString()) ?? '')
      return { kind: 'voucher', code: v._id, title: v.itemName, detail: `积分兑换 · ${v.points} 积分`, shopper, stores, refusal, orderId: null, lines: [] }
    },

    /** Verifies and redeems a voucher, once: of ten simultaneous scans, one redeems. */
    async redeem(actor: Actor, input: { code: string; storeId?: string }): Promise<StaffRedemptionView> {
      const now = clock()
      const storeId = storeOf(actor, input.storeId)
      const audit = (outcome: string, details: Record<string, unknown> = {}) =>
        recordAudit({ actorId: actor.userId, action: 'voucher.redeem', targetType: 'voucher', targetId: input.code, outcome, details: { storeId, ...details }, at: now })

      const voucher = await voucherOf(input.code)
      if (!voucher) {
        await audit('not_found')
        throw new AppError('VOUCHER_NOT_FOUND')
      }
      if (!voucher.storeIds.some((s) => s.equals(storeId))) {
        await audit('wrong_store', { itemName: voucher.itemName })
        throw new AppError('WRONG_STORE', `本店不能核销「${voucher.itemName}」，请到${(await storesText(voucher)).text}核销`)
      }
      const redeemed = await VoucherModel.findOneAndUpdate(
        { _id: input.code, state: 'active', expiresAt: { $gt: now } },
        { $set: { state: 'redeemed', redeemedAt: now, redeemedBy: new Types.ObjectId(actor.userId), redeemedStoreId: new Types.ObjectId(storeId), redeemedDay: businessDay(now, timeZone) } },
        { new: true },
      ).lean()
      if (redeemed) {
        await audit('redeemed', { itemName: voucher.itemName })
        return (await toViews([redeemed]))[0]!
      }

      const current = (await VoucherModel.findById(input.code).lean())!
      if (current.state === 'redeemed') {
        const { text, view } = await redeemedText(current)
        await audit('already_redeemed', { redeemedAt: current.redeemedAt, redeemedBy: current.redeemedBy })
        throw new AppError('VOUCHER_ALREADY_REDEEMED', text, { redeemedAt: current.redeemedAt!.toISOString(), staffName: view.staffName, storeName: view.storeName })
      }
      const outcome = current.state === 'active' || current.state.startsWith('expir') ? 'VOUCHER_EXPIRED' : 'VOUCHER_CANCELLED'
      await audit(outcome === 'VOUCHER_EXPIRED' ? 'expired' : 'cancelled')
      throw new AppError(outcome)
    },

    /** Today's (or a given day's) redemptions: one's own, or a whole store's for its manager. */
    async history(actor: Actor, query: StaffHistoryQuery): Promise<StaffRedemptionView[]> {
      const day = query.day ?? businessDay(clock(), timeZone)
      let filter: Record<string, unknown> = { redeemedBy: new Types.ObjectId(actor.userId), redeemedDay: day }
      if (query.storeId) {
        const me = await getUser(actor.userId)
        const manages = me.staffPosition === 'manager' && actor.storeIds.includes(query.storeId)
        if (!manages && !actor.roles.includes('admin')) throw new AppError('FORBIDDEN', '只有店长可以查看门店核销记录')
        filter = { redeemedStoreId: new Types.ObjectId(query.storeId), redeemedDay: day }
      }
      const list = await VoucherModel.find({ ...filter, state: 'redeemed' }).sort({ redeemedAt: -1 }).limit(200).lean()
      return toViews(list)
    },
  }
}

export type StaffDeskService = ReturnType<typeof createStaffDeskService>
