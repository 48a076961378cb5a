import { Types } from 'mongoose'
import { leftToRelease, takeBackFrozen } from '../../core/frozen-earning'
import { idFromKey } from '../../core/id-from-key'
import { insertOnce } from '../../core/insert-once'
import { maskName, maskPhone, type AdminLeaderApplication, type AdminWithdrawal, type LeaderApplicationRequest, type LeaderApplicationView, type LeaderCentre, type MyLeaderView, type PickupPoint, type Rules } from '@xianlin/shared'
import { appendSequenced, latestEntry } from '../../db/sequenced-ledger'
import { isDuplicateKeyError } from '../../db/errors'
import { AppError } from '../../core/app-error'
import { insertWithFreshCode, randomSymbols } from '../../lib/random-code'
import { countAudit, recordAudit } from '../audit/audit.service'
import { leaderOrderFigures } from '../orders/leader-orders'
import type { PosterCodes } from '../posters/poster-codes'
import type { PhoneCrypto } from '../phone/phone-crypto'
import { grantRole, userNames } from '../users/users.service'
import {
  CommissionEntryModel,
  CommissionModel,
  LeaderApplicationModel,
  LeaderBindingHistoryModel,
  LeaderBindingModel,
  LeaderCodeModel,
  LeaderModel,
  WithdrawalModel,
  type Commission,
  type CommissionEntry,
  type Leader,
  type LeaderApplication,
  type Withdrawal,
} from './leader.model'

const DAY = 86_400_000
const oid = (id: string | Types.ObjectId) => (typeof id === 'string' ? new Types.ObjectId(id) : id)
/** The ledger key of a withdrawal's debit: one per (leader, request key). */
const withdrawalEntryKey = (leaderId: string, key: string) => `commission:withdraw:${leaderId}:${key}`
type Point = Omit<LeaderApplicationRequest, 'photoUrl'> & { photoUrl?: string | null }

/**
 * Community leaders (DESIGN.md, Community leaders): applications and review, member binding by
 * the leader's code (first touch; switching is explicit and recorded), and the commission
 * ledger (frozen for the refund window, then available; a refund inside it cancels once).
 */
export function createLeadersService(deps: { rules: Rules['leaders']; posters: PosterCodes; phoneCrypto: PhoneCrypto; clock: () => Date }) {
  const { rules, posters, clock } = deps

  const toPoint = (l: Leader & { _id: Types.ObjectId }): PickupPoint => ({
    leaderId: l._id.toHexString(),
    name: `${l.community}自提点`,
    community: l.community,
    address: l.address,
    location: { latitude: l.location!.latitude!, longitude: l.location!.longitude! },
    hours: l.hours,
    phone: l.phone,
    photoUrl: l.photoUrl ?? null,
    active: l.state === 'active',
  })

  const toApplicationView = (a: LeaderApplication & { _id: Types.ObjectId }): LeaderApplicationView => ({
    id: a._id.toHexString(),
    userId: a._id.toHexString(),
    name: a.name,
    phone: a.phoneMasked,
    community: a.community,
    address: a.address,
    location: { latitude: a.location!.latitude!, longitude: a.location!.longitude! },
    hours: a.hours,
    ...(a.photoUrl ? { photoUrl: a.photoUrl } : {}),
    state: a.state as LeaderApplicationView['state'],
    reason: a.reason ?? null,
    createdAt: a.createdAt.toISOString(),
    reviewedAt: a.reviewedAt?.toISOString() ?? null,
  })

  async function leaderOf(id: string | Types.ObjectId) {
    const l = await LeaderModel.findById(oid(id)).lean<Leader & { _id: Types.ObjectId }>()
    if (!l) throw new AppError('LEADER_NOT_FOUND')
    return l
  }

  /** Makes `userId` a leader with a pickup point (approval, or the demo seed); idempotent. */
  async function makeLeader(userId: Types.ObjectId, point: Point, now: Date) {
    const existing = await LeaderModel.findById(userId).lean()
    if (!existing) {
      const code = await insertWithFreshCode(() => randomSymbols(8), (c) => LeaderCodeModel.create({ _id: c, leaderId: userId }))
      await insertOnce(LeaderModel, { _id: userId, code, ...point, photoUrl: point.photoUrl ?? null, state: 'active', approvedAt: now })
    }
    await grantRole(userId, 'leader')
    return (await LeaderModel.findById(userId).lean<Leader & { _id: Types.ObjectId }>())!
  }

  /** Appends to a leader's commission ledger; only a reversal of released commission may take `available` below zero (later earnings repay it). */
  async function appendCommission(leaderId: Types.ObjectId, key: string, type: CommissionEntry['type'], orderId: Types.ObjectId | null, delta: { pending: number; available: number; amount: number }) {
    const result = await appendSequenced(CommissionEntryModel, leaderId, key, (latest: CommissionEntry | null) => {
      const available = (latest?.availableFen ?? 0) + delta.available
      if (available < 0 && type !== 'reverse') return { refuse: 'INSUFFICIENT_COMMISSION' as const }
      return { draft: { type, amountFen: delta.amount, orderId, pendingFen: (latest?.pendingFen ?? 0) + delta.pending, availableFen: available, at: clock() } as never }
    })
    if ('refused' in result) throw new AppError('INSUFFICIENT_COMMISSION')
    return result.entry
  }

  const service = {
    async apply(userId: string, input: LeaderApplicationRequest): Promise<LeaderApplicationView> {
      const uid = oid(userId)
      if (await LeaderModel.exists({ _id: uid })) throw new AppError('ALREADY_LEADER')
      const { phone, ...rest } = input
      const doc = { ...rest, phoneSealed: deps.phoneCrypto.seal(phone), phoneMasked: maskPhone(phone), photoUrl: input.photoUrl ?? null, state: 'pending', reason: null, reviewedBy: null, reviewedAt: null, createdAt: clock() }
      // A first application, or a new one after a rejection; never over a pending one.
      const saved = await LeaderApplicationModel.findOneAndUpdate({ _id: uid, state: 'rejected' }, { $set: doc }, { new: true }).lean()
      if (saved) return toApplicationView(saved as never)
      try {
        return toApplicationView((await LeaderApplicationModel.create({ _id: uid, ...doc })).toObject() as never)
      } catch (err) {
        if (isDuplicateKeyError(err)) throw new AppError('APPLICATION_PENDING')
        throw err
      }
    },

    /** Start-up: applications from before sealing get their number sealed and masked (once; returns how many). */
    async sealApplicationPhones(): Promise<number> {
      const plain = await LeaderApplicationModel.collection.find({ phone: { $exists: true } }, { projection: { phone: 1 } }).toArray()
      for (const a of plain) {
        const phone = String(a.phone)
        await LeaderApplicationModel.collection.updateOne({ _id: a._id, phone }, { $set: { phoneSealed: deps.phoneCrypto.seal(phone), phoneMasked: maskPhone(phone) }, $unset: { phone: '' } })
      }
      return plain.length
    },

    /** Account deletion: a pending or rejected application (name, phone, address) goes. */
    async forgetApplication(userId: string): Promise<void> {
      await LeaderApplicationModel.deleteOne({ _id: oid(userId), state: { $ne: 'approved' } })
    },

    async myApplication(userId: string): Promise<{ application: LeaderApplicationView | null; leader: boolean }> {
      const a = await LeaderApplicationModel.findById(oid(userId)).lean()
      return { application: a ? toApplicationView(a as never) : null, leader: Boolean(await LeaderModel.exists({ _id: oid(userId) })) }
    },

    /** Applications in `state`, oldest first; approved ones say whether the leader is active now. */
    async listApplications(state: LeaderApplicationView['state']): Promise<AdminLeaderApplication[]> {
      const list = await LeaderApplicationModel.find({ state }).sort({ createdAt: 1 }).limit(100).lean()
      const leaders = state === 'approved' ? await LeaderModel.find({ _id: { $in: list.map((a) => a._id) } }, { state: 1 }).lean() : []
      const stateOf = new Map(leaders.map((l) => [String(l._id), l.state as 'active' | 'suspended']))
      return list.map((a) => ({ ...toApplicationView(a as never), leaderState: stateOf.get(String(a._id)) ?? null }))
    },

    /** Withdrawal requests in `state` (oldest first), with the leader's name and community. */
    async listWithdrawals(state: AdminWithdrawal['state']): Promise<AdminWithdrawal[]> {
      const list = await WithdrawalModel.find({ state }).sort({ createdAt: 1 }).limit(100).lean()
      const leaders = await LeaderModel.find({ _id: { $in: [...new Set(list.map((w) => String(w.leaderId)))].map(oid) } }, { name: 1, community: 1 }).lean()
      const byId = new Map(leaders.map((l) => [String(l._id), l]))
      return list.map((w) => ({
        id: String(w._id),
        leaderId: String(w.leaderId),
        leaderName: byId.get(String(w.leaderId))?.name ?? '',
        community: byId.get(String(w.leaderId))?.community ?? '',
        amountFen: w.amountFen,
        state: w.state as AdminWithdrawal['state'],
        createdAt: w.createdAt.toISOString(),
        approvedAt: w.approvedAt?.toISOString() ?? null,
        paidAt: w.paidAt?.toISOString() ?? null,
        transferRef: w.transferRef ?? null,
      }))
    },

    async approve(adminId: string, applicantId: string): Promise<PickupPoint> {
      const now = clock()
      const a = await LeaderApplicationModel.findOneAndUpdate({ _id: oid(applicantId), state: 'pending' }, { $set: { state: 'approved', reviewedBy: oid(adminId), reviewedAt: now } }, { new: true }).lean()
      if (!a) throw new AppError('APPLICATION_NOT_PENDING')
      const leader = await makeLeader(a._id, { name: a.name, phone: deps.phoneCrypto.open(a.phoneSealed), community: a.community, address: a.address, location: { latitude: a.location!.latitude!, longitude: a.location!.longitude! }, hours: a.hours, photoUrl: a.photoUrl }, now)
      await recordAudit({ actorId: adminId, action: 'leader.approve', targetType: 'user', targetId: applicantId, outcome: 'approved', at: now })
      return toPoint(leader)
    },

    async reject(adminId: string, applicantId: string, reason: string): Promise<LeaderApplicationView> {
      const now = clock()
      const a = await LeaderApplicationModel.findOneAndUpdate({ _id: oid(applicantId), state: 'pending' }, { $set: { state: 'rejected', reason, reviewedBy: oid(adminId), reviewedAt: now } }, { new: true }).lean()
      if (!a) throw new AppError('APPLICATION_NOT_PENDING')
      await recordAudit({ actorId: adminId, action: 'leader.reject', targetType: 'user', targetId: applicantId, outcome: 'rejected', details: { reason }, at: now })
      return toApplicationView(a as never)
    },

    /** Suspends (or reinstates) a leader: a suspended leader confirms no pickups and binds nobody new. */
    async setSuspended(adminId: string, leaderId: string, suspended: boolean): Promise<PickupPoint> {
      const l = await LeaderModel.findOneAndUpdate({ _id: oid(leaderId) }, { $set: { state: suspended ? 'suspended' : 'active' } }, { new: true }).lean<Leader & { _id: Types.ObjectId }>()
      if (!l) throw new AppError('LEADER_NOT_FOUND')
      await recordAudit({ actorId: adminId, action: suspended ? 'leader.suspend' : 'leader.reinstate', targetType: 'user', targetId: leaderId, outcome: 'ok', at: clock() })
      return toPoint(l)
    },

    /** Makes a leader directly (the demo seed); returns their code and point. */
    makeLeader: async (userId: string | Types.ObjectId, point: Point) => {
      const l = await makeLeader(oid(userId), point, clock())
      return { code: l.code, point: toPoint(l) }
    },

    /**
     * Binds a member to the leader whose code they opened. First touch: a member already bound
     * stays bound unless they switch explicitly. Every decision is audit-logged with its reason.
     */
    async bind(memberId: string, code: string, opts: { switch: boolean }): Promise<MyLeaderView> {
      const now = clock()
      const member = oid(memberId)
      const audit = (outcome: string, leaderId?: Types.ObjectId) =>
        recordAudit({ actorId: memberId, action: 'leader.bind', targetType: 'leader', targetId: leaderId?.toHexString() ?? code, outcome, details: { code, switch: opts.switch }, at: now })
      const ref = await LeaderCodeModel.findById(code).lean()
      const leader = ref ? await LeaderModel.findById(ref.leaderId).lean<Leader & { _id: Types.ObjectId }>() : null
      const current = await LeaderBindingModel.findById(member).lean()
      // A bound member who does not ask to switch hears the same for every other code, real or not.
      if (current && !opts.switch && !(leader && current.leaderId.equals(leader._id))) {
        await audit(leader ? 'already_bound' : 'unknown_code', leader?._id)
        throw new AppError('LEADER_ALREADY_BOUND')
      }
      if (!leader) {
        await audit('unknown_code')
        throw new AppError('LEADER_NOT_FOUND')
      }
      if (leader.state !== 'active') {
        await audit('suspended', leader._id)
        throw new AppError('LEADER_SUSPENDED')
      }
      if (leader._id.equals(member)) {
        await audit('self', leader._id)
        throw new AppError('LEADER_SELF')
      }
      if (current?.leaderId.equals(leader._id)) return service.myLeader(memberId)
      if (current) {
        const switched = await LeaderBindingModel.updateOne({ _id: member, leaderId: current.leaderId }, { $set: { leaderId: leader._id, at: now } })
        if (switched.modifiedCount !== 1) return service.myLeader(memberId) // a concurrent switch won
      } else {
        try {
          await LeaderBindingModel.create({ _id: member, leaderId: leader._id, at: now })
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err
          await audit('already_bound', leader._id)
          throw new AppError('LEADER_ALREADY_BOUND')
        }
      }
      await LeaderBindingHistoryModel.create({ memberId: member, fromLeaderId: current?.leaderId ?? null, toLeaderId: leader._id, at: now })
      await audit(current ? 'switched' : 'bound', leader._id)
      return service.myLeader(memberId)
    },

    async myLeader(memberId: string): Promise<MyLeaderView> {
      const binding = await LeaderBindingModel.findById(oid(memberId)).lean()
      if (!binding) return { point: null, boundAt: null }
      return { point: toPoint(await leaderOf(binding.leaderId)), boundAt: binding.at.toISOString() }
    },

    async history(memberId: string) {
      const list = await LeaderBindingHistoryModel.find({ memberId: oid(memberId) }).sort({ at: -1, _id: -1 }).limit(20).lean()
      return list.map((h) => ({ from: h.fromLeaderId?.toHexString() ?? null, to: h.toLeaderId.toHexString(), at: h.at.toISOString() }))
    },

    /** The pickup point of an active leader, for checkout; refuses a suspended one. */
    async activePoint(leaderId: string): Promise<PickupPoint> {
      const l = await leaderOf(leaderId)
      if (l.state !== 'active') throw new AppError('LEADER_SUSPENDED')
      return toPoint(l)
    },

    pointOf: async (leaderId: string | Types.ObjectId) => toPoint(await leaderOf(leaderId)),
    /** The point a leader's link binds to, for its landing (no phone before a visitor is a member). */
    async linkOf(code: string): Promise<{ name: string; community: string; address: string; hours: string; active: boolean }> {
      const ref = await LeaderCodeModel.findById(code).lean()
      if (!ref) throw new AppError('LEADER_NOT_FOUND')
      const { name, community, address, hours, active } = toPoint(await leaderOf(ref.leaderId))
      return { name, community, address, hours, active }
    },
    /** The leader a code names (a 接龙 link carries it). */
    async leaderIdOf(code: string): Promise<Types.ObjectId> {
      const ref = await LeaderCodeModel.findById(code).lean()
      if (!ref) throw new AppError('LEADER_NOT_FOUND')
      return ref.leaderId
    },
    /** Whether this user is a leader in service now (not suspended): leader routes ask on every request. */
    isActive: async (userId: string) => Boolean(await LeaderModel.exists({ _id: oid(userId), state: 'active' })),

    /**
     * Commission for goods handed over at the leader's point, frozen for the refund window, once
     * per `key` (the first hand-over's is `commission:earn:<order>`).
     */
    async earnCommission(e: { orderId: Types.ObjectId; leaderId: Types.ObjectId; amountFen: number; key: string; at: Date }): Promise<void> {
      if (e.amountFen <= 0) return
      await appendCommission(e.leaderId, e.key, 'earn', e.orderId, { pending: e.amountFen, available: 0, amount: e.amountFen })
      const _id = e.key === `commission:earn:${e.orderId}` ? e.orderId : idFromKey(e.key)
      await insertOnce(CommissionModel, { _id, orderId: e.orderId, leaderId: e.leaderId, amountFen: e.amountFen, state: 'pending', availableAt: new Date(e.at.getTime() + rules.commissionFrozenDays * DAY) })
    },

    /**
     * A refunded line takes back `amountFen` of an order's commission: from what is still frozen
     * first (a `cancel`), the rest from what was released (a `reverse`, shown to the leader, which
     * may leave the balance below zero). Once per `key`.
     */
    async takeBackCommission(t: { orderId: Types.ObjectId; leaderId: Types.ObjectId; amountFen: number; key: string }): Promise<void> {
      let left = t.amountFen
      const docs = await CommissionModel.find({ $or: [{ _id: t.orderId }, { orderId: t.orderId }] }).lean<Commission[]>()
      for (const c of docs) {
        if (left <= 0) break
        const taken = await takeBackFrozen(CommissionModel, c._id, 'amountFen', { state: 'pending' }, t.key, left)
        if (taken > 0) await appendCommission(c.leaderId, `commission:cancel:${c._id}:${t.key}`, 'cancel', t.orderId, { pending: -taken, available: 0, amount: -taken })
        left -= taken
      }
      if (left > 0 && docs.length) await appendCommission(t.leaderId, `commission:reverse:${t.key}`, 'reverse', t.orderId, { pending: 0, available: -left, amount: -left })
    },

    /** Job: commissions past the refund window become available. Safe on several instances. */
    async releaseDueCommissions(now: Date): Promise<number> {
      const due = await CommissionModel.find({ $or: [{ state: 'pending', availableAt: { $lte: now } }, { state: 'releasing' }] }).limit(200).lean<Commission[]>()
      let released = 0
      for (const c of due) {
        const mine = await CommissionModel.findOneAndUpdate({ _id: c._id, state: { $in: ['pending', 'releasing'] }, availableAt: { $lte: now } }, { $set: { state: 'releasing' } }, { new: true }).lean<Commission>()
        if (!mine) continue
        // What refunds took back while it was frozen stays taken back; the rest is paid out.
        const left = leftToRelease(mine, mine.amountFen)
        if (left > 0) await appendCommission(c.leaderId, `commission:release:${c._id}`, 'release', mine.orderId ?? c._id, { pending: -left, available: left, amount: left })
        const done = await CommissionModel.updateOne({ _id: c._id, state: 'releasing' }, { $set: { state: 'available' } })
        released += done.modifiedCount
      }
      return released
    },

    /**
     * A withdrawal request, once per (leader, key): the request is recorded first, then the
     * amount leaves `available` (one ledger entry per key), then the request is open to finance.
     * A refused debit removes the request it recorded; a replay answers the first request.
     */
    async withdraw(leaderId: string, amountFen: number, key: string) {
      const leader = oid(leaderId)
      const recorded = await insertOnce<Withdrawal>(WithdrawalModel, { leaderId: leader, amountFen, state: 'requesting', key, createdAt: clock() }, () =>
        WithdrawalModel.findOne({ leaderId: leader, key }).lean<Withdrawal>(),
      )
      const w = recorded.existing
      if (w && w.amountFen !== amountFen) throw new AppError('IDEMPOTENCY_KEY_REUSED')
      let entry: CommissionEntry
      try {
        entry = await appendCommission(leader, withdrawalEntryKey(leaderId, key), 'withdraw', null, { pending: 0, available: -amountFen, amount: -amountFen })
      } catch (err) {
        if (recorded.inserted) await WithdrawalModel.deleteOne({ leaderId: leader, key, state: 'requesting' })
        throw err
      }
      const open = await WithdrawalModel.findOneAndUpdate({ leaderId: leader, key, state: 'requesting' }, { $set: { state: 'requested' } }, { new: true }).lean<Withdrawal>()
      const final = open ?? w ?? (await WithdrawalModel.findOne({ leaderId: leader, key }).lean<Withdrawal>())
      if (!final) throw new AppError('REQUEST_IN_PROGRESS')
      return { id: String(final._id), amountFen: final.amountFen, state: final.state === 'requesting' ? 'requested' : final.state, availableFen: entry.availableFen }
    },

    /** Job: requests a crash left `requesting` open when their debit was written, else go. */
    async recoverWithdrawals(now: Date): Promise<{ opened: number; removed: number }> {
      const stale = new Date(now.getTime() - 60_000)
      let opened = 0
      let removed = 0
      for (const w of await WithdrawalModel.find({ state: 'requesting', createdAt: { $lt: stale } }).limit(200).lean<Withdrawal[]>()) {
        const debited = await CommissionEntryModel.exists({ key: withdrawalEntryKey(String(w.leaderId), w.key) })
        if (debited) opened += (await WithdrawalModel.updateOne({ _id: w._id, state: 'requesting' }, { $set: { state: 'requested' } })).modifiedCount
        else removed += (await WithdrawalModel.deleteOne({ _id: w._id, state: 'requesting' })).deletedCount
      }
      return { opened, removed }
    },

    async approveWithdrawal(adminId: string, id: string) {
      const w = await WithdrawalModel.findOneAndUpdate({ _id: oid(id), state: 'requested' }, { $set: { state: 'approved', approvedAt: clock() } }, { new: true }).lean()
      if (!w) throw new AppError('NOT_FOUND', '提现申请不存在或已处理')
      await recordAudit({ actorId: adminId, action: 'leader.withdrawal.approve', targetType: 'withdrawal', targetId: id, outcome: 'approved', details: { amountFen: w.amountFen }, at: clock() })
      return { id, amountFen: w.amountFen, state: w.state }
    },

    /** Records that an approved payout was transferred, once, with the transfer's reference. */
    async markWithdrawalPaid(id: string, transferRef: string) {
      const w = await WithdrawalModel.findOneAndUpdate({ _id: oid(id), state: 'approved' }, { $set: { state: 'paid', paidAt: clock(), transferRef } }, { new: true }).lean()
      if (!w) throw new AppError('NOT_FOUND', '提现申请不存在，或还未通过、已标记打款')
      await recordAudit({ actorId: null, action: 'leader.withdrawal.paid', targetType: 'withdrawal', targetId: id, outcome: 'paid', details: { amountFen: w.amountFen, transferRef, before: { state: 'approved' }, after: { state: 'paid' } }, at: clock() })
      return { id, amountFen: w.amountFen, state: w.state }
    },

    /** The mini-program code of the leader's point (scene `l_<code>`), for the poster; cached. */
    async posterCode(leaderId: string) {
      return posters.get(`l_${(await leaderOf(leaderId)).code}`)
    },

    /** 团长中心: orders to hand over, members, invitations and their conversion, commission. */
    /**
     * 团长 report: every leader with their members now, members newly bound in [from, to), and
     * commission earned there (net of cancellations).
     */
    async performance(from: Date, to: Date): Promise<Array<{ leaderId: string; name: string; community: string; state: 'active' | 'suspended'; members: number; newMembers: number; commissionFen: number }>> {
      const leaders = await LeaderModel.find({}, { name: 1, community: 1, state: 1 }).lean()
      const bound = await LeaderBindingModel.find({}, { leaderId: 1 }).lean()
      const joined = await LeaderBindingHistoryModel.find({ at: { $gte: from, $lt: to } }, { toLeaderId: 1 }).lean()
      const earned = await CommissionEntryModel.find({ type: { $in: ['earn', 'cancel'] }, at: { $gte: from, $lt: to } }, { ownerId: 1, amountFen: 1 }).lean()
      const tally = <T>(rows: T[], key: (r: T) => string, amount: (r: T) => number = () => 1) => {
        const m = new Map<string, number>()
        for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + amount(r))
        return m
      }
      const members = tally(bound, (b) => String(b.leaderId))
      const newMembers = tally(joined, (h) => String(h.toLeaderId))
      const commission = tally(earned, (e) => String(e.ownerId), (e) => e.amountFen)
      return leaders.map((l) => ({
        leaderId: String(l._id),
        name: l.name,
        community: l.community,
        state: l.state as 'active' | 'suspended',
        members: members.get(String(l._id)) ?? 0,
        newMembers: newMembers.get(String(l._id)) ?? 0,
        commissionFen: commission.get(String(l._id)) ?? 0,
      }))
    },

    async centre(leaderId: string): Promise<LeaderCentre> {
      const l = await leaderOf(leaderId)
      const now = clock()
      const members = await LeaderBindingModel.countDocuments({ leaderId: l._id })
      const recent = await LeaderBindingModel.countDocuments({ leaderId: l._id, at: { $gt: new Date(now.getTime() - 7 * DAY) } })
      const opened = await countAudit({ action: 'leader.bind', targetId: l._id.toHexString() })
      const { orderedMembers, toHandOver } = await leaderOrderFigures(l._id)
      const latest = await latestEntry(CommissionEntryModel, l._id)
      const entries = await CommissionEntryModel.find({ ownerId: l._id }).sort({ seq: -1 }).limit(20).lean<CommissionEntry[]>()
      const names = await userNames(toHandOver.map((o) => o.userId))
      return {
        code: l.code,
        state: l.state as LeaderCentre['state'],
        point: toPoint(l),
        path: `/pages/index/index?leader=${l.code}`,
        members: { total: members, last7Days: recent },
        invitations: { opened, bound: members, ordered: orderedMembers },
        commission: {
          pendingFen: latest?.pendingFen ?? 0,
          availableFen: latest?.availableFen ?? 0,
          entries: entries.map((e) => ({ type: e.type, amountFen: e.amountFen, orderId: e.orderId?.toHexString() ?? null, at: e.at.toISOString() })),
        },
        toHandOver: toHandOver.map((o) => ({ orderId: o.orderId.toHexString(), title: o.title, member: maskName(names.get(o.userId.toHexString()) ?? ''), payFen: o.payFen, confirmedAt: o.confirmedAt.toISOString() })),
      }
    },
  }
  return service
}

export type LeadersService = ReturnType<typeof createLeadersService>
