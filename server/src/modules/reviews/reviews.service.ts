import { Types } from 'mongoose'
import { maskName, type AdminReview, type CreateReviewRequest, type MyReview, type OrderView, type ProductReviews, type ReviewView, type Rules } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import { insertOnce } from '../../core/insert-once'
import type { Logger } from '../../logger'
import type { WechatClient } from '../../wechat'
import { recordAudit } from '../audit/audit.service'
import { notify } from '../notifications/notifications.service'
import type { MembershipService } from '../membership/membership.service'
import { attachReviewPhotos } from '../photos/photos.service'
import type { PointsService } from '../points/points.service'
import { getUser, userNames } from '../users/users.service'
import { ReviewModel, type Review } from './review.model'

const PAGE = 10

/**
 * Reviews (DESIGN.md, 评价/晒单): after pickup a member rates the order, writes and may add photos.
 * Text passes the length limit, the rules' word filter and WeChat's content check; the first
 * publication pays the review points and growth once; operators publish held reviews and hide
 * others (audited; the reward stays).
 */
export function createReviewsService(deps: {
  rules: Rules['reviews']
  earn: { points: Rules['points']; growth: Rules['growth'] }
  points: PointsService
  membership: MembershipService
  wechat: WechatClient
  /** The member's own order (NOT_FOUND otherwise), from the order flows. */
  orderOf: (userId: string, orderId: string) => Promise<OrderView>
  log: Logger
  clock: () => Date
}) {
  const { rules, points, membership, clock } = deps

  /** WeChat's verdict on the text; development accounts (not WeChat's) are only word-filtered. */
  async function contentCheck(openid: string, text: string): Promise<{ suggest: string; label: number } | null> {
    if (openid.startsWith('dev:')) return null
    try {
      return await deps.wechat.msgSecCheck({ openid, content: text, scene: 2 })
    } catch (err) {
      // Unanswered: an operator decides, as for WeChat's own "review".
      deps.log.warn({ err }, 'msgSecCheck unavailable; the review waits for an operator')
      return { suggest: 'review', label: 0 }
    }
  }

  /** Pays the review's points and growth: once per order (keyed), marked after. */
  async function reward(r: Pick<Review, '_id' | 'userId'>): Promise<void> {
    if (deps.earn.points.review > 0) await points.earn({ userId: r.userId, amount: deps.earn.points.review, source: 'review', sourceId: r._id, key: `review:points:${r._id}` })
    if (deps.earn.growth.review > 0) await membership.addGrowth({ userId: r.userId, amount: deps.earn.growth.review, source: 'review', sourceId: r._id, key: `review:growth:${r._id}` })
    const marked = await ReviewModel.updateOne({ _id: r._id, rewardedAt: null }, { $set: { rewardedAt: clock() } })
    if (marked.modifiedCount === 1 && deps.earn.points.review > 0) {
      await notify({ key: `review:${r._id}`, userId: r.userId, kind: 'review_reward', title: '评价奖励到账', body: `感谢晒单，你获得 ${deps.earn.points.review} 积分${deps.earn.growth.review > 0 ? `、${deps.earn.growth.review} 成长值` : ''}`, at: clock() })
    }
  }

  async function views(list: Review[]): Promise<ReviewView[]> {
    const names = await userNames(list.map((r) => r.userId))
    return list.map((r) => ({ id: r._id, author: maskName(names.get(String(r.userId)) ?? ''), rating: r.rating, text: r.text, photos: r.photos, createdAt: r.createdAt.toISOString() }))
  }

  return {
    async create(userId: string, orderId: string, input: CreateReviewRequest): Promise<MyReview> {
      const order = await deps.orderOf(userId, orderId)
      if (order.state !== 'completed') throw new AppError('REVIEW_NOT_ALLOWED')
      const text = input.text.trim()
      if (Array.from(text).length > rules.maxLength) throw new AppError('REVIEW_TOO_LONG', `评价最多 ${rules.maxLength} 字`)
      if (rules.bannedWords.some((w) => text.toLowerCase().includes(w.toLowerCase()))) throw new AppError('REVIEW_TEXT_REFUSED')
      if (await ReviewModel.exists({ _id: orderId })) throw new AppError('ALREADY_REVIEWED')
      const verdict = await contentCheck((await getUser(userId)).openid, text)
      if (verdict?.suggest === 'risky') throw new AppError('REVIEW_TEXT_REFUSED')
      // Last of the checks: from here the photos are the review's (kept from the daily purge).
      const photoIds = [...new Set(input.photoIds ?? [])]
      if (!(await attachReviewPhotos(userId, orderId, photoIds))) throw new AppError('PHOTO_NOT_FOUND')
      const doc = {
        _id: orderId,
        userId: new Types.ObjectId(userId),
        productId: order.product.id,
        rating: input.rating,
        text,
        photos: photoIds,
        state: verdict?.suggest === 'review' ? 'pending' : 'visible',
        moderation: verdict,
        createdAt: clock(),
      }
      const first = await insertOnce(ReviewModel, doc)
      if (!first.inserted) throw new AppError('ALREADY_REVIEWED')
      if (doc.state === 'visible') await reward(doc)
      return (await this.mine(userId, orderId))!
    },

    /** Whether a review shows on its product page (its photos are public while it does). */
    async isVisible(reviewId: string): Promise<boolean> {
      return Boolean(await ReviewModel.exists({ _id: reviewId, state: 'visible' }))
    },

    /** Which reviews hold these photos (for photos stored before photo records): photo id → review id. */
    async holdingPhotos(photoIds: string[]): Promise<Map<string, string>> {
      const held = await ReviewModel.find({ photos: { $in: photoIds } }, { photos: 1 }).lean<Array<Pick<Review, '_id' | 'photos'>>>()
      return new Map(held.flatMap((r) => r.photos.filter((p) => photoIds.includes(p)).map((p) => [p, r._id] as const)))
    },

    /** The member's review of their order, or null. */
    async mine(userId: string, orderId: string): Promise<MyReview | null> {
      const r = await ReviewModel.findOne({ _id: orderId, userId: new Types.ObjectId(userId) }).lean<Review>()
      if (!r) return null
      const [view] = await views([r])
      return { ...view, state: r.state as MyReview['state'], pointsEarned: r.rewardedAt ? deps.earn.points.review : 0 }
    },

    /** A product's visible reviews, newest first, a page at a time, with the count and average rating. */
    async forProduct(productId: string, cursor?: string): Promise<ProductReviews> {
      const [ms, id] = cursor ? cursor.split('_') : [null, null]
      const before = ms ? { $or: [{ createdAt: { $lt: new Date(Number(ms)) } }, { createdAt: new Date(Number(ms)), _id: { $lt: id } }] } : {}
      const page = await ReviewModel.find({ productId, state: 'visible', ...before }).sort({ createdAt: -1, _id: -1 }).limit(PAGE + 1).lean<Review[]>()
      // The summary reads ratings only (a product's reviews number in the hundreds, not millions).
      const ratings = await ReviewModel.find({ productId, state: 'visible' }, { rating: 1 }).lean()
      const last = page.length > PAGE ? page[PAGE - 1] : null
      return {
        summary: { count: ratings.length, averageRating: ratings.length ? Math.round((ratings.reduce((n, r) => n + r.rating, 0) / ratings.length) * 10) / 10 : null },
        reviews: await views(page.slice(0, PAGE)),
        next: last ? `${last.createdAt.getTime()}_${last._id}` : null,
      }
    },

    /** 运营后台: reviews in a state, oldest first (the queue), with WeChat's verdict. */
    async list(state: AdminReview['state']): Promise<AdminReview[]> {
      const list = await ReviewModel.find({ state }).sort({ createdAt: state === 'pending' ? 1 : -1 }).limit(100).lean<Review[]>()
      const shown = await views(list)
      return list.map((r, i) => ({ ...shown[i], orderId: r._id, productId: r.productId, state: r.state as AdminReview['state'], moderation: r.moderation ? { suggest: r.moderation.suggest ?? '', label: r.moderation.label ?? 0 } : null, hiddenReason: r.hiddenReason ?? null }))
    },

    /** An operator publishes a held review: it shows, and pays its reward once. */
    async publish(orderId: string): Promise<void> {
      const r = await ReviewModel.findOneAndUpdate({ _id: orderId, state: 'pending' }, { $set: { state: 'visible' } }).lean<Review>()
      if (!r) throw new AppError('NOT_FOUND', '待审核的评价不存在或已处理')
      await recordAudit({ actorId: null, action: 'review.publish', targetType: 'review', targetId: orderId, outcome: 'published', details: { before: { state: 'pending' }, after: { state: 'visible' } }, at: clock() })
      await reward(r)
    },

    /** An operator hides a review from the product page (audited, with why); its reward stays. */
    async hide(orderId: string, reason: string): Promise<void> {
      const r = await ReviewModel.findOneAndUpdate({ _id: orderId, state: { $ne: 'hidden' } }, { $set: { state: 'hidden', hiddenReason: reason } }).lean<Review>()
      if (!r) throw new AppError('NOT_FOUND', '评价不存在或已隐藏')
      await recordAudit({ actorId: null, action: 'review.hide', targetType: 'review', targetId: orderId, outcome: 'hidden', details: { reason, before: { state: r.state }, after: { state: 'hidden' } }, at: clock() })
    },

    /** Job: visible reviews a crash left unrewarded get their points and growth. */
    async rewardMissed(now: Date): Promise<number> {
      const missed = await ReviewModel.find({ state: 'visible', rewardedAt: null, createdAt: { $lt: new Date(now.getTime() - 60_000) } }).limit(200).lean<Review[]>()
      for (const r of missed) await reward(r)
      return missed.length
    },
  }
}

export type ReviewsService = ReturnType<typeof createReviewsService>
