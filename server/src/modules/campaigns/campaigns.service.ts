import { createHash } from 'node:crypto'
import { Types } from 'mongoose'
import { addDays, businessDay, businessHour, campaignRewardShort, type CampaignUplift, type CampaignView, type CreateCampaign, type LifecycleTier, type RfmSegment, type Rules, type WelcomeOffer } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import { insertOnce } from '../../core/insert-once'
import type { CouponsService } from '../coupons/coupons.service'
import { isNewcomer, memberTierIndexesOn } from '../events/lifecycle-report'
import { memberIdsOf } from '../events/member-profiles'
import { addCampaignMembers, campaignMembers } from './campaign-members'
import { paymentTimesOf } from '../orders/order-stats'
import { segmented } from '../events/rfm-report'
import { notify } from '../notifications/notifications.service'
import type { RewardsService } from '../rewards/rewards.service'
import { getUser } from '../users/users.service'
import { measureUplift, type ArmTouch } from './uplift'
import { CampaignModel, CampaignTouchModel, MarketingContactModel, type Campaign, type CampaignTouch } from './campaign.model'

const hourText = (hour: number) => `${String(hour).padStart(2, '0')}:00`
const STALE_MS = 60_000
/** Members taken into a campaign between two records of who is in. */
const TAKE_IN_BATCH = 1000

interface Deps {
  marketing: Rules['marketing']
  lifecycle: Rules['lifecycle']
  rfm: Rules['rfm']
  coupons: CouponsService
  rewards: RewardsService
  timeZone: string
  clock: () => Date
}

/** Fixed per member and campaign: the same member is always in, or always out of, the holdout. */
export function inHoldout(campaignId: string, userId: string, percent: number): boolean {
  return createHash('sha256').update(`${campaignId}:${userId}`).digest().readUInt32BE(0) % 100 < percent
}

/**
 * 用户运营 (#16): campaigns reach the members of a lifecycle tier or RFM segment with a reward and
 * an in-app notice, once per member, never in quiet hours, within the per-member frequency caps,
 * never to a member who opted out, and never to the campaign's holdout, whose conversion is what
 * the reached members' conversion is measured against.
 */
export function createCampaignsService(deps: Deps) {
  const { marketing, clock, timeZone } = deps

  const quiet = (now: Date) => {
    const hour = businessHour(now, timeZone)
    const { quietFromHour: from, quietUntilHour: until } = marketing
    return from === until ? false : from < until ? hour >= from && hour < until : hour >= from || hour < until
  }

  /**
   * Takes into the campaign the members of its target it has not taken in yet, a batch at a time.
   * A lifecycle tier is counted on member numbers, less those the campaign holds already
   * (`campaignMembers`), so a run reads only the members who entered the tier since the last;
   * an RFM segment (yesterday's, so it moves once a day) is read whole once a day.
   */
  async function takeIn(c: Campaign, day: string): Promise<number> {
    let reached = 0
    const touchAll = async (users: readonly string[]) => {
      for (const user of users) if ((await touch(c, user, day)) === 'reached') reached++
    }
    if (c.target.kind === 'tier') {
      const { tiers, names } = await memberTierIndexesOn(day, deps.lifecycle)
      const wanted = names.indexOf(c.target.tier as LifecycleTier)
      let known = await campaignMembers(c._id, tiers.length)
      const entering: number[] = []
      tiers.forEach((tier, n) => {
        if (tier === wanted && !known.has(n)) entering.push(n)
      })
      for (let i = 0; i < entering.length; i += TAKE_IN_BATCH) {
        const batch = entering.slice(i, i + TAKE_IN_BATCH)
        await touchAll([...(await memberIdsOf(batch)).values()])
        known = await addCampaignMembers(c._id, known, batch)
      }
      return reached
    }
    if (c.lastRunDay === day) return 0
    const segment = c.target.segment as RfmSegment
    await touchAll((await segmented(addDays(day, -1), deps.rfm)).filter((m) => m.segment === segment).map((m) => m.userId))
    return reached
  }

  type Contact = { optOut?: boolean; days?: string[]; version: number } | null
  const recentDays = (contact: Contact, day: string) => (contact?.days ?? []).filter((d) => d > addDays(day, -30))

  /** Why a member may not be touched on `day` (opt-out, frequency caps), or null when they may. */
  function contactRefusal(contact: Contact, day: string): 'opted_out' | 'frequency' | null {
    if (contact?.optOut) return 'opted_out'
    const recent = recentDays(contact, day)
    const last = recent[recent.length - 1]
    if ((last && last > addDays(day, -marketing.minDaysBetweenTouches)) || recent.length >= marketing.maxTouchesPer30Days) return 'frequency'
    return null
  }

  /** Takes one of the member's marketing touches for `day`, or says why not. */
  async function claimContact(userId: Types.ObjectId, day: string): Promise<'ok' | 'opted_out' | 'frequency'> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const contact = await MarketingContactModel.findById(userId).lean<Contact>()
      const refusal = contactRefusal(contact, day)
      if (refusal) return refusal
      if (!contact) {
        if ((await insertOnce(MarketingContactModel, { _id: userId, days: [day], optOut: false, version: 1 })).inserted) return 'ok'
        continue
      }
      const took = await MarketingContactModel.updateOne({ _id: userId, version: contact.version }, { $set: { days: [...recentDays(contact, day), day] }, $inc: { version: 1 } })
      if (took.modifiedCount === 1) return 'ok'
    }
    return 'frequency'
  }

  /** The campaign's reward rule and its one cap, the budget (counted in coupons or points). */
  const budgetOf = (c: Campaign) => ({
    rule: `campaign:${c._id}`,
    caps: { perUserPerDay: null, perUserPerWeek: null, perUserLifetime: null, campaignBudget: c.reward.kind === 'none' ? null : (c.reward.budget ?? null) },
    amount: c.reward.kind === 'points' ? c.reward.points : 1,
  })

  /**
   * The reward and the notice of a reached member; keyed, so finishing it twice gives once. The
   * reward goes through the rewards service within the campaign's budget: a member it no longer
   * covers is skipped and told nothing; one still in another run's hands is left to it.
   */
  async function deliver(c: Campaign, t: CampaignTouch): Promise<'delivered' | 'pending' | 'over_budget'> {
    const key = `campaign:${c._id}:${t.userId}`
    const { rule, caps } = budgetOf(c)
    const outcome =
      c.reward.kind === 'coupon'
        ? await deps.rewards.grant({ rule, caps, userId: t.userId, amount: 1, key, kind: 'coupon' }, async () => {
            await deps.coupons.grant({ templateId: c.couponTemplateId!, userId: t.userId, key, source: 'campaign' })
          })
        : c.reward.kind === 'points'
          ? await deps.rewards.payPoints({ rule, caps, userId: t.userId, amount: c.reward.points, key, source: 'campaign' })
          : { paid: true as const }
    if (!outcome.paid) {
      if (outcome.reason === 'IN_PROGRESS') return 'pending'
      await CampaignTouchModel.updateOne({ _id: t._id }, { $set: { group: 'skipped', reason: 'budget' } })
      return 'over_budget'
    }
    const link = c.reward.kind === 'coupon' ? '/pages/coupons/index' : c.reward.kind === 'points' ? '/pages/points/index' : '/pages/index/index'
    await notify({ key, userId: t.userId, kind: 'campaign', title: c.notice.title, body: c.notice.body, at: clock(), link })
    await CampaignTouchModel.updateOne({ _id: t._id }, { $set: { delivered: true } })
    return 'delivered'
  }

  /**
   * Puts one target member in the campaign: reached (reward and notice), or held out. Both arms
   * are drawn from the same members, those the campaign could reach now (budget left, not opted
   * out, within the frequency caps): a holdout member is checked the same way and gets a virtual
   * reach at this moment (taking no marketing touch), so conversion is counted alike from then on.
   */
  async function touch(c: Campaign, user: string, day: string): Promise<CampaignTouch['group'] | null> {
    const userId = new Types.ObjectId(user)
    const _id = `${c._id}:${user}`
    const holdout = inHoldout(String(c._id), user, c.holdoutPercent)
    // The touch is written first: whatever happens next, this member is this campaign's once.
    const doc = { _id, campaignId: c._id, userId, group: holdout ? 'holdout' : 'reached', reason: null, day, delivered: false, at: clock() }
    if (!(await insertOnce(CampaignTouchModel, doc)).inserted) return null
    const skip = async (reason: string) => {
      await CampaignTouchModel.updateOne({ _id }, { $set: { group: 'skipped', reason } })
      return 'skipped' as const
    }
    // A spent budget is seen before the member's marketing touch is taken, so it costs them none.
    const { rule, caps, amount } = budgetOf(c)
    if (caps.campaignBudget !== null && (await deps.rewards.limitReached(rule, caps, user, amount)) !== null) return skip('budget')
    if (holdout) {
      const refusal = contactRefusal(await MarketingContactModel.findById(userId).lean<Contact>(), day)
      return refusal ? skip(refusal) : 'holdout'
    }
    const claim = await claimContact(userId, day)
    if (claim !== 'ok') return skip(claim)
    return (await deliver(c, doc as CampaignTouch)) === 'over_budget' ? 'skipped' : 'reached'
  }

  /**
   * One run of an active campaign: finishes the deliveries a crash interrupted, then reaches the
   * members of its target not yet in it (a one-off campaign once, a daily one each day).
   */
  async function run(c: Campaign, now: Date): Promise<number> {
    const day = businessDay(now, timeZone)
    for (const t of await CampaignTouchModel.find({ campaignId: c._id, group: 'reached', delivered: false, at: { $lt: new Date(now.getTime() - STALE_MS) } }).lean<CampaignTouch[]>()) await deliver(c, t)
    if (c.schedule === 'once' && c.lastRunDay) return 0
    const reached = await takeIn(c, day)
    await CampaignModel.updateOne({ _id: c._id }, { $set: { lastRunDay: day, ...(c.schedule === 'once' ? { state: 'done' } : {}) } })
    return reached
  }

  async function view(c: Campaign): Promise<CampaignView> {
    const count = (group: string) => CampaignTouchModel.countDocuments({ campaignId: c._id, group })
    const [reached, holdout, skipped] = await Promise.all([count('reached'), count('holdout'), count('skipped')])
    return {
      id: String(c._id),
      name: c.name,
      target: c.target as CampaignView['target'],
      reward: c.reward,
      notice: c.notice,
      schedule: c.schedule,
      state: c.state,
      holdoutPercent: c.holdoutPercent,
      createdAt: c.createdAt.toISOString(),
      lastRunDay: c.lastRunDay,
      counts: { reached, holdout, skipped },
    }
  }

  return {
    async create(actorId: string, input: CreateCampaign): Promise<CampaignView> {
      const _id = new Types.ObjectId()
      let couponTemplateId: string | null = null
      if (input.reward.kind === 'coupon') {
        const r = input.reward
        couponTemplateId = await deps.coupons.ensureTemplate(`campaign:${_id}`, { name: r.name, kind: 'amount', amountFen: r.amountFen, minSpendFen: r.minSpendFen, validity: { kind: 'relative', days: r.validDays }, scope: 'all' })
      }
      const c = await CampaignModel.create({ _id, ...input, couponTemplateId, holdoutPercent: marketing.holdoutPercent, state: 'active', createdBy: actorId, createdAt: clock(), lastRunDay: null })
      return view(c.toObject() as unknown as Campaign)
    },

    async list(): Promise<CampaignView[]> {
      const all = await CampaignModel.find().sort({ createdAt: -1 }).limit(100).lean<Campaign[]>()
      return Promise.all(all.map(view))
    },

    async setState(id: string, state: 'active' | 'paused'): Promise<CampaignView> {
      const c = await CampaignModel.findOneAndUpdate({ _id: id, state: { $ne: 'done' } }, { $set: { state } }, { new: true }).lean<Campaign>()
      if (!c) throw new AppError('NOT_FOUND', '活动不存在或已结束')
      return view(c)
    },

    /**
     * Job: outside quiet hours, each active campaign reaches the members of its target not yet
     * in it (a one-off campaign once, a daily one each day for those entering the target), and
     * finishes deliveries a crash interrupted. Returns the members reached.
     */
    async runDue(now: Date): Promise<number> {
      if (quiet(now)) return 0
      let reached = 0
      for (const c of await CampaignModel.find({ state: 'active' }).lean<Campaign[]>()) reached += await run(c, now)
      return reached
    },

    /** 立即执行: the job's run of one active campaign, now rather than at the next tick. */
    async runNow(id: string, now: Date): Promise<{ campaign: CampaignView; reached: number }> {
      const c = await CampaignModel.findOne({ _id: id, state: 'active' }).lean<Campaign>()
      if (!c) throw new AppError('NOT_FOUND', '活动不存在或未在进行中')
      if (quiet(now)) throw new AppError('QUIET_HOURS', `${hourText(marketing.quietFromHour)}–${hourText(marketing.quietUntilHour)} 是免打扰时段，请稍后再执行`)
      const reached = await run(c, now)
      return { campaign: await view((await CampaignModel.findById(c._id).lean<Campaign>())!), reached }
    },

    /**
     * Reached members against the holdout: who paid after their (virtual) reach, within the rules'
     * window; concluded only once both arms hold enough members whose window has passed.
     */
    async uplift(id: string): Promise<CampaignUplift> {
      if (!Types.ObjectId.isValid(id) || !(await CampaignModel.exists({ _id: id }))) throw new AppError('NOT_FOUND', '活动不存在')
      const touches = await CampaignTouchModel.find({ campaignId: new Types.ObjectId(id), group: { $in: ['reached', 'holdout'] } }, { userId: 1, group: 1, at: 1 }).lean<CampaignTouch[]>()
      const arms = touches.map((t) => ({ userId: String(t.userId), group: t.group as ArmTouch['group'], at: t.at }))
      const windowMs = marketing.upliftWindowDays * 86_400_000
      const times = arms.map((t) => t.at.getTime())
      const [first, last] = [times.reduce((a, b) => Math.min(a, b), Infinity), times.reduce((a, b) => Math.max(a, b), 0)]
      const paidAt = arms.length ? await paymentTimesOf([...new Set(arms.map((t) => t.userId))], new Date(first), new Date(last + windowMs + 1)) : new Map<string, Date[]>()
      return measureUplift({ touches: arms, paidAt, now: clock(), windowDays: marketing.upliftWindowDays, minArmMembers: marketing.minArmMembers })
    },

    /** 我的 → 设置: a member's opt-out of campaign messages and rewards. */
    /** The home page's 新人专享 banner: the newest active daily 新人礼包, as this visitor would get it. */
    async welcomeOffer(userId: string | null): Promise<WelcomeOffer> {
      const c = await CampaignModel.findOne({ state: 'active', schedule: 'daily', 'target.kind': 'tier', 'target.tier': 'new' }).sort({ createdAt: -1 }).lean<Campaign>()
      const reward = c && campaignRewardShort(c.reward)
      if (!c || !reward || c.reward.kind === 'none') return { offer: null }
      const { kind } = c.reward
      const validDays = c.reward.kind === 'coupon' ? c.reward.validDays : null
      const offer = (state: 'available' | 'coming' | 'received') => ({ offer: { kind, reward, validDays, state } })
      const { rule, caps, amount } = budgetOf(c)
      const budgetSpent = async () => caps.campaignBudget !== null && (await deps.rewards.limitReached(rule, caps, userId ?? String(c._id), amount)) !== null
      if (!userId) return (await budgetSpent()) ? { offer: null } : offer('available')
      const touch = await CampaignTouchModel.findById(`${c._id}:${userId}`).lean<CampaignTouch>()
      if (touch) return touch.group === 'reached' ? offer('received') : { offer: null }
      const stillNew = isNewcomer(businessDay(clock(), timeZone), businessDay((await getUser(userId)).createdAt, timeZone), deps.lifecycle)
      if (!stillNew || inHoldout(String(c._id), userId, c.holdoutPercent) || (await this.optOutOf(userId)).optOut || (await budgetSpent())) return { offer: null }
      return offer('coming')
    },

    async setOptOut(userId: string, optOut: boolean): Promise<{ optOut: boolean }> {
      await MarketingContactModel.updateOne({ _id: new Types.ObjectId(userId) }, { $set: { optOut }, $inc: { version: 1 } }, { upsert: true })
      return { optOut }
    },

    async optOutOf(userId: string): Promise<{ optOut: boolean }> {
      return { optOut: Boolean((await MarketingContactModel.findById(new Types.ObjectId(userId)).lean())?.optOut) }
    },
  }
}

export type CampaignsService = ReturnType<typeof createCampaignsService>
