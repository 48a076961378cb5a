import { Types } from 'mongoose'
import { insertOnce } from '../../core/insert-once'
import { AppError } from '../../core/app-error'
import { formatFen, maskName, type BindRefusal, type InvitationReview, type InviteFriendReward, type InviteRewardRefusal, type InviteSummary, type Rules } from '@xianlin/shared'
import { isDuplicateKeyError } from '../../db/errors'
import { recordAudit } from '../audit/audit.service'
import { notify } from '../notifications/notifications.service'
import type { CouponsService } from '../coupons/coupons.service'
import type { EventsService } from '../events/events.service'
import type { RewardRefusal, RewardsService } from '../rewards/rewards.service'
import { othersOnSameDevices, mostAccountsOnOneDevice } from '../users/user-devices'
import { getUser, othersWithSameUnionid, userNames } from '../users/users.service'
import { InviteCodeModel, InviteOwnerModel, ReferralBindingModel, type ReferralBinding } from './referral.model'
import type { PosterCodes } from '../posters/poster-codes'
import type { RewardIdentities } from './reward-identities'
import { insertWithFreshCode, randomSymbols } from '../../lib/random-code'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

export type BindOutcome = { bound: true; inviterId: string } | { bound: false; reason: BindRefusal }

/** Invitations (DESIGN.md, Invitations and share rewards): codes, binding rules, rewards. */
export function createReferralService(deps: {
  rules: Rules['referral']
  rewards: RewardsService
  coupons: CouponsService
  events: EventsService
  posters: PosterCodes
  /** The refund window: first-order rewards wait until the order is past it. */
  orders: Rules['orders']
  /** Other members whose bound phone number is this member's (the phone module). */
  phoneTwins: (userId: Types.ObjectId) => Promise<Types.ObjectId[]>
  /** Whether the member has bound a phone number (the phone module). */
  hasPhone: (userId: Types.ObjectId) => Promise<boolean>
  /** Identities that already earned or were counted for an invitation reward (reward-identities.ts). */
  identities: RewardIdentities
  clock: () => Date
}) {
  const { rules, rewards, coupons, events, posters, clock } = deps
  const oid = (id: string | Types.ObjectId) => (typeof id === 'string' ? new Types.ObjectId(id) : id)

  /** Whether member `a` joined before member `b`: by registration time, then by id (ids grow with time too). */
  const joinedBefore = (a: { id: Types.ObjectId; createdAt: Date }, b: { id: Types.ObjectId; createdAt: Date }) =>
    a.createdAt.getTime() < b.createdAt.getTime() || (a.createdAt.getTime() === b.createdAt.getTime() && a.id.toHexString() < b.id.toHexString())
  const registrationOf = async (userId: Types.ObjectId) => ({ id: userId, createdAt: (await getUser(userId.toHexString())).createdAt as Date })

  async function audit(inviteeId: Types.ObjectId, outcome: string, details: Record<string, unknown>) {
    await recordAudit({ actorId: inviteeId, action: 'referral.bind', targetType: 'user', targetId: inviteeId.toHexString(), outcome, details, at: clock() })
  }

  /** How a reward ended: the points paid, or the cap that refused them; null while another call is paying it. */
  type Settled = { points: number; refused: RewardRefusal | null }
  async function payInviter(inviterId: Types.ObjectId, amount: number, key: string, sourceId: string): Promise<Settled | null> {
    if (amount <= 0) return { points: 0, refused: null }
    const outcome = await rewards.payPoints({ rule: 'referral', caps: rules.caps, userId: inviterId, amount, key, source: 'invite', sourceId })
    if (outcome.paid) {
      await events.track({ userId: inviterId, name: 'invitation_reward', props: { key, points: amount }, at: clock() })
      return { points: amount, refused: null }
    }
    return outcome.reason === 'IN_PROGRESS' ? null : { points: amount, refused: outcome.reason }
  }

  async function auditReward(b: { _id: Types.ObjectId; inviterId: Types.ObjectId }, outcome: string, details: Record<string, unknown> = {}) {
    await recordAudit({ actorId: null, action: 'referral.reward', targetType: 'user', targetId: b._id.toHexString(), outcome, details: { inviterId: b.inviterId, ...details }, at: clock() })
  }

  /**
   * Tells the truth about a reward just settled, once (by the call that settled it): a paid one is
   * audited and announced to the inviter; one a cap refused is audited with the cap, and not announced.
   */
  async function reportSettled(b: { _id: Types.ObjectId; inviterId: Types.ObjectId }, reward: 'phone' | 'first_order', outcome: Settled, details: Record<string, unknown>, notice: { key: string; body: string }) {
    if (outcome.refused) return auditReward(b, 'refused', { reward, reason: outcome.refused, points: outcome.points, ...details })
    await auditReward(b, 'paid', { reward, points: outcome.points, ...details })
    if (outcome.points > 0) await notify({ key: notice.key, userId: b.inviterId, kind: 'invite_reward', title: '邀请奖励到账', body: notice.body, at: clock() })
  }

  /**
   * Velocity rules at binding time: an inviter binding many friends within the hour, or a friend
   * on a device many accounts share, puts the invitation in the review queue.
   */
  async function velocityReasons(inviterId: Types.ObjectId, inviteeId: Types.ObjectId): Promise<string[]> {
    const reasons: string[] = []
    const lastHour = await ReferralBindingModel.countDocuments({ inviterId, at: { $gt: new Date(clock().getTime() - HOUR_MS) } })
    if (lastHour + 1 > rules.review.maxInviteesPerHour) reasons.push('INVITER_VELOCITY')
    if ((await mostAccountsOnOneDevice(inviteeId)) > rules.review.maxAccountsPerDevice) reasons.push('CROWDED_DEVICE')
    return reasons
  }

  /**
   * Duplicate-account check (DESIGN.md, Abuse defences): the invitee shares a phone number,
   * unionid or device with the inviter, or with an invitee already rewarded.
   */
  async function duplicateOf(b: { _id: Types.ObjectId; inviterId: Types.ObjectId }): Promise<string | null> {
    const signals: Array<[string, () => Promise<Types.ObjectId[]>]> = [
      ['SAME_PHONE', () => deps.phoneTwins(b._id)],
      ['SAME_UNIONID', () => othersWithSameUnionid(b._id)],
      ['SAME_DEVICE', () => othersOnSameDevices(b._id)],
    ]
    for (const [reason, twinsOf] of signals) {
      const twins = await twinsOf()
      if (twins.some((id) => id.equals(b.inviterId))) return reason
      for (const id of twins) if (await ReferralBindingModel.exists({ _id: id, rewardedAt: { $ne: null } })) return reason
    }
    return null
  }

  /**
   * Pays what an invitation has earned so far, each reward settled once (keyed): paid, or refused
   * by a cap, and kept on the binding either way; nothing while it waits for review, was rejected,
   * or comes from a duplicate account. Safe to call any number of times, from any hook or job: the
   * flags are set after the payment, by the one who sets them.
   */
  async function settle(inviteeId: Types.ObjectId): Promise<void> {
    const b = await ReferralBindingModel.findById(inviteeId).lean()
    if (!b || b.refusedReason || (b.review && b.review.state !== 'approved') || !b.phoneBoundAt) return
    const duplicate = (await duplicateOf(b)) ?? (await deps.identities.claim(b._id, b.inviterId))
    if (duplicate) {
      const refused = await ReferralBindingModel.updateOne({ _id: b._id, refusedReason: null }, { $set: { refusedReason: duplicate } })
      if (refused.modifiedCount === 1) await auditReward(b, 'refused', { reason: duplicate })
      return
    }
    const now = clock()
    if (!b.phoneRewardedAt) {
      const outcome = await payInviter(b.inviterId, rules.inviterPointsOnPhoneBound, `invite:phone:${b._id}`, b._id.toHexString())
      if (!outcome) return // another call is paying it, and settles the rest
      const settled = await ReferralBindingModel.updateOne({ _id: b._id, phoneRewardedAt: null }, { $set: { phoneRewardedAt: now, phoneReward: outcome } })
      if (settled.modifiedCount === 1) await reportSettled(b, 'phone', outcome, {}, { key: `invite:phone:${b._id}`, body: `好友已绑定手机号，你获得 ${outcome.points} 积分` })
    }
    if (b.firstOrderDueAt && b.firstOrderDueAt <= now && !b.firstOrderRewardedAt) {
      const outcome = await payInviter(b.inviterId, rules.inviterPointsOnFirstOrder, `invite:first-order:${b._id}`, b.firstOrderId ?? '')
      if (!outcome) return
      // The friend's gift is theirs: an inviter's cap does not take it away.
      if (rules.inviteeCouponFen > 0) {
        const templateId = await coupons.ensureTemplate(`referral:invitee:${rules.inviteeCouponFen}`, {
          name: '好友邀请礼券',
          kind: 'amount',
          amountFen: rules.inviteeCouponFen,
          minSpendFen: 0,
          validity: { kind: 'relative', days: 30 },
          scope: 'all',
        })
        await coupons.grant({ templateId, userId: b._id, key: `invite:invitee-coupon:${b._id}`, source: 'invite' })
      }
      const settled = await ReferralBindingModel.updateOne(
        { _id: b._id, firstOrderId: b.firstOrderId, firstOrderRewardedAt: null },
        { $set: { firstOrderRewardedAt: now, firstOrderReward: outcome } },
      )
      if (settled.modifiedCount === 1) {
        const details = { orderId: b.firstOrderId, inviteeCouponFen: rules.inviteeCouponFen }
        await reportSettled(b, 'first_order', outcome, details, { key: `invite:first-order:${b._id}`, body: `好友完成首单，你获得 ${outcome.points} 积分` })
        if (rules.inviteeCouponFen > 0) await notify({ key: `invite:invitee-coupon:${b._id}`, userId: b._id, kind: 'invite_coupon', title: '好友邀请礼券已到账', body: `${formatFen(rules.inviteeCouponFen, { trimZeros: true })} 无门槛券已放入「我的优惠券」`, at: now })
      }
      const succeeded = await ReferralBindingModel.countDocuments({ inviterId: b.inviterId, firstOrderRewardedAt: { $ne: null } })
      for (const m of rules.milestones.filter((m) => m.invitations <= succeeded)) {
        await payInviter(b.inviterId, m.points, `invite:milestone:${b.inviterId}:${m.invitations}`, String(m.invitations))
      }
    }
    await ReferralBindingModel.updateOne({ _id: b._id, rewardedAt: null }, { $set: { rewardedAt: now } })
  }

  /**
   * Where each reward of an invitation stands, as its inviter sees it: waiting for the friend,
   * pending until its day, under review, paid, or refused and why (REJECTED: by an operator).
   */
  function friendRewards(b: ReferralBinding): InviteFriendReward[] {
    const refusedAll = b.refusedReason ?? (b.review?.state === 'rejected' ? 'REJECTED' : null)
    const reviewing = b.review?.state === 'open'
    const view = (kind: InviteFriendReward['kind'], points: number, settled: { points: number; refused?: string | null } | null | undefined, settledAt: Date | null | undefined, triggered: boolean, dueAt: Date | null): InviteFriendReward => {
      const base = { kind, points, until: null, reason: null }
      if (settledAt) {
        // Settled before outcomes were kept: it was paid at the points then in force.
        const s = settled ?? { points, refused: null }
        return s.refused ? { ...base, points: s.points, state: 'refused', reason: s.refused as InviteRewardRefusal } : { ...base, points: s.points, state: 'paid' }
      }
      if (refusedAll) return { ...base, state: 'refused', reason: refusedAll as InviteRewardRefusal }
      if (!triggered) return { ...base, state: 'waiting' }
      if (reviewing) return { ...base, state: 'reviewing' }
      // Earned and being paid: the first order's on its day, the phone reward at once.
      return { ...base, state: 'pending', until: dueAt?.toISOString() ?? null }
    }
    return [
      view('phone', rules.inviterPointsOnPhoneBound, b.phoneReward, b.phoneRewardedAt, Boolean(b.phoneBoundAt), null),
      view('first_order', rules.inviterPointsOnFirstOrder, b.firstOrderReward, b.firstOrderRewardedAt, Boolean(b.firstOrderDueAt), b.firstOrderDueAt ?? null),
    ]
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
     * cycle, only within `bindWithinHours` of registering, and only the first inviter ever. An
     * inviter must have joined before the invitee (by registration, then id): every binding runs
     * from an earlier member to a later one, so no set of bindings, made at whatever moments, can
     * close a cycle, and nothing needs to be read or locked to know it. Every decision, bound or
     * refused, goes to the audit log with its reason.
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
      if (!joinedBefore(await registrationOf(owner.userId), { id: inviteeId, createdAt: invitee.createdAt })) return refuse('INVITER_NEWER')
      const held = await velocityReasons(owner.userId, inviteeId)
      const review = held.length ? { state: 'open', reasons: held, at: clock() } : null
      try {
        await ReferralBindingModel.create({ _id: inviteeId, inviterId: owner.userId, shareId, at: clock(), review })
      } catch (err) {
        if (isDuplicateKeyError(err)) return refuse('ALREADY_BOUND')
        throw err
      }
      await audit(inviteeId, 'bound', { code, inviterId: owner.userId, shareId, ...(held.length ? { review: held } : {}) })
      // The inviter's number, WeChat account and devices now: a friend reusing one later is the inviter's own.
      await deps.identities.markInviter(owner.userId)
      // A friend who bound a phone before opening the invitation is already real.
      if (await deps.hasPhone(inviteeId)) await this.phoneBound(inviteeId.toHexString())
      return { bound: true, inviterId: owner.userId.toHexString() }
    },

    /** Login attribution: an `inviter` code from a share card, or a poster's `scene` (`i_<code>`). */
    async attribute(invitee: { id: string | Types.ObjectId; createdAt: Date }, attribution: { inviter?: string; shareId?: string; scene?: string } | undefined) {
      const code = attribution?.inviter ?? /^i_([0-9A-Za-z]{8})$/.exec(attribution?.scene ?? '')?.[1]
      if (!code) return null
      return this.bind(invitee, code, attribution?.shareId ?? null)
    },

    /** Hook: the invitee bound a phone number; the inviter's phone reward follows (screened). */
    async phoneBound(inviteeIdText: string): Promise<void> {
      const inviteeId = oid(inviteeIdText)
      await ReferralBindingModel.updateOne({ _id: inviteeId, phoneBoundAt: null }, { $set: { phoneBoundAt: clock() } })
      await settle(inviteeId)
    },

    /** Hook for payments: the invitee paid an order (the inviter's page shows 已下单). One write, a no-op after the first. */
    async orderPaid(inviteeIdText: string): Promise<void> {
      await ReferralBindingModel.updateOne({ _id: oid(inviteeIdText), firstPaidAt: null }, { $set: { firstPaidAt: clock() } })
    },

    /**
     * Hook for orders: the invitee completed an order. The first one starts the first-order
     * rewards' wait: they are paid once it is past its refund window (`releaseDue`).
     */
    async orderCompleted(inviteeIdText: string, orderId: string): Promise<void> {
      const now = clock()
      const dueAt = new Date(now.getTime() + deps.orders.refundWindowDays * DAY_MS)
      await ReferralBindingModel.updateOne({ _id: oid(inviteeIdText), firstOrderAt: null }, { $set: { firstOrderId: orderId, firstOrderAt: now, firstOrderDueAt: dueAt } })
    },

    /**
     * Hook for refunds: the invitee's qualifying order was refunded inside its window. Its
     * pending rewards are cancelled, once; a later order may qualify instead. After the window
     * (rewards paid) nothing changes.
     */
    async orderRefunded(inviteeIdText: string, orderId: string): Promise<void> {
      const b = await ReferralBindingModel.findOneAndUpdate(
        { _id: oid(inviteeIdText), firstOrderId: orderId, firstOrderRewardedAt: null },
        { $set: { firstOrderId: null, firstOrderAt: null, firstOrderDueAt: null } },
      ).lean()
      if (b) await auditReward(b, 'cancelled', { reward: 'first_order', orderId })
    },

    /** Job: first orders past their refund window pay their invitation's rewards. Safe on several instances. */
    async releaseDue(now: Date): Promise<number> {
      // Only what settle can pay now: invitations waiting for a phone or a decision stay out, so
      // they never fill the batch ahead of payable ones.
      const due = await ReferralBindingModel.find(
        { firstOrderDueAt: { $lte: now }, firstOrderRewardedAt: null, refusedReason: null, phoneBoundAt: { $ne: null }, $or: [{ review: null }, { 'review.state': 'approved' }] },
        { _id: 1 },
      )
        .limit(200)
        .lean()
      for (const b of due) await settle(b._id)
      return due.length
    },

    /** The review queue (and decided invitations), oldest first, names masked for the console. */
    async reviews(state: 'open' | 'approved' | 'rejected'): Promise<InvitationReview[]> {
      const list = await ReferralBindingModel.find({ 'review.state': state }).sort({ at: 1 }).limit(100).lean()
      const names = await userNames(list.flatMap((b) => [b._id, b.inviterId]))
      return list.map((b) => ({
        inviteeId: b._id.toHexString(),
        invitee: maskName(names.get(b._id.toHexString()) ?? ''),
        inviterId: b.inviterId.toHexString(),
        inviter: maskName(names.get(b.inviterId.toHexString()) ?? ''),
        boundAt: b.at.toISOString(),
        reasons: b.review!.reasons,
        state: b.review!.state as InvitationReview['state'],
        decidedBy: b.review!.decidedBy ?? null,
        decidedAt: b.review!.decidedAt?.toISOString() ?? null,
        note: b.review!.note ?? null,
        phoneBound: Boolean(b.phoneBoundAt),
        rewarded: Boolean(b.rewardedAt),
      }))
    },

    /** An operator decides a held invitation, once: approving pays what it has earned, rejecting records why. */
    async decide(operator: string, inviteeIdText: string, decision: { approve: true } | { approve: false; note: string }): Promise<void> {
      const inviteeId = oid(inviteeIdText)
      const state = decision.approve ? 'approved' : 'rejected'
      const note = decision.approve ? null : decision.note
      const b = await ReferralBindingModel.findOneAndUpdate(
        { _id: inviteeId, 'review.state': 'open' },
        { $set: { 'review.state': state, 'review.decidedBy': operator, 'review.decidedAt': clock(), 'review.note': note } },
      ).lean()
      if (!b) throw new AppError('NOT_FOUND', '待审核的邀请不存在或已处理')
      await recordAudit({ actorId: null, action: 'referral.review', targetType: 'user', targetId: inviteeIdText, outcome: state, details: { inviterId: b.inviterId, reasons: b.review?.reasons ?? [], note }, at: clock() })
      if (decision.approve) await settle(inviteeId)
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
      const bindings = await ReferralBindingModel.find({ inviterId: userId }).sort({ at: -1, _id: -1 }).limit(200).lean()
      const names = await userNames(bindings.map((b) => b._id))
      const succeeded = bindings.filter((b) => b.firstOrderRewardedAt).length
      return {
        code,
        path: `/pages/index/index?inviter=${code}`,
        invited: bindings.length,
        ordered: bindings.filter((b) => b.firstPaidAt || b.firstOrderAt || b.firstOrderRewardedAt).length,
        succeeded,
        milestones: rules.milestones.map((m) => ({ invitations: m.invitations, points: m.points, reached: succeeded >= m.invitations })),
        rewards: { phoneBoundPoints: rules.inviterPointsOnPhoneBound, firstOrderPoints: rules.inviterPointsOnFirstOrder, inviteeCouponFen: rules.inviteeCouponFen },
        friends: bindings.map((b) => ({
          name: maskName(names.get(b._id.toHexString()) ?? ''),
          stage: b.firstOrderAt || b.firstOrderRewardedAt ? 'picked_up' : b.firstPaidAt ? 'ordered' : b.phoneBoundAt ? 'phone_bound' : 'registered',
          rewards: friendRewards(b),
          at: b.at.toISOString(),
        })),
      }
    },
  }
}

export type ReferralService = ReturnType<typeof createReferralService>
