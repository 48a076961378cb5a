import { Types } from 'mongoose'
import { businessDay, type BirthdayView, type Rules } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import type { CouponsService } from '../coupons/coupons.service'
import type { MembershipService } from '../membership/membership.service'
import { notify } from '../notifications/notifications.service'
import { BirthdayModel, PerkRunModel } from './perks.model'

const YEAR_MS = 365 * 24 * 3_600_000
const BATCH = 200

type PerkCoupon = NonNullable<Rules['perks']['birthday']>['coupon']

/**
 * Member perks that happen (DESIGN.md, Member levels): the birthday coupon once a year at the
 * start of the birthday in the business time zone, and the monthly coupons on the 1st. Both are
 * jobs safe to run twice or on several instances: every grant is keyed (member, year or month).
 * Early access to group-buys is enforced at checkout (groupbuy.sellableTier).
 */
export function createPerksService(deps: { perks: Rules['perks']; levels: Rules['levels']; timeZone: string; coupons: CouponsService; membership: MembershipService; clock: () => Date }) {
  const { coupons, membership, timeZone, clock } = deps
  const rankOfLevel = (key: string) => deps.levels.tiers.findIndex((t) => t.key === key)

  async function templateFor(kind: string, c: PerkCoupon): Promise<string> {
    return coupons.ensureTemplate(`perk:${kind}:${c.name}:${c.amountFen}:${c.minSpendFen}:${c.validDays}`, {
      name: c.name,
      kind: 'amount',
      amountFen: c.amountFen,
      minSpendFen: c.minSpendFen,
      validity: { kind: 'relative', days: c.validDays },
      scope: 'all',
    })
  }

  return {
    async birthday(userId: string): Promise<BirthdayView> {
      const b = await BirthdayModel.findById(new Types.ObjectId(userId)).lean()
      if (!b) return { birthday: null, changeableFrom: null }
      const next = new Date(b.changedAt.getTime() + YEAR_MS)
      return { birthday: { month: b.month, day: b.day }, changeableFrom: next > clock() ? next.toISOString() : null }
    },

    /** Records the birthday: first time freely, afterwards once a year (same date again changes nothing). */
    async setBirthday(userId: string, input: { month: number; day: number }): Promise<BirthdayView> {
      const _id = new Types.ObjectId(userId)
      const now = clock()
      const existing = await BirthdayModel.findById(_id).lean()
      if (existing && existing.month === input.month && existing.day === input.day) return this.birthday(userId)
      if (!existing) {
        try {
          await BirthdayModel.create({ _id, ...input, changedAt: now })
          return this.birthday(userId)
        } catch {
          // Set by a concurrent request: treat this one as a change.
        }
      }
      const changed = await BirthdayModel.updateOne({ _id, changedAt: { $lte: new Date(now.getTime() - YEAR_MS) } }, { $set: { ...input, changedAt: now } })
      if (changed.modifiedCount !== 1) {
        const view = await this.birthday(userId)
        throw new AppError('BIRTHDAY_LOCKED', view.changeableFrom ? `生日一年只能修改一次，${businessDay(new Date(view.changeableFrom), timeZone)} 后可再修改` : undefined)
      }
      return this.birthday(userId)
    },

    /**
     * Job: members whose birthday is today (business time zone; 29 February celebrates on the
     * 28th in other years) at the perk's level or above get the birthday coupon, once a year.
     */
    async grantBirthdays(now: Date): Promise<number> {
      const perk = deps.perks.birthday
      if (!perk) return 0
      const minRank = rankOfLevel(perk.minLevel)
      const today = businessDay(now, timeZone)
      const [year, month, day] = today.split('-').map(Number) as [number, number, number]
      const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
      const days = month === 2 && day === 28 && !leap ? [28, 29] : [day]
      const templateId = await templateFor('birthday', perk.coupon)
      let granted = 0
      for (const b of await BirthdayModel.find({ month, day: { $in: days } }, { _id: 1 }).lean()) {
        if ((await membership.rankOf(b._id)) < minRank) continue
        const key = `perk:birthday:${b._id}:${year}`
        const { replayed } = await coupons.grant({ templateId, userId: b._id, key, source: 'perk' })
        if (replayed) continue
        granted++
        await notify({ key, userId: b._id, kind: 'perk', title: '生日快乐！生日礼券已到账', body: `${perk.coupon.name}已放入「我的优惠券」，${perk.coupon.validDays} 天内有效`, at: now })
      }
      return granted
    },

    /**
     * Job: on the 1st (or the first run of a month), each member at the perk's level or above gets
     * the month's coupons. The run keeps its place, so a crash resumes where it stopped.
     */
    async grantMonthly(now: Date): Promise<number> {
      const perk = deps.perks.monthly
      if (!perk) return 0
      const month = businessDay(now, timeZone).slice(0, 7)
      const runId = `monthly:${month}`
      await PerkRunModel.updateOne({ _id: runId }, { $setOnInsert: { lastId: null, done: false } }, { upsert: true }).catch(() => undefined)
      const run = await PerkRunModel.findById(runId).lean()
      if (!run || run.done) return 0
      const templateId = await templateFor('monthly', perk.coupon)
      let granted = 0
      let after = run.lastId ?? null
      for (;;) {
        const members = await membership.membersAtOrAbove(rankOfLevel(perk.minLevel), after, BATCH)
        for (const userId of members) {
          for (let i = 1; i <= perk.count; i++) {
            const { replayed } = await coupons.grant({ templateId, userId, key: `perk:monthly:${userId}:${month}:${i}`, source: 'perk' })
            if (!replayed) granted++
          }
          await notify({ key: `perk:monthly:${userId}:${month}`, userId, kind: 'perk', title: '本月会员券已到账', body: `${perk.count} 张${perk.coupon.name}已放入「我的优惠券」`, at: now })
        }
        if (members.length < BATCH) break
        after = members[members.length - 1]!
        await PerkRunModel.updateOne({ _id: runId }, { $set: { lastId: after } })
      }
      await PerkRunModel.updateOne({ _id: runId }, { $set: { done: true } })
      return granted
    },
  }
}

export type PerksService = ReturnType<typeof createPerksService>
