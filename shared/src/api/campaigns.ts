import { z } from 'zod'
import { formatFen } from '../money'
import { LIFECYCLE_TIERS, RFM_SEGMENTS } from './reports'

/**
 * 用户运营 (lifecycle campaigns, #16): a target (a lifecycle tier or an RFM segment), a reward (a
 * coupon template, points, or nothing), an in-app notice, and a schedule (once, or daily for
 * members entering the target). Each keeps a random holdout that receives nothing.
 */
export const CampaignTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('tier'), tier: z.enum(LIFECYCLE_TIERS) }),
  z.strictObject({ kind: z.literal('rfm'), segment: z.enum(RFM_SEGMENTS) }),
])
export const CampaignRewardSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('coupon'),
    name: z.string().trim().min(1).max(20),
    amountFen: z.number().int().min(1).max(100_000),
    minSpendFen: z.number().int().min(0).max(1_000_000),
    validDays: z.number().int().min(1).max(90),
    /** At most this many coupons in all (none: no limit). */
    budget: z.number().int().min(1).max(10_000_000).optional(),
  }),
  /** `budget`: at most this many points in all, so a campaign's cost is known before it runs. */
  z.strictObject({ kind: z.literal('points'), points: z.number().int().min(1).max(10_000), budget: z.number().int().min(1).max(100_000_000) }),
  z.strictObject({ kind: z.literal('none') }),
])
export type CampaignReward = z.infer<typeof CampaignRewardSchema>

const yuan = (fen: number) => formatFen(fen, { trimZeros: true, symbol: false })

/** What a member gets, as a shopper reads it ("满 39 减 10 券", "50 积分"); null for a message only. */
export const campaignRewardShort = (r: CampaignReward): string | null =>
  r.kind === 'coupon' ? `满 ${yuan(r.minSpendFen)} 减 ${yuan(r.amountFen)} 券` : r.kind === 'points' ? `${r.points} 积分` : null
export const CreateCampaignSchema = z.strictObject({
  name: z.string().trim().min(1, '请填写活动名称').max(30),
  target: CampaignTargetSchema,
  reward: CampaignRewardSchema,
  notice: z.strictObject({ title: z.string().trim().min(1, '请填写消息标题').max(20), body: z.string().trim().min(1, '请填写消息内容').max(60) }),
  schedule: z.enum(['once', 'daily']),
})
export type CreateCampaign = z.infer<typeof CreateCampaignSchema>

export const CAMPAIGN_STATES = ['active', 'paused', 'done'] as const
export const CampaignViewSchema = CreateCampaignSchema.extend({
  id: z.string(),
  state: z.enum(CAMPAIGN_STATES),
  holdoutPercent: z.number().int(),
  createdAt: z.string(),
  lastRunDay: z.string().nullable(),
  /** Members the campaign reached, held out, or skipped (guard rails, opt-out). */
  counts: z.object({ reached: z.number().int(), holdout: z.number().int(), skipped: z.number().int() }),
})
export type CampaignView = z.infer<typeof CampaignViewSchema>

/** How the uplift's interval is computed, named on the screen. */
export const UPLIFT_METHOD = 'Newcombe 混合 Wilson 区间（95%）'
export const UPLIFT_STATUSES = ['observing', 'insufficient', 'concluded'] as const
const ArmSchema = z.object({ members: z.number().int(), converted: z.number().int(), rate: z.number().nullable() })

/**
 * Uplift: of the members reached and of the holdout (reached virtually, at the moment the campaign
 * would have reached them), who paid within `windowDays` after that moment. Counted only over
 * members whose window has passed; `pending` are still inside theirs. A conclusion (`difference`,
 * `interval`, `verdict`) only once each arm holds `minArmMembers` such members: until then
 * `observing` (windows still open, the last ends at `observingUntil`) or `insufficient` (all passed).
 */
export const CampaignUpliftSchema = z.object({
  windowDays: z.number().int(),
  minArmMembers: z.number().int(),
  status: z.enum(UPLIFT_STATUSES),
  observingUntil: z.string().nullable(),
  method: z.string(),
  reached: ArmSchema,
  holdout: ArmSchema,
  pending: z.object({ reached: z.number().int(), holdout: z.number().int() }),
  difference: z.number().nullable(),
  interval: z.tuple([z.number(), z.number()]).nullable(),
  /** effective: the interval is above 0; harmful: below 0; inconclusive: it holds 0. */
  verdict: z.enum(['effective', 'harmful', 'inconclusive']).nullable(),
})
export type CampaignUplift = z.infer<typeof CampaignUpliftSchema>

/** Built-in campaigns from the seed reports, as starting points in the console. */
export const CAMPAIGN_TEMPLATES: Array<{ key: string; label: string; campaign: CreateCampaign }> = [
  {
    key: 'comeback',
    label: '回归礼包（沉默会员）',
    campaign: { name: '回归礼包', target: { kind: 'tier', tier: 'silent_early' }, reward: { kind: 'coupon', name: '回归礼券', amountFen: 2000, minSpendFen: 9900, validDays: 7 }, notice: { title: '好久不见，送你一张回归券', body: '满 99 减 20，7 天内有效，新鲜好物等你来挑' }, schedule: 'daily' },
  },
  {
    key: 'winback',
    label: '大额召回券（流失会员）',
    campaign: { name: '大额召回券', target: { kind: 'tier', tier: 'lost' }, reward: { kind: 'coupon', name: '召回专享券', amountFen: 3000, minSpendFen: 9900, validDays: 1 }, notice: { title: '专属召回券已到账', body: '满 99 减 30，24 小时内有效' }, schedule: 'daily' },
  },
  {
    key: 'welcome',
    label: '新人礼包（新客）',
    campaign: { name: '新人礼包', target: { kind: 'tier', tier: 'new' }, reward: { kind: 'coupon', name: '新人专享券', amountFen: 1000, minSpendFen: 3900, validDays: 7 }, notice: { title: '新人礼包已到账', body: '满 39 减 10，7 天内有效' }, schedule: 'daily' },
  },
  {
    key: 'repurchase',
    label: '复购券（首单后的潜力会员）',
    campaign: { name: '复购券', target: { kind: 'rfm', segment: 'newcomer' }, reward: { kind: 'coupon', name: '复购券', amountFen: 500, minSpendFen: 2900, validDays: 14 }, notice: { title: '感谢首单，再送你一张券', body: '满 29 减 5，14 天内有效' }, schedule: 'daily' },
  },
]

export const CampaignStateRequestSchema = z.strictObject({ state: z.enum(['active', 'paused']) })
export const MarketingOptOutSchema = z.strictObject({ optOut: z.boolean() })

/**
 * 新人专享 on the home page: what the active 新人礼包 gives, and where this visitor stands with it:
 * `available` (a visitor: sign in to get it), `coming` (a new member it has not reached yet: its
 * next run does), `received` (given). Null when there is none, or none for this member (no longer
 * new, held out, opted out, or its budget is spent), so the banner never promises what will not come.
 */
export const WelcomeOfferSchema = z.object({
  offer: z
    .object({ kind: z.enum(['coupon', 'points']), reward: z.string(), validDays: z.number().int().nullable(), state: z.enum(['available', 'coming', 'received']) })
    .nullable(),
})
export type WelcomeOffer = z.infer<typeof WelcomeOfferSchema>
