import { randomBytes } from 'node:crypto'
import { insertOnce } from '../../core/insert-once'
import { Types } from 'mongoose'
import type { CreateShareRequest, Rules } from '@xianlin/shared'
import type { EventsService } from '../events/events.service'
import type { RewardsService, RewardOutcome } from '../rewards/rewards.service'
import type { ReferralService } from './referral.service'
import { ShareModel, ShareOpenModel } from './referral.model'

/**
 * Share cards (DESIGN.md, share rewards): a share gets an id its path carries; it becomes
 * effective when a different user opens it, which earns the sharer points within the share
 * rule's caps (3 a day by default). The same opener twice counts once.
 */
export function createSharesService(deps: { rules: Rules['share']; referral: ReferralService; rewards: RewardsService; events: EventsService; clock: () => Date }) {
  const { rules, referral, rewards, events, clock } = deps
  return {
    async create(userId: string, input: CreateShareRequest): Promise<{ shareId: string; path: string }> {
      const shareId = randomBytes(12).toString('hex')
      await ShareModel.create({ _id: shareId, userId: new Types.ObjectId(userId), page: input.page, targetId: input.targetId ?? null, createdAt: clock() })
      await events.track({ userId, name: 'share', props: { page: input.page, targetId: input.targetId ?? null }, at: clock() })
      const code = await referral.codeOf(userId)
      const query = [`inviter=${code}`, `shareId=${shareId}`, ...(input.targetId ? [`id=${input.targetId}`] : [])].join('&')
      return { shareId, path: `/${input.page}?${query}` }
    },

    /** Records that `openerId` opened the share; returns whether it earned the sharer points. */
    async open(shareId: string, openerId: string): Promise<{ counted: boolean; reward: RewardOutcome | null }> {
      const share = await ShareModel.findById(shareId).lean()
      // An unknown share answers like one that earns nothing: the reply does not confirm ids.
      if (!share || share.userId.equals(openerId)) return { counted: false, reward: null }
      if (!(await insertOnce(ShareOpenModel, { _id: `${shareId}:${openerId}`, at: clock() })).inserted) return { counted: false, reward: null }
      await events.track({ userId: openerId, name: 'share_open', props: { shareId, sharerId: share.userId.toHexString() }, at: clock() })
      // One reward per share, paid on its first opener other than the sharer.
      const reward = await rewards.payPoints({
        rule: 'share',
        caps: rules.caps,
        userId: share.userId,
        amount: rules.pointsPerEffectiveShare,
        key: `share:${shareId}`,
        source: 'share',
        sourceId: shareId,
      })
      return { counted: true, reward }
    },
  }
}

export type SharesService = ReturnType<typeof createSharesService>
