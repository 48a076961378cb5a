import { Schema, model, type Types } from 'mongoose'
import { bulkUpdate } from '../../db/bulk-update'
import { insertOnce } from '../../core/insert-once'

/** What identifies a person to the invitation rewards: a phone number, WeChat's ids, a device. */
export type IdentityKind = 'phone' | 'openid' | 'unionid' | 'device'
/** An identity as kept: its kind and a keyed hash of its value (never the value). */
export interface Identity {
  kind: IdentityKind
  hash: string
}

/**
 * Identities that earned (or were counted for) an invitation reward, kept as keyed hashes only:
 * `<kind>:<hash>:invitee` names the one invitee it was rewarded for (a unique claim: whoever
 * inserts it first), and `<kind>:<hash>:inviter:<userId>` marks an inviter's own. They outlive
 * unbinding, number changes and account deletion, on purpose: they are how a number, a WeChat
 * account or a device earns an invitation reward once (anti-fraud, a legitimate interest; the
 * README's privacy note says so). Nothing else about the person is kept with them.
 */
const RewardIdentitySchema = new Schema(
  { _id: { type: String, required: true }, userId: { type: Schema.Types.ObjectId, required: true }, at: { type: Date, required: true } },
  { versionKey: false },
)
export const RewardIdentityModel = model('RewardIdentity', RewardIdentitySchema, 'reward_identities')

const REASON = { phone: 'SAME_PHONE', openid: 'SAME_OPENID', unionid: 'SAME_UNIONID', device: 'SAME_DEVICE' } as const
export type ReusedIdentity = (typeof REASON)[IdentityKind]

const inviteeKey = (i: Identity) => `${i.kind}:${i.hash}:invitee`
const inviterKey = (i: Identity, inviterId: Types.ObjectId) => `${i.kind}:${i.hash}:inviter:${inviterId}`

export function createRewardIdentities(deps: { identitiesOf: (userId: Types.ObjectId) => Promise<Identity[]>; clock: () => Date }) {
  const { identitiesOf, clock } = deps

  return {
    /** Marks the inviter's own identities (at binding, and again before a reward, for ones added since). */
    async markInviter(inviterId: Types.ObjectId): Promise<void> {
      const mine = await identitiesOf(inviterId)
      await bulkUpdate(
        RewardIdentityModel,
        mine.map((i) => ({ updateOne: { filter: { _id: inviterKey(i, inviterId) }, update: { $setOnInsert: { userId: inviterId, at: clock() } }, upsert: true } })),
      )
    },

    /**
     * Before an invitation reward: the invitee's identities must be no one else's rewarded ones
     * and none of the inviter's. Claims them for this invitee (the first claim of an identity
     * wins, so two accounts racing with one number cannot both be paid) and answers null, or
     * the reason the reward is refused.
     */
    async claim(inviteeId: Types.ObjectId, inviterId: Types.ObjectId): Promise<ReusedIdentity | null> {
      await this.markInviter(inviterId)
      const mine = await identitiesOf(inviteeId)
      const inviters = await RewardIdentityModel.find({ _id: { $in: mine.map((i) => inviterKey(i, inviterId)) } }, { _id: 1 }).lean()
      const shared = mine.find((i) => inviters.some((m) => m._id === inviterKey(i, inviterId)))
      if (shared) return REASON[shared.kind]
      for (const i of mine) {
        const { inserted, existing } = await insertOnce<{ userId: Types.ObjectId }>(RewardIdentityModel, { _id: inviteeKey(i), userId: inviteeId, at: clock() }, () => RewardIdentityModel.findById(inviteeKey(i)).lean())
        if (!inserted && existing && !existing.userId.equals(inviteeId)) return REASON[i.kind]
      }
      return null
    },
  }
}

export type RewardIdentities = ReturnType<typeof createRewardIdentities>
