import { Schema, model, type Types } from 'mongoose'
import type { CampaignReward } from '@xianlin/shared'

/** A lifecycle campaign (用户运营): what it targets, gives and says, and when. */
const CampaignSchema = new Schema(
  {
    name: { type: String, required: true },
    target: { type: Schema.Types.Mixed, required: true },
    reward: { type: Schema.Types.Mixed, required: true },
    /** The coupon template a coupon reward is issued from (made once per campaign). */
    couponTemplateId: { type: String, default: null },
    notice: { title: { type: String, required: true }, body: { type: String, required: true } },
    schedule: { type: String, enum: ['once', 'daily'], required: true },
    holdoutPercent: { type: Number, required: true },
    state: { type: String, enum: ['active', 'paused', 'done'], required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastRunDay: { type: String, default: null },
  },
  { versionKey: false },
)
export const CampaignModel = model('Campaign', CampaignSchema, 'campaigns')
export type Campaign = {
  _id: Types.ObjectId
  name: string
  target: { kind: 'tier'; tier: string } | { kind: 'rfm'; segment: string }
  reward: CampaignReward
  couponTemplateId: string | null
  notice: { title: string; body: string }
  schedule: 'once' | 'daily'
  holdoutPercent: number
  state: 'active' | 'paused' | 'done'
  createdBy: string
  createdAt: Date
  lastRunDay: string | null
}

/**
 * One member in one campaign, written once (`_id` = campaign:member) before anything is given,
 * so a campaign run twice, or on two instances, reaches each member once. `delivered` turns
 * true once the reward and notice went out (a crash in between is finished by the next run).
 */
const CampaignTouchSchema = new Schema(
  {
    _id: { type: String, required: true },
    campaignId: { type: Schema.Types.ObjectId, required: true, index: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    group: { type: String, enum: ['reached', 'holdout', 'skipped'], required: true },
    reason: { type: String, default: null },
    day: { type: String, required: true },
    delivered: { type: Boolean, default: false },
    at: { type: Date, required: true },
  },
  { versionKey: false },
)
export const CampaignTouchModel = model('CampaignTouch', CampaignTouchSchema, 'campaign_touches')
export type CampaignTouch = { _id: string; campaignId: Types.ObjectId; userId: Types.ObjectId; group: 'reached' | 'holdout' | 'skipped'; reason: string | null; day: string; delivered: boolean; at: Date }

/**
 * A member's marketing contact record (`_id` = member): the days they were touched in the last
 * 30 (for the frequency caps) and their opt-out. Changed by compare-and-set on `version`, so two
 * campaigns on two instances never both take the same member's last allowed touch.
 */
const MarketingContactSchema = new Schema(
  { _id: { type: Schema.Types.ObjectId, required: true }, days: { type: [String], default: [] }, optOut: { type: Boolean, default: false }, version: { type: Number, default: 0 } },
  { versionKey: false },
)
export const MarketingContactModel = model('MarketingContact', MarketingContactSchema, 'marketing_contacts')
