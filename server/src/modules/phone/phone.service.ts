import { Types } from 'mongoose'
import { maskPhone } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import { insertOnce } from '../../core/insert-once'
import { WechatError, type WechatClient } from '../../wechat'
import { recordAudit } from '../audit/audit.service'
import type { EventsService } from '../events/events.service'
import { getUser, setPhoneMasked } from '../users/users.service'
import type { PhoneCrypto } from './phone-crypto'
import { PhoneBindingModel, PhoneOwnerModel } from './phone.model'

const MAINLAND = /^1[3-9]\d{9}$/
/** A claim this old whose member holds no binding of the number was left by a crash: another member may take it. */
const STALE_CLAIM_MS = 60_000

/** How each WeChat answer to getuserphonenumber reads to the member (WECHAT.md, Phone number). */
function phoneError(err: unknown): AppError {
  if (!(err instanceof WechatError)) return err as AppError
  if (err.errcode === 40029) return new AppError('PHONE_CODE_INVALID')
  if (err.errcode === 45011) return new AppError('PHONE_TOO_FREQUENT')
  if (err.errcode === 40013) return new AppError('PHONE_APP_MISCONFIGURED')
  if (err.transient) return new AppError('WECHAT_UNAVAILABLE')
  return new AppError('PHONE_BIND_FAILED')
}

/**
 * Phone binding (progressive registration): the number comes from WeChat's getPhoneNumber button
 * (or, in development only, is typed on the H5 demo), is sealed at rest with a keyed hash for
 * look-ups, and only its masked form is ever shown. Binding, rebinding and unbinding are audited.
 */
export function createPhoneService(deps: {
  crypto: PhoneCrypto
  wechat: WechatClient
  events: EventsService
  /** Typed numbers are accepted only where the development login is (never in production). */
  allowTyped: boolean
  /** Called after a member's first binding (the invitation's phone reward). */
  onFirstBound: (userId: string) => Promise<void>
  clock: () => Date
}) {
  const { crypto, wechat, events, clock } = deps

  async function numberFrom(userId: string, input: { code: string } | { phoneNumber: string }): Promise<{ phone: string; source: 'wechat' | 'typed' }> {
    if ('phoneNumber' in input) {
      if (!deps.allowTyped) throw new AppError('PHONE_TYPED_DISABLED')
      return { phone: input.phoneNumber, source: 'typed' }
    }
    const user = await getUser(userId)
    try {
      const got = await wechat.getPhoneNumber(input.code, user.openid)
      if (got.countryCode !== '86' || !MAINLAND.test(got.purePhoneNumber)) throw new AppError('PHONE_NOT_MAINLAND')
      return { phone: got.purePhoneNumber, source: 'wechat' }
    } catch (err) {
      throw phoneError(err)
    }
  }

  /**
   * Makes the member the one holder of a number, or refuses with PHONE_TAKEN: one insert keyed by
   * the number's hash decides between members binding it at once. Numbers bound twice before this
   * rule (an older database) are refused to anyone new too.
   */
  async function claimNumber(hash: string, userId: Types.ObjectId): Promise<void> {
    const now = clock()
    const { inserted, existing } = await insertOnce(PhoneOwnerModel, { _id: hash, userId, at: now }, () => PhoneOwnerModel.findById(hash).lean())
    if (!inserted && !existing!.userId.equals(userId)) {
      const stale = existing!.at.getTime() < now.getTime() - STALE_CLAIM_MS && !(await PhoneBindingModel.exists({ _id: existing!.userId, hash }))
      const taken = !stale || (await PhoneOwnerModel.updateOne({ _id: hash, userId: existing!.userId, at: existing!.at }, { $set: { userId, at: now } })).modifiedCount === 0
      if (taken) throw new AppError('PHONE_TAKEN')
    }
    if (await PhoneBindingModel.exists({ hash, _id: { $ne: userId } })) {
      await PhoneOwnerModel.deleteOne({ _id: hash, userId })
      throw new AppError('PHONE_TAKEN')
    }
  }
  const releaseNumber = (hash: string, userId: Types.ObjectId) => PhoneOwnerModel.deleteOne({ _id: hash, userId })

  return {
    /** Binds (or changes) the member's number, which no other member may hold; the same number again changes nothing. */
    async bind(userId: string, input: { code: string } | { phoneNumber: string }): Promise<{ phoneMasked: string }> {
      const { phone, source } = await numberFrom(userId, input)
      const hash = crypto.hash(phone)
      const masked = maskPhone(phone)
      const doc = { ...crypto.seal(phone), hash, masked, source, boundAt: clock() }
      const _id = new Types.ObjectId(userId)
      await claimNumber(hash, _id)
      const first = await insertOnce(PhoneBindingModel, { _id, ...doc })
      if (first.inserted) {
        await setPhoneMasked(userId, masked)
        await recordAudit({ actorId: _id, action: 'phone.bind', targetType: 'user', targetId: userId, outcome: 'bound', details: { masked, source }, at: clock() })
        await events.track({ userId: _id, name: 'phone_bound', props: { source }, at: clock() })
        await deps.onFirstBound(userId)
        return { phoneMasked: masked }
      }
      // A change of number: only when it differs, so a double tap records one change.
      const before = await PhoneBindingModel.findOneAndUpdate({ _id, hash: { $ne: hash } }, { $set: doc }).lean()
      if (before) {
        await releaseNumber(before.hash, _id)
        await setPhoneMasked(userId, masked)
        await recordAudit({ actorId: _id, action: 'phone.rebind', targetType: 'user', targetId: userId, outcome: 'rebound', details: { before: { masked: before.masked }, after: { masked }, source }, at: clock() })
      }
      return { phoneMasked: masked }
    },

    /** Removes the member's number (audited); nothing to remove answers the same. */
    async unbind(userId: string, why: 'member' | 'account_deleted' = 'member'): Promise<{ phoneMasked: null }> {
      const removed = await PhoneBindingModel.findOneAndDelete({ _id: new Types.ObjectId(userId) }).lean()
      if (removed) {
        await releaseNumber(removed.hash, removed._id)
        await setPhoneMasked(userId, null)
        await recordAudit({ actorId: new Types.ObjectId(userId), action: 'phone.unbind', targetType: 'user', targetId: userId, outcome: why === 'member' ? 'unbound' : why, details: { masked: removed.masked }, at: clock() })
      }
      return { phoneMasked: null }
    },

    /** Other members whose bound number is this member's (duplicate-account checks). */
    async othersWithSameNumber(userId: Types.ObjectId): Promise<Types.ObjectId[]> {
      const mine = await PhoneBindingModel.findById(userId, { hash: 1 }).lean()
      if (!mine) return []
      const same = await PhoneBindingModel.find({ hash: mine.hash }, { _id: 1 }).limit(100).lean()
      return same.map((b) => b._id).filter((id) => !id.equals(userId))
    },

    /** The look-up hash of the member's number, or null without one (reward identities). */
    async hashOf(userId: Types.ObjectId): Promise<string | null> {
      return (await PhoneBindingModel.findById(userId, { hash: 1 }).lean())?.hash ?? null
    },

    /** Whether the member has a bound number. */
    async isBound(userId: Types.ObjectId): Promise<boolean> {
      return Boolean(await PhoneBindingModel.exists({ _id: userId }))
    },

    /** Job (key rotation): reseals numbers sealed with an older key under the current one. */
    async resealWithCurrentKey(limit = 500): Promise<number> {
      const old = await PhoneBindingModel.find({ keyId: { $ne: crypto.currentKeyId } }).limit(limit).lean()
      let resealed = 0
      for (const b of old) {
        const res = await PhoneBindingModel.updateOne({ _id: b._id, keyId: b.keyId, sealed: b.sealed }, { $set: crypto.seal(crypto.open(b)) })
        resealed += res.modifiedCount
      }
      return resealed
    },
  }
}

export type PhoneService = ReturnType<typeof createPhoneService>
