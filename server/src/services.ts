import type { AppConfig } from './config'
import type { Logger } from './logger'
import { createWechatClient, type WechatClient } from './wechat'
import { createTokenService, type TokenService } from './modules/auth/token.service'
import { createAuthService, type AuthService } from './modules/auth/auth.service'
import { createAuthority, type Authority } from './modules/auth/authority'
import { createStaffInvitations, type StaffInvitations } from './modules/stores/staff-invitations.service'
import { createEventsService, type EventsService } from './modules/events/events.service'
import { createPointsService, type PointsService } from './modules/points/points.service'
import { createMembershipService, type MembershipService } from './modules/membership/membership.service'
import { createCheckinService, type CheckinService } from './modules/checkin/checkin.service'
import { createCouponsService, type CouponsService } from './modules/coupons/coupons.service'
import { createRewardsService, type RewardsService } from './modules/rewards/rewards.service'
import { createMallService, type MallService } from './modules/mall/mall.service'
import { createStaffDeskService, type StaffDeskService } from './modules/mall/staff-desk.service'
import { createReferralService, type ReferralService } from './modules/referral/referral.service'
import { createPhoneService, type PhoneService } from './modules/phone/phone.service'
import { createAccountDeletion } from './flows/account-deletion.flow'
import { createReviewsService, type ReviewsService } from './modules/reviews/reviews.service'
import { createPerksService, type PerksService } from './modules/perks/perks.service'
import { createNotificationsService, type NotificationsService } from './modules/notifications/notifications.service'
import { createPhoneCrypto } from './modules/phone/phone-crypto'
import { createRewardIdentities } from './modules/referral/reward-identities'
import { devicesOf } from './modules/users/user-devices'
import { getUser } from './modules/users/users.service'
import { createSharesService, type SharesService } from './modules/referral/shares.service'
import { createAssistsService, type AssistsService } from './modules/referral/assists.service'
import { createGroupBuyService, type GroupBuyService } from './modules/groupbuy/groupbuy.service'
import { createOrderFlows, type OrdersService } from './flows'
import { createLeadersService, type LeadersService } from './modules/leaders/leaders.service'
import { createOperatorsService, type OperatorsService } from './modules/operators/operators.service'
import { createReportsService, type ReportsService } from './modules/reports/reports.service'
import { createCampaignsService, type CampaignsService } from './modules/campaigns/campaigns.service'
import { createRulesService, type RulesService } from './modules/rules/rules.service'
import { createLiveRules, liveView } from './modules/rules/live-rules'
import { createPosterCodes } from './modules/posters/poster-codes'
import { createPayClient, PayError, type PayClient } from './wechat/pay/pay-client'
import { createSessionsService, type SessionsService } from './modules/sessions/sessions.service'
import { createSessionCalendar, type SessionCalendar } from './modules/sessions/session-calendar'
import { createShopService, type ShopService } from './modules/catalog/shop.service'
import { createBasketLines } from './modules/cart/basket-lines'
import { createCartService, type CartService } from './modules/cart/cart.service'

/** The services that need configuration or collaborators, wired once per app. */
export interface Services {
  config: AppConfig
  log: Logger
  clock: () => Date
  tokens: TokenService
  authority: Authority
  wechat: WechatClient
  events: EventsService
  auth: AuthService
  points: PointsService
  rewards: RewardsService
  membership: MembershipService
  checkin: CheckinService
  coupons: CouponsService
  mall: MallService
  staffDesk: StaffDeskService
  referral: ReferralService
  phone: PhoneService
  reviews: ReviewsService
  perks: PerksService
  notifications: NotificationsService
  /** 注销账号 (flows/account-deletion.flow.ts). */
  deleteAccount: (userId: string) => Promise<void>
  shares: SharesService
  assists: AssistsService
  groupbuy: GroupBuyService
  sessions: SessionsService
  sessionCalendar: SessionCalendar
  shop: ShopService
  cart: CartService
  orders: OrdersService
  leaders: LeadersService
  operators: OperatorsService
  reports: ReportsService
  campaigns: CampaignsService
  rules: RulesService
  staffInvitations: StaffInvitations
  pay: PayClient
}

export interface ServiceOverrides {
  clock?: () => Date
  wechat?: WechatClient
  /** Tests: a step at which to simulate a crash (throw) or a stopped process (a promise that never settles). */
  crashAt?: (step: string) => void | Promise<void>
  /** Development and tests: the fake Pay server's "shopper pays in the wallet". */
  devPayer?: (prepayId: string) => Promise<number>
  /** The demo history: services on a simulated clock still sign Pay requests with the real one. */
  pay?: PayClient
}

/** Without Pay settings every payment call fails clearly (checkout answers PAYMENT_UNAVAILABLE). */
function payNotConfigured(): PayClient {
  const fail = () => {
    throw new PayError(0, 'NOT_CONFIGURED', 'WeChat Pay is not configured')
  }
  return { merchant: { mchid: '', appId: '' }, prepay: fail, requestPayment: fail, query: fail, close: fail, refund: fail, parseNotification: fail } as unknown as PayClient
}

export function createServices(config: AppConfig, log: Logger, overrides: ServiceOverrides = {}): Services {
  const clock = overrides.clock ?? (() => new Date())
  // Services read the rules through a live view: a version an operator saves reaches them on the
  // next request (see modules/rules). Pass objects from it, never numbers copied out of it.
  const live = createLiveRules(config.rules)
  const liveRules = liveView(live.current)
  const tokens = createTokenService(config.jwt)
  const wechat = overrides.wechat ?? createWechatClient(config.wechat, clock)
  const events = createEventsService({ timeZone: config.rules.business.timeZone, lifecycle: liveRules.lifecycle, log })
  const points = createPointsService({ rules: liveRules.points, timeZone: config.rules.business.timeZone, clock })
  const membership = createMembershipService({ levels: liveRules.levels, events, clock })
  // Vouchers and coupons are issued by services created below; recovery asks them only when a job runs.
  const rewards = createRewardsService({ points, timeZone: config.rules.business.timeZone, clock, paidElsewhere: { voucher: (key) => mall.giftVoucherIssued(key), coupon: (key) => coupons.issued(key) } })
  const checkin = createCheckinService({
    rules: liveRules.checkin,
    growth: liveRules.growth,
    timeZone: config.rules.business.timeZone,
    points,
    rewards,
    membership,
    events,
    clock,
    wechat,
    reminderTemplateId: config.wechat.templates.checkinReminder,
    log,
    crashAt: overrides.crashAt,
  })
  const coupons = createCouponsService({ events, clock })
  const mall = createMallService({
    rules: liveRules.mall,
    levels: liveRules.levels.tiers,
    points,
    coupons,
    membership,
    events,
    clock,
    crashAt: overrides.crashAt,
  })
  const staffDesk = createStaffDeskService({ timeZone: config.rules.business.timeZone, clock })
  const posters = createPosterCodes({ wechat, clock })
  // Phone numbers are sealed alike wherever they are kept: members' and leader applicants'.
  const phoneCrypto = createPhoneCrypto(config.phone)
  const identities = createRewardIdentities({
    // A member's number, WeChat ids and devices, each as a keyed hash (never the value).
    identitiesOf: async (userId) => {
      const user = await getUser(userId.toHexString()).catch(() => null)
      const phoneHash = await phone.hashOf(userId)
      return [
        ...(phoneHash ? [{ kind: 'phone' as const, hash: phoneHash }] : []),
        ...(user && !user.openid.startsWith('deleted:') ? [{ kind: 'openid' as const, hash: phoneCrypto.hash(`openid:${user.openid}`) }] : []),
        ...(user?.unionid ? [{ kind: 'unionid' as const, hash: phoneCrypto.hash(`unionid:${user.unionid}`) }] : []),
        ...(await devicesOf(userId)).map((d) => ({ kind: 'device' as const, hash: phoneCrypto.hash(`device:${d}`) })),
      ]
    },
    clock,
  })
  const referral = createReferralService({ rules: liveRules.referral, orders: liveRules.orders, rewards, coupons, events, posters, phoneTwins: (id) => phone.othersWithSameNumber(id), hasPhone: (id) => phone.isBound(id), identities, clock })
  const phone = createPhoneService({
    crypto: phoneCrypto,
    wechat,
    events,
    allowTyped: config.devLogin,
    onFirstBound: (userId) => referral.phoneBound(userId),
    clock,
  })
  const shares = createSharesService({ rules: liveRules.share, referral, rewards, events, clock })
  const assists = createAssistsService({ rules: liveRules.assist, mall, rewards, timeZone: config.rules.business.timeZone, clock })
  // Leader status is read through the leaders service, created below; the authority asks it per request.
  const authority = createAuthority({ tokens, leaderActive: (userId) => leaders.isActive(userId), cacheMs: config.authorityCacheMs })
  const auth = createAuthService({ tokens, authority, wechat, events, referral, log, clock })
  const groupbuy = createGroupBuyService({ rules: liveRules.groupbuy, perks: liveRules.perks, levels: liveRules.levels, timeZone: config.rules.business.timeZone, clock })
  const pay = overrides.pay ?? (config.pay ? createPayClient(config.pay, clock) : payNotConfigured())
  const leaders = createLeadersService({ rules: liveRules.leaders, posters, phoneCrypto, clock })
  const timeZone = config.rules.business.timeZone
  const sessions = createSessionsService({ rules: liveRules.shop, timeZone, clock })
  const shop = createShopService({ sessions, membership, rules: liveRules })
  const basket = createBasketLines({ sessions, timeZone, clock })
  const cart = createCartService({ lines: basket, sessions, shop, rules: liveRules, events, clock })
  const orders = createOrderFlows({
    sessions,
    basket,
    cart,
    rules: liveRules,
    groupbuy,
    coupons,
    points,
    membership,
    referral,
    leaders,
    events,
    pay,
    wechat,
    groupTemplateId: config.wechat.templates.groupResult,
    log,
    clock,
    crashAt: overrides.crashAt,
    devPayer: overrides.devPayer,
  })
  const reviews = createReviewsService({
    rules: liveRules.reviews,
    earn: { points: liveRules.points, growth: liveRules.growth },
    points,
    membership,
    wechat,
    orderOf: (userId, orderId) => orders.get(userId, orderId),
    log,
    clock,
  })
  const notifications = createNotificationsService({ wechat, templateId: config.wechat.templates.notice, log, clock })
  const perks = createPerksService({ perks: liveRules.perks, levels: liveRules.levels, timeZone: config.rules.business.timeZone, coupons, membership, clock })
  const deleteAccount = createAccountDeletion({ hasOpenOrders: orders.hasOpenOrders, phone, checkin, leaders, auth, clock })
  const campaigns = createCampaignsService({ marketing: liveRules.marketing, lifecycle: liveRules.lifecycle, rfm: liveRules.rfm, coupons, rewards, timeZone: config.rules.business.timeZone, clock })
  return { config, log, clock, campaigns, tokens, authority, wechat, events, auth, deleteAccount, points, rewards, membership, checkin, coupons, mall, staffDesk, referral, phone, reviews, perks, notifications, shares, assists, groupbuy, sessions, sessionCalendar: createSessionCalendar({ sessions, timeZone, clock }), shop, cart, orders, leaders, operators: createOperatorsService({ clock, timeZone: config.rules.business.timeZone }), reports: createReportsService({ clock, timeZone: config.rules.business.timeZone, lifecycle: liveRules.lifecycle, rfm: liveRules.rfm, points: liveRules.points, leaderPerformance: (from, to) => leaders.performance(from, to), log }), rules: createRulesService({ live, clock }), staffInvitations: createStaffInvitations({ clock, forget: authority.forget }), pay }
}
