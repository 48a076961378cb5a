import { Types } from 'mongoose'
import { maskName, type AssistView, type Rules } from '@xianlin/shared'
import { unguessableObjectId } from '../../lib/random-id'
import { AppError } from '../../core/app-error'
import { claimNumberedSlot } from '../../core/numbered-slot'
import { getProduct } from '../catalog/catalog.service'
import type { MallService } from '../mall/mall.service'
import type { RewardsService } from '../rewards/rewards.service'
import { listStores } from '../stores/stores.service'
import { notify } from '../notifications/notifications.service'
import { getUser, userNames } from '../users/users.service'
import { AssistHelpCountModel, AssistHelpModel, AssistModel } from './assist.model'
import { giveBackCapped, takeCapped } from '../../core/capped-counter'
import { businessDay } from '@xianlin/shared'

const HOUR_MS = 3_600_000
const ASSIST_LIMIT_COPY = {
  BUDGET_EXHAUSTED: '助力活动礼品已送完，下次早点来',
  DAILY_CAP: '今天的助力礼已领过，明天再来',
  WEEKLY_CAP: '本周的助力礼已领满，下周再来',
  LIFETIME_CAP: '助力礼领取次数已达上限',
} as const

/** Assists (DESIGN.md, 助力): distinct friends help within a window; the last one completes it. */
export function createAssistsService(deps: { rules: Rules['assist']; mall: MallService; rewards: RewardsService; timeZone: string; clock: () => Date }) {
  const { rules, mall, rewards, timeZone, clock } = deps

  /** An assist as `viewerId` sees it; a visitor not signed in (null) sees what a friend's link shows. */
  async function view(assistId: Types.ObjectId, viewerId: string | null): Promise<AssistView> {
    const a = await AssistModel.findById(assistId).lean()
    if (!a) throw new AppError('NOT_FOUND', '助力不存在')
    const product = await getProduct(a.productId.toHexString())
    const helps = await AssistHelpModel.find({ assistId }).sort({ at: 1 }).lean()
    const names = await userNames([a.ownerId, ...helps.map((h) => h.helperId)])
    const isOwner = viewerId !== null && a.ownerId.equals(viewerId)
    const expired = a.state === 'open' && a.expiresAt <= clock()
    return {
      id: a._id.toHexString(),
      product: { id: product.id, name: product.name, priceFen: product.priceFen, cover: product.cover },
      owner: maskName(names.get(a.ownerId.toHexString()) ?? ''),
      isOwner,
      helpers: helps.map((h) => maskName(names.get(h.helperId.toHexString()) ?? '')),
      helpedByMe: viewerId !== null && helps.some((h) => h.helperId.equals(viewerId)),
      helpersNeeded: a.helpersNeeded,
      state: expired ? 'failed' : a.state,
      expiresAt: a.expiresAt.toISOString(),
      voucherCode: isOwner ? (a.voucherCode ?? null) : null,
      rewardRefused: isOwner ? ((a.rewardRefused as AssistView['rewardRefused']) ?? null) : null,
    }
  }

  return {
    async start(ownerId: string, productId: string): Promise<AssistView> {
      await getProduct(productId)
      // Refused early when the owner could not win the voucher now; completion decides for good.
      const limit = await rewards.limitReached('assist', rules.caps, ownerId, 1)
      if (limit) throw new AppError('ASSIST_LIMIT_REACHED', ASSIST_LIMIT_COPY[limit as keyof typeof ASSIST_LIMIT_COPY])
      const now = clock()
      // The id is the share link's secret: helping needs the link, not a guess from one's own id.
      const a = await AssistModel.create({
        _id: unguessableObjectId(),
        ownerId: new Types.ObjectId(ownerId),
        productId: new Types.ObjectId(productId),
        helpersNeeded: rules.helpersNeeded,
        state: 'open',
        createdAt: now,
        expiresAt: new Date(now.getTime() + rules.windowHours * HOUR_MS),
      })
      return view(a._id, ownerId)
    },

    get: (id: string, viewerId: string | null) => view(new Types.ObjectId(id), viewerId),

    /**
     * A friend helps: never the owner, once per friend, only while open. The friend who takes the
     * last place completes the assist, which issues the owner's voucher exactly once.
     */
    async help(id: string, helperIdText: string): Promise<AssistView> {
      const assistId = new Types.ObjectId(id)
      const helperId = new Types.ObjectId(helperIdText)
      const now = clock()
      const a = await AssistModel.findById(assistId).lean()
      if (!a) throw new AppError('NOT_FOUND', '助力不存在')
      if (a.ownerId.equals(helperId)) throw new AppError('ASSIST_SELF')
      if (a.state !== 'open' || a.expiresAt <= now) throw new AppError(a.state === 'completed' ? 'ASSIST_FULL' : 'ASSIST_EXPIRED')
      if (rules.newUsersOnly) {
        const helper = await getUser(helperIdText)
        if ((helper as unknown as { createdAt: Date }).createdAt < a.createdAt) throw new AppError('ASSIST_NEW_USERS_ONLY')
      }
      // A friend's helps a day are counted first and given back when the help does not happen.
      const counter = `${helperIdText}:${businessDay(now, timeZone)}`
      if (rules.helpsPerDay !== null && !(await takeCapped(AssistHelpCountModel, counter, 'used', 1, rules.helpsPerDay))) {
        throw new AppError('ASSIST_HELP_LIMIT', `你今天已经帮 ${rules.helpsPerDay} 位好友助力过了，明天再来吧`)
      }
      const place = await claimNumberedSlot({
        count: a.helpersNeeded,
        idOf: (n) => `${assistId}:${n}`,
        insert: (_id) => AssistHelpModel.create({ _id, assistId, helperId, at: now }),
        whenTaken: async () => {
          if (await AssistHelpModel.exists({ assistId, helperId })) throw new AppError('ASSIST_ALREADY_HELPED')
        },
      }).catch(async (err: unknown) => {
        if (rules.helpsPerDay !== null) await giveBackCapped(AssistHelpCountModel, counter, 'used', 1)
        throw err
      })
      if (!place) {
        if (rules.helpsPerDay !== null) await giveBackCapped(AssistHelpCountModel, counter, 'used', 1)
        throw new AppError('ASSIST_FULL')
      }
      if (place.n === a.helpersNeeded) await this.complete(assistId)
      return view(assistId, helperIdText)
    },

    /**
     * Completes a full assist and issues the owner's gift voucher within the assist rule's caps
     * and budget; once, whoever calls it. A voucher past a cap is refused with its reason.
     */
    async complete(assistId: Types.ObjectId): Promise<void> {
      const a = await AssistModel.findOneAndUpdate({ _id: assistId, state: 'open' }, { $set: { state: 'completed' } }, { new: true }).lean()
      const done = a ?? (await AssistModel.findById(assistId).lean())
      if (!done || done.state !== 'completed' || done.voucherCode || done.rewardRefused) return
      const product = await getProduct(done.productId.toHexString())
      const stores = await listStores()
      const issue = () =>
        mall.issueGiftVoucher({
          userId: done.ownerId,
          itemId: done.productId,
          itemName: `${product.name}（助力礼）`,
          cover: product.cover,
          storeIds: stores.map((s) => new Types.ObjectId(s.id)),
          key: `assist:${assistId}`,
        })
      const outcome = await rewards.grant({ rule: 'assist', kind: 'voucher', caps: rules.caps, userId: done.ownerId, amount: 1, key: `assist:${assistId}` }, async () => void (await issue()))
      // IN_PROGRESS: another call holds the grant; it finishes, or the recovery jobs do.
      if (!outcome.paid && outcome.reason === 'IN_PROGRESS') return
      if (outcome.paid) await AssistModel.updateOne({ _id: assistId }, { $set: { voucherCode: (await issue())._id } })
      else await AssistModel.updateOne({ _id: assistId }, { $set: { rewardRefused: outcome.reason } })
      // The owner is told how it ended, once (the notice is keyed by the assist).
      const notice = outcome.paid
        ? { title: '助力成功', body: `好友助力完成，「${product.name}」助力礼已放入「我的兑换」，到店出示券码领取` }
        : { title: '助力已完成', body: `好友助力完成，但${ASSIST_LIMIT_COPY[outcome.reason as keyof typeof ASSIST_LIMIT_COPY]}` }
      await notify({ key: `assist:completed:${assistId}`, userId: done.ownerId, kind: 'assist_completed', ...notice, link: `/pages/assist/index?id=${assistId}`, at: clock() })
    },

    /** Job: completed assists a crash left without their voucher (or refusal) are finished. */
    async recover(now: Date): Promise<number> {
      const stale = new Date(now.getTime() - 60_000)
      const left = await AssistModel.find({ state: 'completed', voucherCode: null, rewardRefused: null, createdAt: { $lt: stale } }).limit(200).lean()
      for (const a of left) await this.complete(a._id)
      return left.length
    },

    /** Job: open assists past their window fail (and never issue a voucher). */
    async expireDue(now: Date): Promise<number> {
      const res = await AssistModel.updateMany({ state: 'open', expiresAt: { $lte: now } }, { $set: { state: 'failed' } })
      return res.modifiedCount
    },
  }
}

export type AssistsService = ReturnType<typeof createAssistsService>
