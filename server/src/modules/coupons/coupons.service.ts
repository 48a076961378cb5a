import { createHash } from 'node:crypto'
import { Types } from 'mongoose'
import { couponDiscountFen, type CouponListQuery, type CouponTerms, type CouponView, type CreateCouponTemplateRequest } from '@xianlin/shared'
import { isDuplicateKeyError } from '../../db/errors'
import type { EventsService } from '../events/events.service'
import { AppError } from '../../core/app-error'
import { CouponModel, CouponTemplateModel, copiedTerms, type Coupon } from './coupon.model'
import { readByIds } from '../../db/read-by-ids'

const DAY_MS = 24 * 60 * 60 * 1000

export function toCouponView(c: Coupon, now: Date): CouponView {
  return {
    id: c._id.toHexString(),
    name: c.name,
    kind: c.kind,
    amountFen: c.amountFen,
    percentOff: c.percentOff,
    minSpendFen: c.minSpendFen,
    scope: c.scope,
    validFrom: c.validFrom.toISOString(),
    validTo: c.validTo.toISOString(),
    state: c.state !== 'used' && c.validTo <= now ? 'expired' : c.state,
  }
}

const termsOf = (c: Pick<Coupon, 'kind' | 'amountFen' | 'percentOff' | 'minSpendFen'>): CouponTerms => ({ kind: c.kind, amountFen: c.amountFen, percentOff: c.percentOff, minSpendFen: c.minSpendFen })

/** Coupon templates, grants, and a coupon's life on an order (DESIGN.md, Coupons). */
export function createCouponsService(deps: { events: EventsService; clock: () => Date }) {
  const { clock } = deps
  /** A coupon of this user, usable now, for an order in `scope`. */
  const usableFilter = (couponId: string, userId: string, scope: Coupon['scope']) => {
    const now = clock()
    return { _id: new Types.ObjectId(couponId), userId: new Types.ObjectId(userId), state: 'usable', validFrom: { $lte: now }, validTo: { $gt: now }, scope: { $in: ['all', scope] } }
  }

  return {
    async createTemplate(input: CreateCouponTemplateRequest, fixed?: { _id: Types.ObjectId; code: string }) {
      const v = input.validity
      const template = await CouponTemplateModel.create({
        ...fixed,
        name: input.name,
        kind: input.kind,
        amountFen: input.amountFen ?? 0,
        percentOff: input.percentOff ?? 0,
        minSpendFen: input.minSpendFen,
        scope: input.scope,
        validityKind: v.kind,
        validFrom: v.kind === 'fixed' ? new Date(v.from) : null,
        validTo: v.kind === 'fixed' ? new Date(v.to) : null,
        validDays: v.kind === 'relative' ? v.days : null,
      })
      return { id: template._id.toHexString(), name: template.name }
    },

    /**
     * The id of the template with this code, created from `input` the first time. The id is
     * derived from the code, so callers racing on a first use create one template, not two.
     */
    async ensureTemplate(code: string, input: CreateCouponTemplateRequest): Promise<string> {
      const existing = await CouponTemplateModel.findOne({ code }).lean()
      if (existing) return existing._id.toHexString()
      const _id = new Types.ObjectId(createHash('sha256').update(`coupon-template:${code}`).digest('hex').slice(0, 24))
      try {
        await this.createTemplate(input, { _id, code })
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err
      }
      return _id.toHexString()
    },

    /** Grants a coupon of a template; the same `key` twice yields the first coupon. */
    async grant(input: { templateId: string; userId: string | Types.ObjectId; key: string; source: string }): Promise<{ coupon: Coupon; replayed: boolean }> {
      const existing = await CouponModel.findOne({ key: input.key }).lean()
      if (existing) return checkReplay(existing, input)
      const t = await CouponTemplateModel.findById(input.templateId).lean()
      if (!t || !t.active) throw new AppError('NOT_FOUND', '优惠券模板不存在')
      const now = clock()
      const validFrom = t.validityKind === 'fixed' ? t.validFrom! : now
      const validTo = t.validityKind === 'fixed' ? t.validTo! : new Date(now.getTime() + t.validDays! * DAY_MS)
      try {
        const coupon = await CouponModel.create({
          templateId: t._id,
          userId: input.userId,
          key: input.key,
          ...copiedTerms(t),
          validFrom,
          validTo,
          state: 'usable',
          source: input.source,
          createdAt: now,
        })
        await deps.events.track({ userId: input.userId, name: 'coupon_granted', props: { couponId: coupon._id.toHexString(), templateId: t._id.toHexString(), source: input.source }, at: now, key: `coupon_granted:${input.key}` })
        return { coupon: coupon.toObject(), replayed: false }
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err
        return checkReplay((await CouponModel.findOne({ key: input.key }).lean())!, input)
      }
    },

    /** Whether a coupon was granted under `key` (a capped grant's recovery asks). */
    async issued(key: string): Promise<boolean> {
      return Boolean(await CouponModel.exists({ key }))
    },

    async list(userId: string, state: CouponListQuery['state']): Promise<CouponView[]> {
      const now = clock()
      const owner = new Types.ObjectId(userId)
      const filter =
        state === 'used'
          ? { userId: owner, state: 'used' }
          : state === 'expired'
            ? { userId: owner, state: { $in: ['usable', 'locked'] }, validTo: { $lte: now } }
            : { userId: owner, state: { $in: ['usable', 'locked'] }, validTo: { $gt: now } }
      const coupons = await CouponModel.find(filter).sort({ validTo: state === 'usable' ? 1 : -1 }).limit(100).lean()
      return coupons.map((c) => toCouponView(c, now))
    },

    /**
     * Locks a usable, valid coupon onto an order and says what it takes off. One guarded update:
     * of two orders racing for one coupon, one gets it.
     */
    async lock(input: { couponId: string; userId: string; orderId: string; orderFen: number; scope: Coupon['scope'] }) {
      const coupon = await CouponModel.findOneAndUpdate(
        { ...usableFilter(input.couponId, input.userId, input.scope), minSpendFen: { $lte: input.orderFen } },
        { $set: { state: 'locked', orderId: input.orderId } },
        { new: true },
      ).lean()
      if (!coupon) throw new AppError('COUPON_NOT_USABLE')
      return { discountFen: couponDiscountFen(coupon, input.orderFen), terms: termsOf(coupon) }
    },

    /** The terms of a coupon the user can use now in `scope` (for a price quote; nothing is locked). */
    async usableTerms(input: { couponId: string; userId: string; scope: Coupon['scope'] }): Promise<CouponTerms> {
      const coupon = await CouponModel.findOne(usableFilter(input.couponId, input.userId, input.scope)).lean()
      if (!coupon) throw new AppError('COUPON_NOT_USABLE')
      return termsOf(coupon)
    },

    /** Marks a locked coupon used when its order is paid. */
    async use(couponId: string, orderId: string): Promise<boolean> {
      const res = await CouponModel.updateOne({ _id: couponId, orderId, state: 'locked' }, { $set: { state: 'used', usedAt: clock() } })
      return res.modifiedCount === 1
    },

    /** Gives a coupon back when its order is cancelled or refunded; once, whatever the retries. */
    async restore(couponId: string, orderId: string): Promise<boolean> {
      const res = await CouponModel.updateOne(
        { _id: couponId, orderId, state: { $in: ['locked', 'used'] } },
        { $set: { state: 'usable', orderId: null, usedAt: null } },
      )
      return res.modifiedCount === 1
    },
  }
}

function checkReplay(existing: Coupon, input: { templateId: string; userId: string | Types.ObjectId }) {
  if (!existing.templateId.equals(input.templateId) || !existing.userId.equals(input.userId)) throw new AppError('IDEMPOTENCY_KEY_REUSED')
  return { coupon: existing, replayed: true }
}

export type CouponsService = ReturnType<typeof createCouponsService>

/** Coupon template names by id (the audit trail names what was granted); read by `_id`. */
export async function templateNames(ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await readByIds<{ _id: Types.ObjectId; name: string }>(CouponTemplateModel, ids.filter((id) => Types.ObjectId.isValid(id)), { name: 1 })
  return new Map(rows.map((t) => [String(t._id), t.name]))
}
