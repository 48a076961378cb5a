import { Types } from 'mongoose'
import { AFTER_SALE_REASON_TEXT, maskName, unitsShareFen, type AfterSaleRequest, type AfterSaleView, type AfterSaleState } from '@xianlin/shared'
import { AppError } from '../core/app-error'
import { recordAudit } from '../modules/audit/audit.service'
import { afterSaleRecords, afterSaleStates, type AfterSale } from '../modules/after-sales/after-sale-records'
import { notify } from '../modules/notifications/notifications.service'
import { linesOf } from '../modules/orders/order-lines'
import { afterSaleUntil, keptUnitsOf } from '../modules/orders/order-units'
import { attachReviewPhotos } from '../modules/photos/photos.service'
import { userNames } from '../modules/users/users.service'
import type { Order } from '../modules/orders/order-records'
import type { FlowContext } from './deps'
import type { createRefundFlow } from './refunds.flow'

const DAY = 86_400_000

/**
 * 售后 (DESIGN.md, Fulfilment and after-sale): a shopper claims units of a line they picked up,
 * within the rules' window, seeing the refund before sending; operators (or the point's leader
 * below the rules' amount, or the rules for a small first claim) approve up to the units' paid
 * share, or reject with a reason the shopper reads. Approval makes one refund (`after_sale:<id>`)
 * however often it is clicked; its success marks the request refunded.
 */
export function createAfterSaleFlow(c: FlowContext, refunds: Pick<ReturnType<typeof createRefundFlow>, 'requestRefund'>) {
  const { rules, records, clock } = c

  const until = (o: Order) => afterSaleUntil(o, rules.afterSale.windowHours)

  /** What a claim of `quantity` units of `line` would refund now, or why it cannot be made. */
  async function quoteOf(o: Order, line: number, quantity: number) {
    const l = linesOf(o)[line]
    const closes = until(o)
    if (!l) throw new AppError('VALIDATION_FAILED', '订单中没有这件商品')
    if (!closes || closes <= clock()) throw new AppError('AFTER_SALE_CLOSED')
    // Units another request is still waiting on cannot be claimed twice.
    const max = Math.max(0, keptUnitsOf(o, l) - (await afterSaleRecords.claimedOf(o._id, line)))
    if (quantity > max) throw new AppError('REFUND_LINES_INVALID', max ? `这件商品最多可申请 ${max} 件` : '这件商品已退款或未提货')
    const fen = Math.min(unitsShareFen(l, l.refundedQty ?? 0, quantity), l.payFen - (l.refundedFen ?? 0))
    const points = o.price.pointsFen ? Math.floor(((o.price.pointsUsed ?? 0) * unitsShareFen({ payFen: l.pointsFen, quantity: l.quantity }, l.refundedQty ?? 0, quantity)) / o.price.pointsFen) : 0
    return { fen, points, maxQuantity: max, until: closes.toISOString(), line: l }
  }

  async function view(a: AfterSale, names?: Map<string, string>, approver: 'operator' | 'leader' | null = null): Promise<AfterSaleView> {
    const who = names ?? (await userNames([a.userId]))
    return {
      id: a._id.toHexString(),
      orderId: a.orderId.toHexString(),
      line: a.line,
      productName: a.productName,
      quantity: a.quantity,
      reason: a.reason as AfterSaleView['reason'],
      note: a.note ?? '',
      photos: a.photoIds ?? [],
      fen: a.approvedFen ?? a.fen,
      state: a.state as AfterSaleState,
      decision: a.decision ?? null,
      member: maskName(who.get(a.userId.toHexString()) ?? ''),
      createdAt: a.createdAt.toISOString(),
      decidedAt: a.decidedAt?.toISOString() ?? null,
      approvable: a.state === 'submitted' && (approver === 'operator' || (rules.afterSale.leaderApproveBelowFen !== null && a.fen < rules.afterSale.leaderApproveBelowFen)),
    }
  }

  /** Approves `a` for `fen` (its share when not named) and makes its refund; a repeat makes the same refund. */
  async function approve(a: AfterSale, by: string | null, fen?: number): Promise<AfterSale> {
    if (fen !== undefined && fen > a.fen) throw new AppError('REFUND_AMOUNT_INVALID')
    const decided = await afterSaleStates.transition<AfterSale>(a._id, 'approved', { approvedFen: fen ?? a.fen, decidedBy: by ? new Types.ObjectId(by) : null, decidedAt: clock() })
    const now = decided ?? (await afterSaleRecords.find(a._id))!
    if (now.state === 'rejected') throw new AppError('AFTER_SALE_DECIDED')
    if (decided) await recordAudit({ actorId: by, action: 'after_sale.approve', targetType: 'after_sale', targetId: a._id.toHexString(), outcome: 'ok', details: { fen: now.approvedFen }, at: clock() })
    const o = (await records.find(now.orderId))!
    await refunds.requestRefund(o, { key: `after_sale:${now._id}`, cause: 'after_sale', reason: `售后：${AFTER_SALE_REASON_TEXT[now.reason as keyof typeof AFTER_SALE_REASON_TEXT]}`, lines: [{ line: now.line, quantity: now.quantity, fen: now.approvedFen! }], actorId: by })
    return (await afterSaleRecords.find(a._id))!
  }

  async function found(id: string): Promise<AfterSale> {
    const a = await afterSaleRecords.find(id)
    if (!a) throw new AppError('NOT_FOUND', '售后申请不存在')
    return a
  }

  return {
    /** 申请售后 page: what the claim would refund before it is sent. */
    async afterSaleQuote(userId: string, orderId: string, line: number, quantity: number) {
      const { line: _l, ...q } = await quoteOf(await records.owned(userId, orderId), line, quantity)
      return q
    },

    /** A shopper's claim; a retry with the same key answers the first claim. Small first claims are approved by the rules. */
    async requestAfterSale(userId: string, orderId: string, input: Required<Omit<AfterSaleRequest, 'note' | 'photoIds'>> & { note: string; photoIds: string[] }): Promise<AfterSaleView> {
      const key = `${userId}:${input.idempotencyKey}`
      const earlier = await afterSaleRecords.byKey(key)
      if (earlier) return view(earlier)
      const o = await records.owned(userId, orderId)
      if (input.photoIds.length > rules.afterSale.maxPhotos) throw new AppError('VALIDATION_FAILED', `最多上传 ${rules.afterSale.maxPhotos} 张照片`)
      const q = await quoteOf(o, input.line, input.quantity)
      const id = new Types.ObjectId()
      if (!(await attachReviewPhotos(userId, `after_sale:${id}`, input.photoIds))) throw new AppError('PHOTO_NOT_FOUND')
      const quiet = rules.afterSale.autoApproveBelowFen !== null && q.fen < rules.afterSale.autoApproveBelowFen && !(await afterSaleRecords.askedSince(o.userId, new Date(clock().getTime() - rules.afterSale.autoApproveQuietDays * DAY)))
      const made = await afterSaleRecords.create({ _id: id, key, orderId: o._id, userId: o.userId, leaderId: o.leaderId, storeId: o.storeId, line: input.line, productName: q.line.name, quantity: input.quantity, reason: input.reason, note: input.note, photoIds: input.photoIds, fen: q.fen, state: 'submitted', createdAt: clock() })
      let a = made.request
      if (made.made && quiet) a = await approve(a, null)
      return view(a)
    },

    /** Whether a request holds a photo (the console reads its photos through the request). */
    afterSaleHasPhoto: async (id: string, photoId: string) => Boolean((await afterSaleRecords.find(id))?.photoIds?.includes(photoId)),

    myAfterSales: async (userId: string) => {
      const list = await afterSaleRecords.list({ userId }, 50)
      const names = await userNames(list.map((a) => a.userId))
      return Promise.all(list.map((a) => view(a, names)))
    },

    /** 售后 queue: operators see all, a leader their point's. */
    async afterSaleQueue(filter: { state?: AfterSaleState; leaderId?: string }): Promise<AfterSaleView[]> {
      const list = await afterSaleRecords.list(filter)
      const names = await userNames(list.map((a) => a.userId))
      return Promise.all(list.map((a) => view(a, names, filter.leaderId ? 'leader' : 'operator')))
    },

    /** An operator approves (full, or a smaller amount); a leader may below the rules' amount, on their own point's requests. */
    async approveAfterSale(by: { operatorId: string } | { leaderId: string }, id: string, fen?: number): Promise<AfterSaleView> {
      const a = await found(id)
      if ('leaderId' in by) {
        const limit = rules.afterSale.leaderApproveBelowFen
        if (!a.leaderId?.equals(by.leaderId) || limit === null || (fen ?? a.fen) >= limit) throw new AppError('FORBIDDEN', '该售后需由运营审核')
      }
      return view(await approve(a, 'leaderId' in by ? by.leaderId : by.operatorId, fen))
    },

    async rejectAfterSale(operatorId: string, id: string, reason: string): Promise<AfterSaleView> {
      const a = await found(id)
      const done = await afterSaleStates.transition<AfterSale>(a._id, 'rejected', { decision: reason, decidedBy: new Types.ObjectId(operatorId), decidedAt: clock() })
      if (!done) throw new AppError('AFTER_SALE_DECIDED')
      await recordAudit({ actorId: operatorId, action: 'after_sale.reject', targetType: 'after_sale', targetId: id, outcome: 'ok', details: { reason }, at: clock() })
      await notify({ key: `after_sale:${a._id}:rejected`, userId: a.userId, kind: 'after_sale', title: '售后申请未通过', body: `「${a.productName}」的售后申请未通过：${reason}`, at: clock(), link: `/pages/order/index?id=${a.orderId}` })
      return view(done)
    },
  }
}
