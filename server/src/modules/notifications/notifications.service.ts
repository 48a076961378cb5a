import { Types } from 'mongoose'
import type { NoticeList } from '@xianlin/shared'
import { insertOnce } from '../../core/insert-once'
import type { Logger } from '../../logger'
import { WechatError, type WechatClient } from '../../wechat'
import { getUser } from '../users/users.service'
import { NoticeConsentModel, NotificationModel } from './notification.model'

/** Where each kind of notice leads in the mini-program, unless the sender names a page. */
const LINKS: Record<string, string> = {
  level_up: '/pages/membership/index',
  level_down: '/pages/membership/index',
  level_warning: '/pages/membership/index',
  perk: '/pages/coupons/index',
  invite_reward: '/pages/invite/index',
  invite_coupon: '/pages/coupons/index',
  review_reward: '/pages/points/index',
}

/** Stores a notification once per `key`; a second call with the same key does nothing. */
export async function notify(n: { key: string; userId: Types.ObjectId | string; kind: string; title: string; body: string; at: Date; link?: string }): Promise<void> {
  await insertOnce(NotificationModel, { _id: n.key, userId: n.userId, kind: n.kind, title: n.title, body: n.body, createdAt: n.at, link: n.link ?? LINKS[n.kind] ?? null })
}

const PAGE = 20
/** A notice older than this is no longer worth a WeChat message. */
const PUSH_WITHIN_MS = 24 * 3_600_000

/**
 * 消息通知 under 我的: the member's notices with an unread count, and their WeChat subscribe
 * messages: each consent the member gives allows one message (WeChat's rule), spent by a job
 * that claims each notice before sending, so several instances never send one twice.
 */
export function createNotificationsService(deps: { wechat: WechatClient; templateId: string | null; log: Logger; clock: () => Date }) {
  const { wechat, templateId, clock } = deps

  return {
    async list(userIdText: string, before?: string): Promise<NoticeList> {
      const userId = new Types.ObjectId(userIdText)
      const page = await NotificationModel.find({ userId, ...(before ? { createdAt: { $lt: new Date(before) } } : {}) }).sort({ createdAt: -1 }).limit(PAGE + 1).lean()
      const unread = await NotificationModel.countDocuments({ userId, readAt: null })
      const consent = await NoticeConsentModel.findById(userId).lean()
      return {
        notices: page.slice(0, PAGE).map((n) => ({ id: n._id, kind: n.kind, title: n.title, body: n.body, link: n.link ?? null, read: Boolean(n.readAt), createdAt: n.createdAt.toISOString() })),
        unread,
        next: page.length > PAGE ? page[PAGE - 1]!.createdAt.toISOString() : null,
        templateId,
        consents: consent?.consents ?? 0,
      }
    },

    async unreadCount(userIdText: string): Promise<number> {
      return NotificationModel.countDocuments({ userId: new Types.ObjectId(userIdText), readAt: null })
    },

    /** Marks every notice read (opening the list reads them). */
    async markAllRead(userIdText: string): Promise<{ unread: 0 }> {
      await NotificationModel.updateMany({ userId: new Types.ObjectId(userIdText), readAt: null }, { $set: { readAt: clock() } })
      return { unread: 0 }
    },

    /** One more consent from the member's 订阅消息 dialog (accepted for our template). */
    async addConsent(userIdText: string): Promise<{ consents: number }> {
      const doc = await NoticeConsentModel.findOneAndUpdate({ _id: new Types.ObjectId(userIdText) }, { $inc: { consents: 1 } }, { upsert: true, new: true }).lean()
      return { consents: doc!.consents }
    },

    /**
     * Job: sends waiting notices as WeChat subscribe messages, each spending one consent. No
     * template configured: nothing is sent. A failed send gives its consent back; a member who
     * withdrew consent (43101) is not asked again until they subscribe again.
     */
    async push(now: Date): Promise<number> {
      if (!templateId) return 0
      await NotificationModel.updateMany({ push: 'waiting', createdAt: { $lt: new Date(now.getTime() - PUSH_WITHIN_MS) } }, { $set: { push: 'expired' } })
      let sent = 0
      for (const n of await NotificationModel.find({ push: 'waiting' }).sort({ createdAt: 1 }).limit(100).lean()) {
        const claimed = await NotificationModel.updateOne({ _id: n._id, push: 'waiting' }, { $set: { push: 'sending' } })
        if (claimed.modifiedCount !== 1) continue
        const spent = await NoticeConsentModel.updateOne({ _id: n.userId, consents: { $gt: 0 } }, { $inc: { consents: -1 } })
        if (spent.modifiedCount !== 1) {
          await NotificationModel.updateOne({ _id: n._id }, { $set: { push: 'no_consent' } })
          continue
        }
        try {
          const user = await getUser(String(n.userId))
          await wechat.sendSubscribeMessage({ touser: user.openid, templateId, page: (n.link ?? '/pages/mine/index').replace(/^\//, ''), data: { thing1: n.title, thing2: n.body } })
          await NotificationModel.updateOne({ _id: n._id }, { $set: { push: 'sent' } })
          sent++
        } catch (err) {
          const withdrawn = err instanceof WechatError && err.errcode === 43101
          await NoticeConsentModel.updateOne({ _id: n.userId }, withdrawn ? { $set: { consents: 0 } } : { $inc: { consents: 1 } })
          await NotificationModel.updateOne({ _id: n._id }, { $set: { push: 'failed' } })
          if (!withdrawn) deps.log.warn({ err, notice: n._id }, 'notice not sent')
        }
      }
      return sent
    },
  }
}

export type NotificationsService = ReturnType<typeof createNotificationsService>
