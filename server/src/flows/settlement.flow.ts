import type { Types } from 'mongoose'
import { DAY_WORDS, businessClockText, businessDay, dayText } from '@xianlin/shared'
import type { Group } from '../modules/groupbuy/groupbuy.service'
import { notify } from '../modules/notifications/notifications.service'
import type { Order } from '../modules/orders/order-records'
import type { FlowCalls, FlowContext } from './deps'

/**
 * Group settlement (DESIGN.md, Group-buy): a group that succeeded confirms its paid orders with
 * pickup codes, rewards its initiator and tells its members; a group that failed closes unpaid
 * orders and refunds paid ones. Every step is idempotent; the group is marked settled when all
 * are done, so the job finishes whatever a crash interrupted.
 */
/** What the analytics events say of a group that ended: which activity and size, and how long it stayed open. */
const groupFacts = (g: Group) => ({
  groupId: g._id.toHexString(),
  activityId: g.activityId.toHexString(),
  size: g.size,
  openMinutes: Math.max(0, Math.round(((g.endedAt ?? g.expiresAt).getTime() - g.createdAt.getTime()) / 60_000)),
})

export function createSettlementFlow(c: FlowContext, flows: FlowCalls) {
  const { rules, records, groupbuy, coupons, events, log, clock } = c

  /** A paid order of a successful group (`confirmed`), or a paid basket (`ready`), gets its one-time pickup code. */
  async function confirm(orderId: Types.ObjectId, event: 'confirmed' | 'ready' = 'confirmed'): Promise<void> {
    const o = await records.find(orderId)
    if (o?.state !== 'paid') return
    const code = await records.newPickupCode(orderId)
    await c.transition(orderId, event, { confirmedAt: clock(), pickupCode: code })
  }

  /** When a basket can be picked up, in words: 明天 16:00 后 (its earliest line's pickup). */
  function pickupWhen(o: Order): string {
    const first = (o.lines ?? []).filter((l) => l.pickupFrom).sort((a, b) => a.pickupFrom!.getTime() - b.pickupFrom!.getTime())[0]
    if (!first) return '现在'
    const tz = rules.business.timeZone
    return `${dayText(first.pickupDay!, businessDay(clock(), tz), DAY_WORDS)} ${businessClockText(first.pickupFrom!, tz)} 后`
  }

  return {
    /** A basket (or a product bought alone), once paid, has its pickup code at once, and the shopper is told when to come. */
    async confirmSolo(o: Order): Promise<void> {
      await confirm(o._id, 'ready')
      const what = o.kind === 'basket' ? `「${o.title}」共 ${o.quantity ?? 1} 件` : `「${o.product.name}」× ${o.quantity ?? 1}`
      await notify({ key: `order:${o._id}:ready`, userId: o.userId, kind: 'order_ready', title: '付款成功，等待自提', body: `${what}，${pickupWhen(o)}凭提货码到所选自提点提货`, at: clock() })
    },

    async sendResult(o: Order, result: 'success' | 'failed'): Promise<void> {
      if (!(await records.markNotified(o._id, result))) return
      const success = result === 'success'
      await notify({
        key: `order:${o._id}:${result}`,
        userId: o.userId,
        kind: success ? 'group_success' : 'group_fail',
        title: success ? '拼团成功' : '拼团未成功，已退款',
        body: success ? `「${o.product.name}」拼团成功，请凭提货码到店自提` : `「${o.product.name}」未在时限内成团，货款将原路退回`,
        at: clock(),
      })
      if (!c.groupTemplateId) return
      await c.wechat
        .sendSubscribeMessage({
          touser: o.openid,
          templateId: c.groupTemplateId,
          page: `pages/group/index?id=${o.groupId}`,
          data: { thing1: o.product.name ?? '', phrase2: success ? '拼团成功' : '拼团失败', thing3: success ? '请凭提货码到店自提' : '货款将原路退回' },
        })
        .catch((err: Error) => log.warn({ err, orderId: o._id }, 'group result message not sent'))
    },

    /** Outcomes of an ended group, all idempotent; the group is marked settled when all are done. */
    async settleGroup(g: Group): Promise<void> {
      const orders = await records.ofGroup(g._id)
      if (g.state === 'succeeded') {
        for (const id of g.paidOrderIds) await confirm(id)
        await c.crashAt?.('settle-after-confirm')
        if (rules.groupbuy.initiatorCouponFen > 0) {
          const templateId = await coupons.ensureTemplate(`groupbuy:initiator:${rules.groupbuy.initiatorCouponFen}`, {
            name: '开团人专享无门槛券',
            kind: 'amount',
            amountFen: rules.groupbuy.initiatorCouponFen,
            minSpendFen: 0,
            validity: { kind: 'relative', days: 30 },
            scope: 'all',
          })
          await coupons.grant({ templateId, userId: g.initiatorId, key: `group:initiator:${g._id}`, source: 'groupbuy' })
        }
        for (const o of await records.ofGroup(g._id, 'confirmed')) await flows.sendResult(o, 'success')
        await events.track({ userId: g.initiatorId.toHexString(), name: 'group_success', props: { ...groupFacts(g), autoFilled: g.autoFilled }, at: g.endedAt ?? clock(), key: `group_success:${g._id}` })
        // Unpaid holders cannot exist in a full group; anything left open is closed.
        for (const o of orders.filter(records.isUnpaid)) await flows.closeUnpaid(o, 'group_succeeded')
        await groupbuy.markSettled(g._id)
        return
      }
      for (const o of orders) {
        if (records.isUnpaid(o)) await flows.closeUnpaid(o, 'group_failed')
        else if (o.state === 'paid') {
          const refunding = await c.transition(o._id, 'refund')
          if (refunding) await flows.issueRefund(refunding, '拼团未成功，自动退款')
        } else if (o.state === 'refunding') await flows.issueRefund(o, '拼团未成功，自动退款')
      }
      const after = await records.ofGroup(g._id)
      if (after.every((o) => o.state === 'closed' || o.state === 'refunded')) {
        await groupbuy.markSettled(g._id)
        if (g.state === 'failed') await events.track({ userId: g.initiatorId.toHexString(), name: 'group_fail', props: groupFacts(g), at: g.endedAt ?? clock(), key: `group_fail:${g._id}` })
      }
    },

    /** Job: ends expired groups and settles ended ones (refunds, stock, coupons, points, messages). */
    async settleGroups(now: Date): Promise<number> {
      await groupbuy.endExpired(now)
      const groups = await groupbuy.unsettled()
      for (const g of groups) await flows.settleGroup(g).catch((err: Error) => log.error({ err, groupId: g._id }, 'settling a group failed'))
      return groups.length
    },
  }
}
