import { Types } from 'mongoose'
import { insertOnce } from '../../core/insert-once'
import { AppError } from '../../core/app-error'
import { maskName, type BindRefusal, type InviteSummary, type Rules } from '@xianlin/shared'
import { isDuplicateKeyError } from '../../db/errors'
import { recordAudit } from '../audit/audit.service'
import type { CouponsService } from '../coupons/coupons.service'
import type { EventsService } from '../events/events.service'
import type { RewardsService } from '../rewards/rewards.service'
import { userNames } from '../users/users.service'
import { InviteCodeModel, InviteOwnerModel, ReferralBindingModel } from './referral.model'
import type { PosterCodes } from '../posters/poster-codes'
import { insertWithFreshCode, randomSymbols } from '../../lib/random-code'

const HOUR_MS = 3_600_000
/** How far up an inviter's own chain we look for a cycle. */
const MAX_CHAIN = 50

export type BindOutcome = { bound: true; inviterId: string } | { bound: false; reason: BindRefusal }

/** Invitations (DESIGN.md, Invitations and share rewards): codes, binding rules, rewards. */
export function createReferralService(deps: {
  rules: Rules['referral']
  rewards: RewardsService
  coupons: CouponsService
  events: EventsService
  posters: PosterCodes
  clock: () => Date
}) {
  const { rules, rewards, coupons, events, posters, clock } = deps
  const oid = (id: string | Types.ObjectId) => (typeof id === 'string' ? new Types.ObjectId(id) : id)

  /** Everyone above `userId` in the invitation tree, nearest first. */
  async function chainAbove(userId: Types.ObjectId): Promise<Types.ObjectId[]> {
    const chain: Types.ObjectId[] = []
    let current = userId
    for (let i = 0; i < MAX_CHAIN; i++) {
      const binding = await ReferralBindingModel.findById(current).lean()
      if (!binding) break
      chain.push(binding.inviterId)
      current = binding.inviterId
    }
    return chain
  }

  async function audit(inviteeId: Types.ObjectId, outcome: string, details: Record<string, unknown>) {
    await recordAudit({ actorId: inviteeId, action: 'referral.bind', targetType: 'user', targetId: inviteeId.toHexString(), outcome, details, at: clock() })
  }

  async function payInviter(inviterId: Types.ObjectId, amount: number, key: string, sourceId: string) {
    if (amount <= 0) return
    const outcome = await rewards.payPoints({ rule: 'referral', caps: rules.caps, userId: inviterId, amount, key, source: 'invite', sourceId })
    if (outcome.paid) await events.track({ userId: inviterId, name: 'invitation_reward', props: { key, points: amount }, at: clock() })
  }

  return {
    /** The user's invite code, created on first use. */
    async codeOf(userIdText: string | Types.ObjectId): Promise<string> {
      const userId = oid(userIdText)
      const existing = await InviteOwnerModel.findById(userId).lean()
      if (existing) return existing.code
      const code = await insertWithFreshCode(() => randomSymbols(8), (c) => InviteCodeModel.create({ _id: c, userId }))
      // A concurrent call may give this user a code first; ours stays harmless (it maps to them too).
      const first = await insertOnce(InviteOwnerModel, { _id: userId, code }, () => InviteOwnerModel.findById(userId).lean())
      return first.inserted ? code : first.existing!.code
    },

    /**
     * Binds `invitee` to the owner of `code` when DESIGN.md allows: never themselves, never a
     * cycle, only within `bindWithinHours` of registering, and only the first inviter ever. Every
     * decision, bound or refused, goes to the audit log with its reason.
     */
    async bind(invitee: { id: string | Types.ObjectId; createdAt: Date }, code: string, shareId: string | null = null): Promise<BindOutcome> {
      const inviteeId = oid(invitee.id)
      const owner = await InviteCodeModel.findById(code.toUpperCase()).lean()
      const refuse = async (reason: BindRefusal): Promise<BindOutcome> => {
        await audit(inviteeId, 'refused', { reason, code, inviterId: owner?.userId ?? null, shareId })
        return { bound: false, reason }
      }
      // Refusals that depend only on the invitee come first, so they answer the same for any
      // code: the reply never tells a real code from a guessed one.
      if (await ReferralBindingModel.exists({ _id: inviteeId })) return refuse('ALREADY_BOUND')
      if (clock().getTime() - invitee.createdAt.getTime() > rules.bindWithinHours * HOUR_MS) return refuse('TOO_LATE')
      if (!owner) return refuse('UNKNOWN_CODE')
      if (owner.userId.equals(inviteeId)) return refuse('SELF')
      if ((await chainAbove(owner.userId)).some((id) => id.equals(inviteeId))) return refuse('CYCLE')
      try {
        await ReferralBindingModel.create({ _id: inviteeId, inviterId: owner.userId, shareId, at: clock() })
      } catch (err) {
        if (isDuplicateKeyError(err)) return refuse('ALREADY_BOUND')
        throw err
      }
      await audit(inviteeId, 'bound', { code, inviterId: owner.userId, shareId })
      return { bound: true, inviterId: owner.userId.toHexString() }
    },

    /** Login attribution: an `inviter` code from a share card, or a poster's `scene` (`i_<code>`). */
    async attribute(invitee: { id: string | Types.ObjectId; createdAt: Date }, attribution: { inviter?: string; shareId?: string; scene?: string } | undefined) {
      const code = attribution?.inviter ?? /^i_([0-9A-Za-z]{8})$/.exec(attribution?.scene ?? '')?.[1]
      if (!code) return null
      return this.bind(invitee, code, attribution?.shareId ?? null)
    },

    /** Hook: the invitee bound a phone number; the inviter earns once. */
    async phoneBound(inviteeIdText: string): Promise<void> {
      const inviteeId = oid(inviteeIdText)
      const binding = await ReferralBindingModel.findOneAndUpdate({ _id: inviteeId, phoneBoundAt: null }, { $set: { phoneBoundAt: clock() } }, { new: true }).lean()
      const bound = binding ?? (await ReferralBindingModel.findById(inviteeId).lean())
      if (!bound) return
      await payInviter(bound.inviterId, rules.inviterPointsOnPhoneBound, `invite:phone:${inviteeId}`, inviteeId.toHexString())
    },

    /**
     * Hook for orders: the invitee completed an order. The first one rewards the inviter (points)
     * and the invitee (a coupon), and may reach an inviter milestone; each reward is keyed so
     * retries and races pay it once.
     */
    async orderCompleted(inviteeIdText: string, orderId: string): Promise<void> {
      const inviteeId = oid(inviteeIdText)
      await ReferralBindingModel.updateOne({ _id: inviteeId, firstOrderAt: null }, { $set: { firstOrderAt: clock() } })
      const binding = await ReferralBindingModel.findById(inviteeId).lean()
      if (!binding?.firstOrderAt) return
      await payInviter(binding.inviterId, rules.inviterPointsOnFirstOrder, `invite:first-order:${inviteeId}`, orderId)
      if (rules.inviteeCouponFen > 0) {
        const templateId = await coupons.ensureTemplate(`referral:invitee:${rules.inviteeCouponFen}`, {
          name: '好友邀请礼券',
          kind: 'amount',
          amountFen: rules.inviteeCouponFen,
          minSpendFen: 0,
          validity: { kind: 'relative', days: 30 },
          scope: 'all',
        })
        await coupons.grant({ templateId, userId: inviteeId, key: `invite:invitee-coupon:${inviteeId}`, source: 'invite' })
      }
      const succeeded = await ReferralBindingModel.countDocuments({ inviterId: binding.inviterId, firstOrderAt: { $ne: null } })
      for (const m of rules.milestones.filter((m) => m.invitations <= succeeded)) {
        await payInviter(binding.inviterId, m.points, `invite:milestone:${binding.inviterId}:${m.invitations}`, String(m.invitations))
      }
    },

    /** The mini-program code of the user's invite (scene `i_<code>`, opening the home page), cached. */
    async posterCode(userId: string): Promise<{ bytes: Buffer; contentType: string }> {
      return posters.get(`i_${await this.codeOf(userId)}`)
    },

    /** The 邀请有礼 page: my code, counts, milestones and friends (names masked). */
    /** Who an invite code belongs to, masked, for the link's landing; NOT_FOUND for no such code. */
    async invitation(code: string): Promise<{ inviter: string; inviteeCouponFen: number }> {
      const owner = await InviteCodeModel.findById(code.toUpperCase()).lean()
      if (!owner) throw new AppError('INVITE_CODE_UNKNOWN')
      return { inviter: maskName((await userNames([owner.userId])).get(owner.userId.toHexString()) ?? ''), inviteeCouponFen: rules.inviteeCouponFen }
    },

    async summary(userIdText: string): Promise<InviteSummary> {
      const userId = oid(userIdText)
      const code = await this.codeOf(userId)
      const bindings = await ReferralBindingModel.find({ inviterId: userId }).sort({ at: -1 }).limit(200).lean()
      const names = await userNames(bindings.map((b) => b._id))
      const succeeded = bindings.filter((b) => b.firstOrderAt).length
      return {
        code,
        path: `/pages/index/index?inviter=${code}`,
        invited: bindings.length,
        succeeded,
        milestones: rules.milestones.map((m) => ({ invitations: m.invitations, points: m.points, reached: succeeded >= m.invitations })),
        rewards: { phoneBoundPoints: rules.inviterPointsOnPhoneBound, firstOrderPoints: rules.inviterPointsOnFirstOrder, inviteeCouponFen: rules.inviteeCouponFen },
        friends: bindings.map((b) => ({
          name: maskName(names.get(b._id.toHexString()) ?? ''),
          state: b.firstOrderAt ? 'ordered' : b.phoneBoundAt ? 'phone_bound' : 'registered',
          at: b.at.toISOString(),
        })),
      }
    },
  }
}

export type ReferralService = ReturnType<typeof createReferralService>
