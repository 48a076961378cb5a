import { Types } from 'mongoose'
import type { CouponClaimView } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import type { RewardsService } from '../rewards/rewards.service'
import { CouponModel, CouponTemplateModel, copiedTerms } from './coupon.model'
import { toCouponView, type CouponsService } from './coupons.service'

const SOURCE = 'claim'

/**
 * 领券链接: shoppers claim a coupon of a template themselves from a link or QR code, one each,
 * within the total the operator set. Claims go through the rewards service (the template's
 * budget counted with a guarded counter, each member's claim keyed), so racing members never
 * take more than the total, and a member who has one is answered with it.
 */
export function createCouponClaims(deps: { coupons: CouponsService; rewards: RewardsService; clock: () => Date }) {
  // Keyed by the total too: a member turned away when it ran out may claim once the operator adds more.
  const keyOf = (templateId: string, userId: string, total: number) => `claim:${templateId}:${userId}:${total}`
  const ruleOf = (total: number, templateId: string) => ({ rule: `claim:${templateId}`, caps: { perUserPerDay: null, perUserPerWeek: null, perUserLifetime: null, campaignBudget: total } })

  async function templateOf(id: string) {
    const t = Types.ObjectId.isValid(id) ? await CouponTemplateModel.findById(id).lean() : null
    if (!t || t.claimTotal === null || t.claimTotal === undefined) throw new AppError('CLAIM_CLOSED')
    return t
  }

  async function view(id: string, userId: string | null): Promise<CouponClaimView> {
    const t = await templateOf(id)
    const now = deps.clock()
    const [claimed, mine] = await Promise.all([
      CouponModel.countDocuments({ templateId: t._id, source: SOURCE }),
      userId ? CouponModel.findOne({ templateId: t._id, userId: new Types.ObjectId(userId), source: SOURCE }).lean() : null,
    ])
    const total = t.claimTotal!
    const validity = t.validityKind === 'fixed' ? { kind: 'fixed' as const, from: t.validFrom!.toISOString(), to: t.validTo!.toISOString() } : { kind: 'relative' as const, days: t.validDays! }
    const state = !t.active || (t.validityKind === 'fixed' && t.validTo! <= now) ? 'closed' : claimed >= total ? 'sold_out' : 'open'
    return { template: { id: String(t._id), ...copiedTerms(t), validity }, state, total, claimed, mine: mine ? toCouponView(mine, now) : null }
  }

  return {
    view,

    /** Opens (or re-sizes) the template's claiming; `total` coupons in all. */
    async open(templateId: string, total: number): Promise<CouponClaimView> {
      const updated = await CouponTemplateModel.updateOne({ _id: templateId, active: true }, { $set: { claimTotal: total } })
      if (updated.matchedCount === 0) throw new AppError('NOT_FOUND', '优惠券模板不存在或已停用')
      return view(templateId, null)
    },

    /** A member claims one; claiming again answers with the coupon they have. */
    async claim(templateId: string, userId: string): Promise<CouponClaimView> {
      const t = await templateOf(templateId)
      const current = await view(templateId, userId)
      if (current.mine) return current
      if (current.state === 'closed') throw new AppError('CLAIM_CLOSED')
      const key = keyOf(templateId, userId, t.claimTotal!)
      const outcome = await deps.rewards.grant({ ...ruleOf(t.claimTotal!, templateId), userId, amount: 1, key, kind: 'coupon' }, async () => {
        await deps.coupons.grant({ templateId, userId, key, source: SOURCE })
      })
      if (!outcome.paid) throw new AppError(outcome.reason === 'IN_PROGRESS' ? 'CLAIM_IN_PROGRESS' : 'CLAIM_SOLD_OUT')
      return view(templateId, userId)
    },
  }
}
