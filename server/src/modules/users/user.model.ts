import { Schema, model, type InferSchemaType, type HydratedDocumentFromSchema } from 'mongoose'
import { ROLES } from '@xianlin/shared'

const UserSchema = new Schema(
  {
    /** WeChat's per-app user id; development logins use `dev:...`. */
    openid: { type: String, required: true, unique: true },
    unionid: { type: String, default: null, index: true },
    nickname: { type: String, required: true },
    avatarUrl: { type: String, default: null },
    roles: { type: [{ type: String, enum: ROLES }], default: ['shopper'] },
    /** The stores a staff member works at; staff act only within these. */
    storeIds: { type: [Schema.Types.ObjectId], default: [] },
    /** A manager may read their stores' whole redemption history; a clerk only their own. */
    staffPosition: { type: String, enum: ['clerk', 'manager', null], default: null },
    phoneMasked: { type: String, default: null },
    /** Raised when a session family is revoked: access tokens carry it and older ones stop working. */
    sessionVersion: { type: Number, default: 0 },
    lastLoginAt: { type: Date, default: null },
    /** The member's number in the console's member list (member-directory.ts); null until listed. */
    memberSeq: { type: Number, default: null },
    /** Copies that spare the member's next request its reads (account-hints.ts); a new account has no points entries yet. */
    pointsHead: { type: Schema.Types.Mixed, default: () => ({ seq: 0, entry: null }) },
    lastCheckin: { type: Schema.Types.Mixed, default: undefined },
    /** When a make-up last made the check-in copy wrong: check-ins made before then no longer raise it. */
    checkinCopyForgottenAt: { type: Date, default: undefined },
    /** Set when the member deleted their account (注销): the document is anonymous from then on. */
    deletedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
)
// The console finds members by the start of their nickname, and counts new ones by day.
UserSchema.index({ nickname: 1 })
UserSchema.index({ createdAt: -1 })
// The listing batch finds members not numbered yet.
UserSchema.index({ memberSeq: 1 })
// 会员 filtered by points held (the ledger head's copy).
UserSchema.index({ 'pointsHead.entry.available': -1 })

export type User = InferSchemaType<typeof UserSchema>
export type UserDoc = HydratedDocumentFromSchema<typeof UserSchema>
export const UserModel = model('User', UserSchema, 'users')
