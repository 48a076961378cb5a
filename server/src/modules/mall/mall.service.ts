import { Types } from 'mongoose'
import { isErrorCode, type AdminMallItem, type PageQuery, type CreateMallItemRequest, type MallItemQuery, type MallItemView, type Rules, type UpdateMallItemRequest, type VoucherListQuery, type VoucherView } from '@xianlin/shared'
import { isDuplicateKeyError } from '../../db/errors'
import { AppError } from '../../core/app-error'
import { claimNumberedSlot } from '../../core/numbered-slot'
import { giveBackUnit, takeUnit, type HeldUnits } from '../../core/held-units'
import type { CouponsService } from '../coupons/coupons.service'
import type { EventsService } from '../events/events.service'
import type { MembershipService } from '../membership/membership.service'
import type { PointsService } from '../points/points.service'
import { storeNames } from '../stores/stores.service'
import { userNames } from '../users/users.service'
import { MallItemModel, RedemptionSlotModel, WITHOUT_HOLDERS, type MallItem } from './mall-item.model'
import { VoucherModel, type Voucher } from './voucher.model'
import { newVoucherCode } from './voucher-code'

const DAY_MS = 24 * 60 * 60 * 1000
/** A replay waits up to 50 ms × this for the first request with its key to finish. */
const REPLAY_WAIT_STEPS = 40
const STALE_MS = 60_000
/** Each unit of an item's stock is held by the voucher that took it (core/held-units.ts). */
const itemStock: HeldUnits = { model: MallItemModel, field: 'stock', step: -1, holdersField: 'stockHolders' }

interface Deps {
  rules: Rules['mall']
  levels: Rules['levels']['tiers']
  points: PointsService
  coupons: CouponsService
  membership: MembershipService
  events: EventsService
  clock: () => Date
  /** Tests only: throws at a named step to simulate a crash there. */
  crashAt?: (step: string) => void | Promise<void>
}

/** The points mall (DESIGN.md, Points mall): items, redemption into vouchers, cancel, expiry. */
export function createMallService(deps: Deps) {
  const { rules, levels, points, coupons, membership, events, clock } = deps
  const oid = (id: string | Types.ObjectId) => (typeof id === 'string' ? new Types.ObjectId(id) : id)

  async function toItemViews(items: MallItem[]): Promise<MallItemView[]> {
    const names = await storeNames(items.flatMap((i) => i.storeIds))
    return items.map((i) => ({
      id: i._id.toHexString(),
      name: i.name,
      description: i.description,
      kind: i.kind,
      category: i.category,
      pointsPrice: i.pointsPrice,
      stock: i.stock,
      perUserLimit: i.perUserLimit,
      minLevel: i.minLevelRank > 0 ? { rank: i.minLevelRank, name: levels[i.minLevelRank]?.name ?? `等级${i.minLevelRank}` } : null,
      availableFrom: i.availableFrom?.toISOString() ?? null,
      availableTo: i.availableTo?.toISOString() ?? null,
      stores: i.storeIds.map((s) => ({ id: s.toHexString(), name: names.get(s.toHexString()) ?? '' })),
      cover: { emoji: i.cover.emoji, tint: i.cover.tint },
    }))
  }

  async function toVoucherViews(list: Voucher[]): Promise<VoucherView[]> {
    const names = await storeNames([...list.flatMap((v) => v.storeIds), ...list.flatMap((v) => (v.redeemedStoreId ? [v.redeemedStoreId] : []))])
    const staff = await userNames(list.flatMap((v) => (v.redeemedBy ? [v.redeemedBy] : [])))
    return list.map((v) => ({
      id: v._id,
      code: v._id,
      item: { id: v.itemId.toHexString(), name: v.itemName, kind: v.kind, cover: { emoji: v.cover.emoji, tint: v.cover.tint } },
      points: v.points,
      state: v.state === 'cancelling' ? 'cancelled' : v.state === 'expiring' ? 'expired' : v.state,
      stores: v.storeIds.map((s) => ({ id: s.toHexString(), name: names.get(s.toHexString()) ?? '' })),
      expiresAt: v.expiresAt?.toISOString() ?? null,
      createdAt: v.createdAt.toISOString(),
      redeemed: v.redeemedAt
        ? { at: v.redeemedAt.toISOString(), storeName: names.get(String(v.redeemedStoreId)) ?? '', staffName: staff.get(String(v.redeemedBy)) ?? '' }
        : null,
    }))
  }

  /**
   * Gives back what a redemption took, each part once: its quota slot and its unit of stock are
   * found by the voucher's code (whether or not the voucher recorded them before a crash), then
   * the voucher fails.
   */
  async function undo(v: Voucher, failure: string, taken = { slot: true, stock: true }): Promise<void> {
    if (taken.slot) await RedemptionSlotModel.deleteMany({ voucherId: v._id })
    if (taken.stock) await giveBackUnit(itemStock, v.itemId, v._id)
    await VoucherModel.updateOne({ _id: v._id, state: 'pending' }, { $set: { state: 'failed', failure } })
  }

  /** Claims one of the user's redemption slots of the item, or says the limit is reached. */
  async function claimSlot(item: MallItem, userId: Types.ObjectId, voucherId: string): Promise<string | null> {
    if (!item.perUserLimit) return null
    const slot = await claimNumberedSlot({ count: item.perUserLimit, idOf: (n) => `${item._id}:${userId}:${n}`, insert: (_id) => RedemptionSlotModel.create({ _id, voucherId }) })
    if (!slot) throw new AppError('REDEMPTION_LIMIT_REACHED')
    return slot.id
  }

  /** Takes the points and issues what was bought; the voucher becomes usable (or the coupon is granted). */
  async function complete(v: Voucher, item: Pick<MallItem, 'couponTemplateId' | 'name'>): Promise<Voucher> {
    await deps.crashAt?.('redeem-before-spend')
    await points.spend({ userId: v.userId, amount: v.points, source: 'mall', sourceId: v._id, key: `mall:${v._id}` })
    await deps.crashAt?.('redeem-after-spend')
    if (v.kind === 'coupon') {
      await coupons.grant({ templateId: String(item.couponTemplateId), userId: v.userId, key: `mall:${v._id}`, source: 'mall' })
      await VoucherModel.updateOne({ _id: v._id, state: 'pending' }, { $set: { state: 'issued' } })
    } else {
      await VoucherModel.updateOne({ _id: v._id, state: 'pending' }, { $set: { state: 'active', expiresAt: new Date(clock().getTime() + rules.voucherValidDays * DAY_MS) } })
    }
    await events.track({ userId: v.userId, name: 'redemption', props: { itemId: String(v.itemId), item: item.name, points: v.points }, at: clock() })
    return (await VoucherModel.findById(v._id).lean())!
  }

  return {
    async listItems(actorId: string | undefined, query: MallItemQuery): Promise<MallItemView[]> {
      const now = clock()
      const items = (await MallItemModel.find({ active: true, ...(query.category ? { category: query.category } : {}) }, WITHOUT_HOLDERS).sort({ sort: 1, pointsPrice: 1 }).lean()).filter(
        (i) => (!i.availableFrom || i.availableFrom <= now) && (!i.availableTo || i.availableTo > now),
      )
      // 我能兑: enough points now, and the member's level reaches the item's.
      if (query.affordable === 'true' && actorId) {
        const [{ available }, rank] = await Promise.all([points.balance(actorId), membership.rankOf(actorId)])
        return toItemViews(items.filter((i) => i.pointsPrice <= available && i.minLevelRank <= rank))
      }
      return toItemViews(items)
    },

    /** 运营后台 → 积分商城: every item newest first, on sale or not, a page at a time. */
    async adminItems(page: PageQuery): Promise<{ items: AdminMallItem[]; nextCursor: string | null }> {
      const found = await MallItemModel.find(page.cursor ? { _id: { $lt: oid(page.cursor) } } : {}, WITHOUT_HOLDERS)
        .sort({ _id: -1 })
        .limit(page.limit + 1)
        .lean()
      const shown = found.slice(0, page.limit)
      const views = await toItemViews(shown)
      const items = views.map((v, i) => ({ ...v, active: shown[i]!.active, couponTemplateId: shown[i]!.couponTemplateId?.toHexString() ?? null }))
      return { items, nextCursor: found.length > page.limit ? shown[shown.length - 1]!._id.toHexString() : null }
    },

    async getItem(id: string): Promise<MallItemView> {
      const item = await MallItemModel.findOne({ _id: oid(id), active: true }, WITHOUT_HOLDERS).lean()
      if (!item) throw new AppError('NOT_FOUND', '商品不存在')
      return (await toItemViews([item]))[0]!
    },

    async createItem(input: CreateMallItemRequest, code: string | null = null): Promise<MallItemView> {
      const item = await MallItemModel.create({
        ...input,
        code,
        couponTemplateId: input.couponTemplateId ? oid(input.couponTemplateId) : null,
        storeIds: input.storeIds.map(oid),
        availableFrom: input.availableFrom ? new Date(input.availableFrom) : null,
        availableTo: input.availableTo ? new Date(input.availableTo) : null,
      })
      return (await toItemViews([item.toObject()]))[0]!
    },

    /**
     * Issues a gift voucher for a product (an assist's prize), redeemable at the staff desk like
     * a mall voucher; once per `key`.
     */
    async issueGiftVoucher(input: { userId: Types.ObjectId; itemId: Types.ObjectId; itemName: string; cover: { emoji: string; tint: string }; storeIds: Types.ObjectId[]; key: string }): Promise<Voucher> {
      const earlier = await VoucherModel.findOne({ key: input.key }).lean()
      if (earlier) return earlier
      try {
        return (
          await VoucherModel.create({
            _id: newVoucherCode(),
            ...input,
            kind: 'goods',
            points: 0,
            state: 'active',
            expiresAt: new Date(clock().getTime() + rules.voucherValidDays * DAY_MS),
            createdAt: clock(),
          })
        ).toObject()
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err
        return (await VoucherModel.findOne({ key: input.key }).lean())!
      }
    },

    /** Whether the gift voucher with this issue key exists (reward recovery asks). */
    async giftVoucherIssued(key: string): Promise<boolean> {
      return Boolean(await VoucherModel.exists({ key }))
    },

    /** Creates the item with this code unless it exists (the demo seed runs on every start). */
    async ensureItem(code: string, input: CreateMallItemRequest): Promise<void> {
      if (await MallItemModel.exists({ code })) return
      await this.createItem(input, code)
    },

    /** Operator edits; withdrawing stock never takes it below zero. */
    async updateItem(id: string, input: UpdateMallItemRequest): Promise<MallItemView> {
      const change = input.stockChange ?? 0
      const filter = { _id: oid(id), ...(change < 0 ? { stock: { $gte: -change } } : {}) }
      const set = { ...(input.active !== undefined ? { active: input.active } : {}), ...(input.pointsPrice ? { pointsPrice: input.pointsPrice } : {}) }
      const item = await MallItemModel.findOneAndUpdate(filter, { $set: set, ...(change ? { $inc: { stock: change } } : {}) }, { new: true }).lean()
      if (!item) throw new AppError(change < 0 && (await MallItemModel.exists({ _id: oid(id) })) ? 'OUT_OF_STOCK' : 'NOT_FOUND')
      return (await toItemViews([item]))[0]!
    },

    /**
     * Redeems an item for points. The voucher is written first as `pending` under the client's
     * idempotency key; then a quota slot, one unit of stock and the points are taken, each keyed
     * by the voucher's code. A refusal gives back what was taken; a crash is finished or undone by
     * `recover`. A retry with the same key returns the same voucher.
     */
    async redeem(userIdText: string, itemId: string, idempotencyKey: string): Promise<VoucherView> {
      const userId = oid(userIdText)
      const now = clock()
      const item = await MallItemModel.findOne({ _id: oid(itemId), active: true }, WITHOUT_HOLDERS).lean()
      const key = `${userId}:${idempotencyKey}`
      // A replay is found by the voucher insert's unique key below; one refused up here first asks
      // whether the key already redeemed (the item may have changed since), so it answers the same.
      const refuse = async (err: AppError): Promise<VoucherView> => {
        const earlier = await VoucherModel.findOne({ key }).lean()
        if (earlier) return replay(earlier)
        throw err
      }
      if (!item) return refuse(new AppError('NOT_FOUND', '商品不存在'))
      if ((item.availableFrom && item.availableFrom > now) || (item.availableTo && item.availableTo <= now)) return refuse(new AppError('ITEM_UNAVAILABLE'))
      if (item.minLevelRank > 0 && (await membership.rankOf(userId)) < item.minLevelRank) {
        const needed = levels[item.minLevelRank]?.name ?? `等级${item.minLevelRank}`
        return refuse(new AppError('LEVEL_TOO_LOW', `该商品需${needed}及以上才能兑换`, { minLevelRank: item.minLevelRank, minLevel: needed }))
      }

      let voucher: Voucher
      try {
        voucher = (
          await VoucherModel.create({
            _id: newVoucherCode(),
            key,
            userId,
            itemId: item._id,
            itemName: item.name,
            kind: item.kind,
            cover: item.cover,
            points: item.pointsPrice,
            storeIds: item.storeIds,
            state: 'pending',
            createdAt: now,
          })
        ).toObject()
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err
        return replay((await VoucherModel.findOne({ key }).lean())!)
      }

      const taken = { slot: false, stock: false }
      try {
        await deps.crashAt?.('redeem-after-voucher')
        // The slot and the unit are keyed by the voucher's code, so a crash between taking one and
        // noting it anywhere leaks nothing: undo and cancel find them by the code.
        taken.slot = (await claimSlot(item, userId, voucher._id)) !== null
        await deps.crashAt?.('redeem-after-slot')
        if (!(await takeUnit(itemStock, item._id, voucher._id))) throw new AppError('OUT_OF_STOCK')
        taken.stock = true
        await deps.crashAt?.('redeem-after-stock')
        return (await toVoucherViews([await complete(voucher, item)]))[0]!
      } catch (err) {
        // A refusal here knows what it took; a crash leaves the full undo to `recover`.
        if (err instanceof AppError) await undo(voucher, err.code, taken)
        throw err
      }

      /**
       * The same key again answers what the first request came to: its voucher, or its refusal.
       * While the first is still under way it waits a moment for it, then says so (409).
       */
      async function replay(first: Voucher): Promise<VoucherView> {
        let v = first
        for (let i = 0; v.state === 'pending' && i < REPLAY_WAIT_STEPS; i++) {
          await new Promise((r) => setTimeout(r, 50))
          v = (await VoucherModel.findById(first._id).lean())!
        }
        if (v.state === 'pending') throw new AppError('REQUEST_IN_PROGRESS')
        if (v.state === 'failed') throw new AppError(isErrorCode(v.failure) ? v.failure : 'REDEMPTION_INTERRUPTED')
        return (await toVoucherViews([v]))[0]!
      }
    },

    async listVouchers(userId: string, state: VoucherListQuery['state']): Promise<VoucherView[]> {
      const states = state === 'active' ? ['active'] : state === 'used' ? ['redeemed', 'issued'] : ['cancelling', 'cancelled', 'expiring', 'expired']
      const list = await VoucherModel.find({ userId: oid(userId), state: { $in: states } }).sort({ createdAt: -1 }).limit(100).lean()
      return toVoucherViews(list)
    },

    async getVoucher(userId: string, code: string): Promise<VoucherView> {
      const v = await VoucherModel.findById(code).lean()
      if (!v || !v.userId.equals(userId)) throw new AppError('VOUCHER_NOT_FOUND')
      return (await toVoucherViews([v]))[0]!
    },

    /**
     * Cancels an unused voucher: points and stock come back, once. Cancelling again answers with
     * the cancelled voucher (a retry is not an error); a used or expired one cannot be cancelled.
     */
    async cancel(userId: string, code: string): Promise<VoucherView> {
      const v = await VoucherModel.findOneAndUpdate({ _id: code, userId: oid(userId), state: 'active' }, { $set: { state: 'cancelling' } }, { new: true }).lean()
      if (!v) {
        const existing = await VoucherModel.findById(code).lean()
        if (!existing || !existing.userId.equals(userId)) throw new AppError('VOUCHER_NOT_FOUND')
        if (existing.state === 'cancelling') return (await toVoucherViews([await settleEnd(existing, 'cancelled')]))[0]!
        if (existing.state === 'cancelled') return (await toVoucherViews([existing]))[0]!
        throw new AppError('VOUCHER_NOT_CANCELLABLE')
      }
      return (await toVoucherViews([await settleEnd(v, 'cancelled')]))[0]!
    },

    /** Job: vouchers past their date expire, once; points come back when config says so. */
    async expireDue(now: Date): Promise<number> {
      let expired = 0
      for (const v of await VoucherModel.find({ state: 'active', expiresAt: { $lte: now } }).limit(500).lean()) {
        const claimed = await VoucherModel.findOneAndUpdate({ _id: v._id, state: 'active' }, { $set: { state: 'expiring' } }, { new: true }).lean()
        if (!claimed) continue
        await settleEnd(claimed, 'expired')
        expired++
      }
      for (const v of await VoucherModel.find({ state: { $in: ['expiring', 'cancelling'] } }).limit(500).lean()) {
        await settleEnd(v, v.state === 'expiring' ? 'expired' : 'cancelled')
      }
      return expired
    },

    /**
     * Job: a redemption a crash left `pending` is finished when its points were paid, and undone
     * (slot, stock) when they were not.
     */
    async recover(now: Date): Promise<{ completed: number; undone: number }> {
      let completed = 0
      let undone = 0
      for (const v of await VoucherModel.find({ state: 'pending', createdAt: { $lt: new Date(now.getTime() - STALE_MS) } }).limit(500).lean()) {
        if (await points.hasEntry(`mall:${v._id}`)) {
          const item = await MallItemModel.findById(v.itemId, WITHOUT_HOLDERS).lean()
          await complete(v, { couponTemplateId: item?.couponTemplateId ?? null, name: v.itemName })
          completed++
        } else {
          await undo(v, 'REDEMPTION_INTERRUPTED')
          undone++
        }
      }
      return { completed, undone }
    },
  }

  /** Finishes a cancel or an expiry: refund (per config for expiry), stock back, final state. */
  async function settleEnd(v: Voucher, end: 'cancelled' | 'expired'): Promise<Voucher> {
    if (v.points > 0 && (end === 'cancelled' || rules.refundExpiredVouchers)) {
      await points.refund({ userId: v.userId, amount: v.points, source: 'mall', sourceId: v._id, key: `mall-refund:${v._id}` })
    }
    await giveBackUnit(itemStock, v.itemId, v._id)
    await RedemptionSlotModel.deleteMany({ voucherId: v._id })
    await VoucherModel.updateOne({ _id: v._id, state: end === 'cancelled' ? 'cancelling' : 'expiring' }, { $set: { state: end } })
    return (await VoucherModel.findById(v._id).lean())!
  }
}

export type MallService = ReturnType<typeof createMallService>
