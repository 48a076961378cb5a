import { AfterSaleQuoteSchema, AfterSaleViewSchema, ArrivalViewSchema, ChainViewSchema, PickListSchema, ShortageViewSchema, StockListSchema } from './fulfilment'
import { z } from 'zod'
import { AuthResponseSchema, MeResponseSchema, UserViewSchema } from './auth'
import { CheckinMonthSchema, CheckinResultSchema } from './checkin'
import { AdminCouponTemplatePageSchema, AdminCouponTemplateSchema, CouponBatchGrantedSchema, CouponClaimViewSchema, CouponViewSchema, SegmentGrantPreviewSchema } from './coupons'
import { ActivityViewSchema, CheckoutResponseSchema, GroupViewSchema, OrderViewSchema, QuoteResponseSchema } from './groupbuy'
import { HealthResponseSchema, ReadyResponseSchema } from './health'
import { LeaderApplicationViewSchema, LeaderCentreSchema, LeaderLinkViewSchema, MyLeaderViewSchema, PickupPointSchema, AdminLeaderApplicationSchema, AdminWithdrawalSchema } from './leaders'
import { AdminMallItemPageSchema, MallItemViewSchema, StaffCodePreviewSchema, StaffRedemptionViewSchema, VoucherViewSchema } from './mall'
import { BirthdayViewSchema, MembershipViewSchema } from './membership'
import { LedgerEntryViewSchema, LedgerResponseSchema, PointsSummarySchema } from './points'
import { AssistViewSchema, BIND_REFUSALS, InvitationReviewSchema, InvitationViewSchema, InviteSummarySchema } from './referral'
import { PhoneViewSchema } from './phone'
import { NoticeListSchema } from './notices'
import { AdminReviewSchema, MyReviewSchema, ProductReviewsSchema } from './reviews'
import { AdminProductPageSchema, AdminProductSchema, PhotoViewSchema } from './catalog'
import { AdminSessionCalendarSchema, CartMergeResultSchema, CartViewSchema, CategoryListSchema, ProductDetailSchema, ProductListResponseSchema, SessionGlanceSchema } from './shop'
import { AdminStoreSchema, StaffInvitationSchema, StoreListResponseSchema, StoreViewSchema } from './stores'
import { CampaignUpliftSchema, CampaignViewSchema, WelcomeOfferSchema } from './campaigns'
import { OverviewSchema, GrowthTrendSchema, RetentionReportSchema, FunnelReportSchema, LifecycleReportSchema, CheckinReportSchema, GroupbuyReportSchema, InvitationReportSchema, RfmReportSchema, RfmMembersSchema, PointsLiabilitySchema, PointsLiabilityRefreshSchema, LeaderReportSchema } from './reports'
import { MemberListSchema, MemberProfileSchema } from './members'
import { AdminActivityPageSchema, AdminGroupPageSchema, AdminOrderPageSchema } from './admin-orders'
import { PublicRulesSchema, RulesHistorySchema, RulesViewSchema } from '../rules/rules.schema'
import { AuditPageSchema, CreatedOperatorSchema, OperatorListSchema, OperatorSessionSchema, OperatorViewSchema } from './operators'

/**
 * The reply of every JSON route, by name: the server's `endpoint()` declares one of these and
 * checks its handler's reply against it in development and tests; the mini-program's client takes
 * its reply types from the same schemas (`Reply<'…'>`). A route that answers nothing declares
 * `'empty'`, one that answers bytes `'binary'` (see server/src/http/endpoint.ts).
 */
const RewardOutcomeSchema = z.union([z.object({ paid: z.literal(true), points: z.number().int() }), z.object({ paid: z.literal(false), reason: z.string() })])
const WithdrawalSchema = z.object({ id: z.string(), amountFen: z.number().int(), state: z.string() })

export const Replies = {
  auth: AuthResponseSchema,
  operatorSession: OperatorSessionSchema,
  operator: z.object({ operator: OperatorViewSchema }),
  operators: OperatorListSchema,
  createdOperator: CreatedOperatorSchema,
  auditPage: AuditPageSchema,
  overview: OverviewSchema,
  members: MemberListSchema,
  memberProfile: MemberProfileSchema,
  rules: RulesViewSchema,
  publicRules: z.object({ rules: PublicRulesSchema }),
  productDetail: z.object({ product: ProductDetailSchema, activity: ActivityViewSchema.nullable() }),
  rulesHistory: RulesHistorySchema,
  adminLeaderApplications: z.object({ applications: z.array(AdminLeaderApplicationSchema) }),
  adminWithdrawals: z.object({ withdrawals: z.array(AdminWithdrawalSchema) }),
  me: MeResponseSchema,
  health: HealthResponseSchema,
  /** The OpenAPI 3.1 document of every route (`/api/docs`). */
  apiDocs: z.looseObject({ openapi: z.literal('3.1.0'), info: z.object({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.record(z.string(), z.unknown())) }),
  ready: ReadyResponseSchema,
  products: ProductListResponseSchema,
  categories: CategoryListSchema,
  cart: z.object({ cart: CartViewSchema }),
  cartMerged: CartMergeResultSchema,
  sessionCalendar: AdminSessionCalendarSchema,
  sessionGlance: SessionGlanceSchema,
  adminProducts: AdminProductPageSchema,
  adminMallItems: AdminMallItemPageSchema,
  adminCouponTemplates: AdminCouponTemplatePageSchema,
  adminCouponTemplate: z.object({ template: AdminCouponTemplateSchema }),
  couponBatchGranted: CouponBatchGrantedSchema,
  segmentGrantPreview: SegmentGrantPreviewSchema,
  couponClaim: z.object({ claim: CouponClaimViewSchema }),
  segmentGranted: z.object({ granted: z.number().int(), replayed: z.number().int() }),
  adminStores: z.object({ stores: z.array(AdminStoreSchema) }),
  adminStore: z.object({ store: AdminStoreSchema }),
  staffInvitation: z.object({ invitation: StaffInvitationSchema }),
  adminOrders: AdminOrderPageSchema,
  adminActivities: AdminActivityPageSchema,
  adminGroups: AdminGroupPageSchema,
  adminProduct: z.object({ product: AdminProductSchema }),
  photo: z.object({ photo: PhotoViewSchema }),
  stores: StoreListResponseSchema,
  store: z.object({ store: StoreViewSchema }),
  staffAssigned: z.object({ user: UserViewSchema }),
  checkin: z.object({ checkin: CheckinResultSchema }),
  checkinMonth: CheckinMonthSchema,
  reminder: z.object({ reminder: z.boolean() }),
  pointsSummary: PointsSummarySchema,
  ledger: LedgerResponseSchema,
  pointsAdjusted: z.object({ entry: LedgerEntryViewSchema, replayed: z.boolean() }),
  negativeBalances: z.object({ users: z.array(z.object({ userId: z.string(), nickname: z.string().nullable(), flaggedAt: z.string(), balanceThen: z.number().int(), balanceNow: z.number().int() })) }),
  membership: MembershipViewSchema,
  coupons: z.object({ coupons: z.array(CouponViewSchema) }),
  couponGranted: z.object({ coupon: CouponViewSchema, replayed: z.boolean() }),
  couponTemplate: z.object({ template: z.object({ id: z.string(), name: z.string() }) }),
  mallItems: z.object({ items: z.array(MallItemViewSchema) }),
  mallItem: z.object({ item: MallItemViewSchema }),
  vouchers: z.object({ vouchers: z.array(VoucherViewSchema) }),
  voucher: z.object({ voucher: VoucherViewSchema }),
  staffRedemption: z.object({ redemption: StaffRedemptionViewSchema }),
  staffRedemptions: z.object({ redemptions: z.array(StaffRedemptionViewSchema) }),
  staffCode: z.object({ preview: StaffCodePreviewSchema }),
  activities: z.object({ activities: z.array(ActivityViewSchema) }),
  activity: z.object({ activity: ActivityViewSchema }),
  group: z.object({ group: GroupViewSchema }),
  quote: QuoteResponseSchema,
  checkout: CheckoutResponseSchema,
  orders: z.object({ orders: z.array(OrderViewSchema) }),
  order: z.object({ order: OrderViewSchema }),
  afterSale: z.object({ afterSale: AfterSaleViewSchema }),
  afterSales: z.object({ afterSales: z.array(AfterSaleViewSchema) }),
  afterSaleQuote: z.object({ quote: AfterSaleQuoteSchema }),
  shortage: z.object({ shortage: ShortageViewSchema }),
  shortages: z.object({ shortages: z.array(ShortageViewSchema) }),
  chain: z.object({ chain: ChainViewSchema }),
  stockList: z.object({ stockList: StockListSchema }),
  pickList: z.object({ pickList: PickListSchema }),
  arrival: z.object({ arrival: ArrivalViewSchema }),
  refundIssues: z.object({ refunds: z.array(z.object({ orderId: z.string(), refundStatus: z.string(), attempts: z.number().int(), amountFen: z.number().int() })) }),
  paymentAnomalies: z.object({
    anomalies: z.array(
      z.object({
        id: z.string(),
        orderId: z.string(),
        transactionId: z.string().nullable(),
        mismatches: z.array(z.object({ field: z.string(), expected: z.string(), received: z.string() })),
        action: z.enum(['refund_requested', 'held']),
        amountFen: z.number().int().nullable(),
        at: z.string(),
      }),
    ),
  }),
  invites: InviteSummarySchema,
  invitationReviews: z.object({ reviews: z.array(InvitationReviewSchema) }),
  phone: PhoneViewSchema,
  birthday: BirthdayViewSchema,
  notices: NoticeListSchema,
  growthTrend: GrowthTrendSchema,
  retention: RetentionReportSchema,
  funnel: FunnelReportSchema,
  lifecycle: LifecycleReportSchema,
  checkinReport: CheckinReportSchema,
  groupbuyReport: GroupbuyReportSchema,
  invitationReport: InvitationReportSchema,
  rfm: RfmReportSchema,
  rfmMembers: RfmMembersSchema,
  pointsLiability: PointsLiabilitySchema,
  pointsLiabilityRefresh: PointsLiabilityRefreshSchema,
  leaderReport: LeaderReportSchema,
  campaigns: z.object({ campaigns: z.array(CampaignViewSchema) }),
  campaign: z.object({ campaign: CampaignViewSchema }),
  campaignRun: z.object({ campaign: CampaignViewSchema, reached: z.number().int() }),
  campaignUplift: CampaignUpliftSchema,
  welcomeOffer: WelcomeOfferSchema,
  marketingOptOut: z.object({ optOut: z.boolean() }),
  noticesUnread: z.object({ unread: z.number().int() }),
  noticeConsents: z.object({ consents: z.number().int() }),
  myReview: z.object({ review: MyReviewSchema.nullable() }),
  productReviews: ProductReviewsSchema,
  adminReviews: z.object({ reviews: z.array(AdminReviewSchema) }),
  invitation: z.object({ invitation: InvitationViewSchema }),
  authMethods: z.object({ wechat: z.boolean(), demo: z.boolean() }),
  leaderLink: z.object({ point: LeaderLinkViewSchema }),
  inviteBound: z.union([z.object({ bound: z.literal(true), inviterId: z.string() }), z.object({ bound: z.literal(false), reason: z.enum(BIND_REFUSALS) })]),
  share: z.object({ shareId: z.string(), path: z.string() }),
  shareOpened: z.object({ counted: z.boolean(), reward: RewardOutcomeSchema.nullable() }),
  assist: z.object({ assist: AssistViewSchema }),
  leaderApplication: z.object({ application: LeaderApplicationViewSchema }),
  myLeaderApplication: z.object({ application: LeaderApplicationViewSchema.nullable(), leader: z.boolean() }),
  leaderApplications: z.object({ applications: z.array(LeaderApplicationViewSchema) }),
  myLeader: z.object({ leader: MyLeaderViewSchema }),
  myLeaderWithHistory: z.object({ leader: MyLeaderViewSchema, history: z.array(z.object({ from: z.string().nullable(), to: z.string(), at: z.string() })) }),
  leaderCentre: z.object({ centre: LeaderCentreSchema }),
  pickupPoint: z.object({ point: PickupPointSchema }),
  withdrawal: z.object({ withdrawal: WithdrawalSchema.extend({ availableFen: z.number().int() }) }),
  withdrawalApproved: z.object({ withdrawal: WithdrawalSchema }),
} as const

export type ReplyName = keyof typeof Replies
export type Reply<K extends ReplyName> = z.infer<(typeof Replies)[K]>
