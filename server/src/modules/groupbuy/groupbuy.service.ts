import { Types } from 'mongoose'
import { businessDay, businessTimeText, maskName, type AdminActivity, type AdminActivityQuery, type AdminGroup, memberPriceFen, type ActivityView, type CreateActivityRequest, type GroupSummary, type GroupView, type ProductView, type Rules, type Tier } from '@xianlin/shared'
import { giveBackUnit, takeUnit, type HeldUnits } from '../../core/held-units'
import { AppError } from '../../core/app-error'
import { getProduct, productsByIds } from '../catalog/catalog.service'
import { userNames } from '../users/users.service'
import { ActivityModel, LimitCounterModel, WITHOUT_HOLDERS, type Activity } from './activity.model'
import { GroupModel, seatPath, seatsOf, type Group } from './group.model'

/** What other domains see of a group. */
export type { Group } from './group.model'

const HOUR = 3_600_000
const oid = (id: string | Types.ObjectId) => (typeof id === 'string' ? new Types.ObjectId(id) : id)

export interface ActivityPatch {
  title?: string
  endsAt?: string
  stockDelta?: number
  dailyCap?: number | null
  perUserLimit?: number
  autoFill?: boolean
  paused?: boolean
}

/**
 * Activities and groups (DESIGN.md, Group-buy). Every limit is one guarded single-document
 * update, no transactions: stock (`stockLeft > 0`), seats (`free > 0`, not already a member),
 * per-user and daily counters (`count < ceiling`). Orders call the `take…`/`giveBack…` pairs.
 */
export function createGroupBuyService(deps: { rules: Rules['groupbuy']; perks: Rules['perks']; levels: Rules['levels']; timeZone: string; clock: () => Date }) {
  const { rules, timeZone, clock } = deps

  /** 优先购 (perks.earlyAccess): who may buy an activity before it opens to everyone, and from when. */
  function earlyAccessOf(a: Activity, now: Date): { rank: number; levelName: string; opensAt: Date } | null {
    const early = deps.perks.earlyAccess
    if (!early || a.startsAt <= now) return null
    const rank = deps.levels.tiers.findIndex((t) => t.key === early.minLevel)
    if (rank < 0) return null
    return { rank, levelName: deps.levels.tiers[rank]!.name, opensAt: new Date(a.startsAt.getTime() - early.hours * 3_600_000) }
  }

  function stateOf(a: Activity, now: Date): ActivityView['state'] {
    if (a.paused) return 'paused'
    if (now < a.startsAt) return 'upcoming'
    if (now >= a.endsAt) return 'ended'
    return a.stockLeft > 0 ? 'active' : 'sold_out'
  }

  /** Activities with their products (one query for all); an activity whose product is gone is left out. */
  async function toViews(list: Activity[], now: Date, opts: { offShelf: boolean }): Promise<ActivityView[]> {
    const products = await productsByIds(list.map((a) => a.productId))
    return list.flatMap((a) => {
      const product = products.get(a.productId.toHexString())
      return product && (product.onShelf || opts.offShelf) ? [viewOf(a, product, now)] : []
    })
  }

  async function toView(a: Activity, now: Date): Promise<ActivityView> {
    const [view] = await toViews([a], now, { offShelf: true })
    if (!view) throw new AppError('NOT_FOUND', '活动不存在')
    return view
  }

  function viewOf(a: Activity, product: ProductView, now: Date): ActivityView {
    return {
      id: a._id.toHexString(),
      title: a.title,
      product: { id: product.id, name: product.name, subtitle: product.subtitle, unit: product.unit, cover: product.cover },
      listPriceFen: product.priceFen,
      tiers: a.tiers.map((t) => ({ size: t.size, priceFen: t.priceFen })),
      startsAt: a.startsAt.toISOString(),
      endsAt: a.endsAt.toISOString(),
      stockLeft: a.stockLeft,
      perUserLimit: a.perUserLimit,
      groupHours: a.groupHours,
      state: stateOf(a, now),
      earlyAccess: ((e) => (e ? { levelName: e.levelName, opensAt: e.opensAt.toISOString() } : null))(earlyAccessOf(a, now)),
    }
  }

  /** Per-user and daily slots, and stock: each unit held by an order, taken and given back once (core/held-units.ts). */
  const slots: HeldUnits = { model: LimitCounterModel, field: 'count', step: 1, holdersField: 'holders', upsert: true }
  const stock: HeldUnits = { model: ActivityModel, field: 'stockLeft', step: -1, holdersField: 'stockHolders' }
  const dayKey = (activityId: Types.ObjectId, at: Date) => `day:${activityId}:${businessDay(at, timeZone)}`

  const service = {
    async getActivity(id: string): Promise<Activity> {
      const a = Types.ObjectId.isValid(id) ? await ActivityModel.findById(id, WITHOUT_HOLDERS).lean<Activity>() : null
      if (!a) throw new AppError('NOT_FOUND', '活动不存在')
      return a
    },

    async createActivity(input: CreateActivityRequest & { key?: string }): Promise<ActivityView> {
      const product = await getProduct(input.productId)
      const tiers: Tier[] = input.tiers ?? rules.defaultTiers.map((t) => ({ size: t.size, priceFen: memberPriceFen(product.priceFen, t.priceRatePercent) }))
      const sizes = new Set(tiers.map((t) => t.size))
      if (sizes.size !== tiers.length) throw new AppError('VALIDATION_FAILED', '成团人数不能重复')
      if (tiers.some((t) => t.priceFen > product.priceFen)) throw new AppError('VALIDATION_FAILED', '拼团价不能高于原价')
      if (Date.parse(input.endsAt) <= Date.parse(input.startsAt)) throw new AppError('VALIDATION_FAILED', '结束时间须晚于开始时间')
      const doc = {
        productId: oid(input.productId),
        title: input.title ?? `${product.name} ${Math.min(...sizes)}人团`,
        tiers: [...tiers].sort((a, b) => a.size - b.size),
        startsAt: new Date(input.startsAt),
        endsAt: new Date(input.endsAt),
        stockTotal: input.stock,
        stockLeft: input.stock,
        dailyCap: input.dailyCap ?? null,
        perUserLimit: input.perUserLimit ?? 1,
        groupHours: input.groupHours ?? rules.groupDurationHours,
        autoFill: input.autoFill ?? rules.autoFill,
        key: input.key ?? null,
        createdAt: clock(),
      }
      const created = input.key
        ? await ActivityModel.findOneAndUpdate({ key: input.key }, { $setOnInsert: doc }, { upsert: true, new: true }).lean<Activity>()
        : (await ActivityModel.create(doc)).toObject<Activity>()
      return toView(created!, clock())
    },

    async updateActivity(id: string, patch: ActivityPatch): Promise<ActivityView> {
      const a = await service.getActivity(id)
      const set: Record<string, unknown> = {}
      if (patch.title !== undefined) set.title = patch.title
      if (patch.endsAt !== undefined) {
        if (Date.parse(patch.endsAt) <= a.startsAt.getTime()) throw new AppError('VALIDATION_FAILED', '结束时间须晚于开始时间')
        set.endsAt = new Date(patch.endsAt)
      }
      for (const k of ['dailyCap', 'perUserLimit', 'autoFill', 'paused'] as const) if (patch[k] !== undefined) set[k] = patch[k]
      const delta = patch.stockDelta ?? 0
      // Withdrawing stock is guarded like taking it: never below what is left.
      const updated = await ActivityModel.findOneAndUpdate(
        { _id: a._id, ...(delta < 0 ? { stockLeft: { $gte: -delta } } : {}) },
        { ...(Object.keys(set).length ? { $set: set } : {}), ...(delta ? { $inc: { stockLeft: delta, stockTotal: delta } } : {}) },
        { new: true },
      ).lean<Activity>()
      if (!updated) throw new AppError('VALIDATION_FAILED', '减少的库存超过剩余库存')
      return toView(updated, clock())
    },

    async listActivities(): Promise<ActivityView[]> {
      const now = clock()
      const list = await ActivityModel.find({ endsAt: { $gt: now }, paused: false }, WITHOUT_HOLDERS).sort({ startsAt: 1 }).limit(50).lean<Activity[]>()
      return toViews(list, now, { offShelf: false })
    },

    /** 运营后台 → 拼团活动: newest first, a page at a time, whatever their product's shelf state. */
    async adminActivities(query: AdminActivityQuery): Promise<{ activities: AdminActivity[]; nextCursor: string | null }> {
      const now = clock()
      const when: Record<NonNullable<AdminActivityQuery['state']>, Record<string, unknown>> = {
        upcoming: { paused: false, startsAt: { $gt: now } },
        active: { paused: false, startsAt: { $lte: now }, endsAt: { $gt: now } },
        paused: { paused: true },
        ended: { endsAt: { $lte: now } },
      }
      const filter = { ...(query.state ? when[query.state] : {}), ...(query.cursor ? { _id: { $lt: oid(query.cursor) } } : {}) }
      const found = await ActivityModel.find(filter, WITHOUT_HOLDERS).sort({ _id: -1 }).limit(query.limit + 1).lean<Activity[]>()
      const page = found.slice(0, query.limit)
      const views = new Map((await toViews(page, now, { offShelf: true })).map((v) => [v.id, v]))
      const activities = page.flatMap((a) => {
        const view = views.get(a._id.toHexString())
        return view ? [{ ...view, stockTotal: a.stockTotal, dailyCap: a.dailyCap ?? null, autoFill: a.autoFill, createdAt: a.createdAt.toISOString() }] : []
      })
      return { activities, nextCursor: found.length > query.limit ? page[page.length - 1]._id.toHexString() : null }
    },

    /** An activity's groups for operators, newest first: members with their orders, paid or not. */
    async adminGroups(activityId: string, query: { cursor?: string; limit: number }): Promise<{ groups: AdminGroup[]; nextCursor: string | null }> {
      const a = await service.getActivity(activityId)
      const found = await GroupModel.find({ activityId: a._id, ...(query.cursor ? { _id: { $lt: oid(query.cursor) } } : {}) }).sort({ _id: -1 }).limit(query.limit + 1).lean<Group[]>()
      const page = found.slice(0, query.limit)
      const names = await userNames(page.flatMap((g) => seatsOf(g).map((seat) => oid(seat.userId))))
      const groups = page.map((g) => {
        const paid = new Set(g.paidOrderIds.map(String))
        return {
          id: g._id.toHexString(),
          size: g.size,
          priceFen: g.priceFen,
          state: g.state,
          autoFilled: g.autoFilled,
          createdAt: g.createdAt.toISOString(),
          expiresAt: g.expiresAt.toISOString(),
          members: seatsOf(g).map((seat) => ({ userId: seat.userId, nickname: names.get(seat.userId) ?? '', orderId: String(seat.orderId), initiator: seat.userId === g.initiatorId.toHexString(), paid: paid.has(String(seat.orderId)) })),
        }
      })
      return { groups, nextCursor: found.length > query.limit ? page[page.length - 1]._id.toHexString() : null }
    },

    /** The product's group-buy selling now (the soonest to end), with its open groups; null when none. */
    async activityForProduct(productId: string): Promise<ActivityView | null> {
      if (!Types.ObjectId.isValid(productId)) return null
      const now = clock()
      const found = await ActivityModel.find({ productId: new Types.ObjectId(productId), endsAt: { $gt: now }, paused: false }, WITHOUT_HOLDERS).sort({ endsAt: 1 }).limit(10).lean<Activity[]>()
      const selling = found.find((a) => stateOf(a, now) === 'active')
      return selling ? service.activityDetail(selling._id.toHexString()) : null
    },

    async activityDetail(id: string): Promise<ActivityView> {
      const now = clock()
      const a = await service.getActivity(id)
      const groups = await GroupModel.find({ activityId: a._id, state: 'open', expiresAt: { $gt: now }, free: { $gt: 0 } }).sort({ free: 1, expiresAt: 1 }).limit(10).lean<Group[]>()
      const names = await userNames(groups.map((g) => g.initiatorId))
      const openGroups: GroupSummary[] = groups.map((g) => ({
        id: g._id.toHexString(),
        size: g.size,
        priceFen: g.priceFen,
        initiator: maskName(names.get(g.initiatorId.toHexString()) ?? ''),
        seatsLeft: g.free,
        expiresAt: g.expiresAt.toISOString(),
      }))
      return { ...(await toView(a, now)), openGroups }
    },

    async getGroup(id: string): Promise<Group> {
      const g = Types.ObjectId.isValid(id) ? await GroupModel.findById(id).lean<Group>() : null
      if (!g) throw new AppError('NOT_FOUND', '团不存在')
      return g
    },

    async groupView(id: string, viewerId: string | null): Promise<GroupView> {
      const g = await service.getGroup(id)
      const a = await service.getActivity(g.activityId.toHexString())
      const view = await toView(a, clock())
      // A member refunded after success has left; their seat still counts (seatsLeft stays 0).
      const seats = seatsOf(g).filter((m) => !m.refundedAt)
      const names = await userNames(seats.map((m) => new Types.ObjectId(m.userId)))
      const paid = new Set(g.paidOrderIds.map((o) => o.toHexString()))
      const mine = viewerId ? g.seats?.[viewerId] : undefined
      return {
        id: g._id.toHexString(),
        activityId: a._id.toHexString(),
        title: a.title,
        product: view.product,
        size: g.size,
        priceFen: g.priceFen,
        listPriceFen: view.listPriceFen,
        state: g.state,
        members: seats.map((m) => {
          const isPaid = paid.has(m.orderId.toHexString())
          const heldUntil = isPaid ? null : new Date(m.at.getTime() + rules.seatHoldMinutes * 60_000).toISOString()
          return { name: maskName(names.get(m.userId) ?? ''), initiator: g.initiatorId.equals(m.userId), paid: isPaid, heldUntil }
        }),
        seatsLeft: g.free,
        expiresAt: g.expiresAt.toISOString(),
        myOrderId: mine ? mine.orderId.toHexString() : null,
        myOrderUnpaid: mine ? !paid.has(mine.orderId.toHexString()) && g.state !== 'cancelled' && g.state !== 'failed' : false,
      }
    },

    /**
     * Checks the activity can sell now to a member of level `rank` and returns the tier asked for.
     * Before it opens to everyone, members of the early-access level may buy from its early
     * opening; others are told when it opens.
     */
    sellableTier(a: Activity, size: number, rank: number): Tier {
      const now = clock()
      let state = stateOf(a, now)
      const early = state === 'upcoming' ? earlyAccessOf(a, now) : null
      if (early && now >= early.opensAt) {
        if (rank < early.rank) throw new AppError('EARLY_ACCESS_ONLY', `${early.levelName}优先购中，${businessTimeText(a.startsAt, timeZone)} 开放购买`)
        state = a.stockLeft > 0 ? 'active' : 'sold_out'
      }
      if (state === 'sold_out') throw new AppError('SOLD_OUT')
      if (state !== 'active') throw new AppError('ACTIVITY_UNAVAILABLE')
      const tier = a.tiers.find((t) => t.size === size)
      if (!tier) throw new AppError('TIER_UNKNOWN')
      return tier
    },

    takeUserSlot: (a: Activity, userId: string, orderId: Types.ObjectId) => takeUnit(slots, `user:${a._id}:${userId}`, orderId.toHexString(), a.perUserLimit),
    giveBackUserSlot: (activityId: Types.ObjectId, userId: Types.ObjectId, orderId: Types.ObjectId) => giveBackUnit(slots, `user:${activityId}:${userId}`, orderId.toHexString()),

    /** Takes a slot under the daily cap of the business day of `at` (the order's creation). */
    takeDaySlot: (a: Activity, at: Date, orderId: Types.ObjectId) => takeUnit(slots, dayKey(a._id, at), orderId.toHexString(), a.dailyCap ?? Infinity),
    giveBackDaySlot: (activityId: Types.ObjectId, at: Date, orderId: Types.ObjectId) => giveBackUnit(slots, dayKey(activityId, at), orderId.toHexString()),

    takeStock: (activityId: Types.ObjectId, orderId: Types.ObjectId) => takeUnit(stock, activityId, orderId.toHexString()),
    giveBackStock: (activityId: Types.ObjectId, orderId: Types.ObjectId) => giveBackUnit(stock, activityId, orderId.toHexString()),

    /** Opens a group with the payer as initiator, holding their seat; others join once they pay. */
    async openGroup(a: Activity, tier: Tier, userId: string, orderId: Types.ObjectId, groupId: Types.ObjectId): Promise<Group> {
      const now = clock()
      const group = await GroupModel.create({
        _id: groupId,
        activityId: a._id,
        initiatorId: oid(userId),
        size: tier.size,
        priceFen: tier.priceFen,
        state: 'pending',
        free: tier.size - 1,
        seats: { [userId]: { orderId, at: now } },
        expiresAt: new Date(Math.min(now.getTime() + a.groupHours * HOUR, Math.max(a.endsAt.getTime(), now.getTime() + HOUR))),
        createdAt: now,
      })
      return group.toObject<Group>()
    },

    /** Takes a seat in an open group: one guarded update, so a group never exceeds its size and holds a shopper once. */
    async joinGroup(groupId: Types.ObjectId, userId: string, orderId: Types.ObjectId): Promise<Group> {
      const now = clock()
      const joined = await GroupModel.findOneAndUpdate(
        { _id: groupId, state: 'open', expiresAt: { $gt: now }, free: { $gt: 0 }, [seatPath(userId)]: { $exists: false } },
        { $inc: { free: -1 }, $set: { [seatPath(userId)]: { orderId, at: now } } },
        { new: true },
      ).lean<Group>()
      if (joined) return joined
      const g = await service.getGroup(groupId.toHexString())
      if (g.seats?.[userId]) throw new AppError('ALREADY_IN_GROUP')
      if (g.state !== 'open' || g.expiresAt <= now) throw new AppError('GROUP_CLOSED')
      throw new AppError('GROUP_FULL')
    },

    /** Gives a held seat back (unpaid order released). A pending group losing its initiator is cancelled. */
    async leaveGroup(groupId: Types.ObjectId, userId: Types.ObjectId, orderId: Types.ObjectId): Promise<void> {
      const left = await GroupModel.findOneAndUpdate(
        { _id: groupId, [`${seatPath(userId)}.orderId`]: orderId, paidOrderIds: { $ne: orderId } },
        { $unset: { [seatPath(userId)]: '' }, $inc: { free: 1 } },
        { new: true },
      ).lean<Group>()
      if (left?.state === 'pending' && !left.seats?.[left.initiatorId.toHexString()]) {
        await GroupModel.updateOne({ _id: groupId, state: 'pending' }, { $set: { state: 'cancelled', endedAt: clock(), settled: true } })
      }
    },

    /** Removes a group its initiator's refused checkout opened: only while it never held anyone else or any payment. */
    async discardOpened(groupId: Types.ObjectId, initiatorId: Types.ObjectId): Promise<void> {
      const g = await GroupModel.findById(groupId).lean<Group>()
      if (!g || !g.initiatorId.equals(initiatorId) || g.state !== 'cancelled') return
      await GroupModel.deleteOne({ _id: groupId, state: 'cancelled', paidCount: 0, free: g.size })
    },

    /**
     * Counts a paid order once. Returns the group after it, `succeeded` when this payment filled
     * it, or `late` when the group had already ended (the order must be refunded).
     */
    async recordPaid(groupId: Types.ObjectId, userId: Types.ObjectId, orderId: Types.ObjectId): Promise<{ group: Group; succeeded: boolean; late: boolean }> {
      await GroupModel.updateOne({ _id: groupId, state: { $in: ['pending', 'open'] }, paidOrderIds: { $ne: orderId }, [`${seatPath(userId)}.orderId`]: orderId }, { $push: { paidOrderIds: orderId }, $inc: { paidCount: 1 } })
      await GroupModel.updateOne({ _id: groupId, state: 'pending', paidCount: { $gte: 1 } }, { $set: { state: 'open' } })
      let group = await service.getGroup(groupId.toHexString())
      const counted = group.paidOrderIds.some((o) => o.equals(orderId))
      if (!counted) return { group, succeeded: false, late: true }
      let succeeded = false
      if (group.state === 'open' && group.paidCount >= group.size) {
        const won = await GroupModel.findOneAndUpdate({ _id: groupId, state: 'open', paidCount: { $gte: group.size } }, { $set: { state: 'succeeded', endedAt: clock() } }, { new: true }).lean<Group>()
        if (won) {
          group = won
          succeeded = true
        }
      }
      return { group, succeeded, late: false }
    },

    /**
     * Ends groups whose time ran out: one seat short with auto-fill → succeeded, otherwise failed
     * (a pending group is cancelled). Settling them is the orders service's job.
     */
    async endExpired(now: Date): Promise<void> {
      const due = await GroupModel.find({ state: { $in: ['pending', 'open'] }, expiresAt: { $lte: now } }).limit(200).lean<Group[]>()
      for (const g of due) {
        const a = await ActivityModel.findById(g.activityId, WITHOUT_HOLDERS).lean<Activity>()
        if (g.state === 'open' && a?.autoFill && g.paidCount === g.size - 1 && g.free <= 1) {
          const filled = await GroupModel.updateOne({ _id: g._id, state: 'open', paidCount: g.size - 1 }, { $set: { state: 'succeeded', autoFilled: true, endedAt: now } })
          if (filled.modifiedCount === 1) continue
        }
        await GroupModel.updateOne({ _id: g._id, state: g.state }, { $set: { state: g.state === 'pending' ? 'cancelled' : 'failed', endedAt: now } })
      }
    },

    /** A member's order in a group that succeeded was refunded: they leave its member list, once. */
    async memberRefunded(groupId: Types.ObjectId, userId: Types.ObjectId, orderId: Types.ObjectId): Promise<void> {
      await GroupModel.updateOne({ _id: groupId, state: 'succeeded', [`${seatPath(userId)}.orderId`]: orderId, [`${seatPath(userId)}.refundedAt`]: { $exists: false } }, { $set: { [`${seatPath(userId)}.refundedAt`]: clock() } })
    },

    /** Groups that ended and whose outcomes are not all done yet (the settle job's work list). */
    unsettled: (limit = 100) => GroupModel.find({ state: { $in: ['succeeded', 'failed', 'cancelled'] }, settled: false }).limit(limit).lean<Group[]>(),
    markSettled: (groupId: Types.ObjectId) => GroupModel.updateOne({ _id: groupId }, { $set: { settled: true } }),
  }
  return service
}

export type GroupBuyService = ReturnType<typeof createGroupBuyService>
