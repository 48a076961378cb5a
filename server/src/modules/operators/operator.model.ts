import { Schema, model, type Types } from 'mongoose'
import { OPERATOR_ROLES, type OperatorRole } from '@xianlin/shared'

/** A person who runs the shop in the console: signs in with a username and password. */
export interface Operator {
  _id: Types.ObjectId
  /** Lower case, unique. */
  username: string
  displayName: string
  role: OperatorRole
  /** `scrypt$N$r$p$salt$hash` (see passwords.ts). */
  passwordHash: string
  /** A one-time password was issued (account created or reset): it must be changed first. */
  mustChangePassword: boolean
  /** Failed sign-ins since the last success or lock. */
  failedSignIns: number
  lockedUntil: Date | null
  disabled: boolean
  createdAt: Date
  updatedAt: Date
}

const OperatorSchema = new Schema<Operator>(
  {
    username: { type: String, required: true, unique: true },
    displayName: { type: String, required: true },
    role: { type: String, enum: OPERATOR_ROLES, required: true },
    passwordHash: { type: String, required: true },
    mustChangePassword: { type: Boolean, required: true },
    failedSignIns: { type: Number, default: 0 },
    lockedUntil: { type: Date, default: null },
    disabled: { type: Boolean, default: false },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
)
export const OperatorModel = model<Operator>('Operator', OperatorSchema, 'operators')

/**
 * A signed-in console session. `_id` is the SHA-256 of the cookie's token, so a database read
 * never yields a usable session; it ends at `expiresAt` (expired ones are deleted at the
 * operator's next sign-in: the embedded database has no TTL indexes), on sign-out, or when its
 * operator changes password, is disabled or signs out everywhere.
 */
export interface OperatorSession {
  _id: string
  operatorId: Types.ObjectId
  csrfToken: string
  ip: string
  createdAt: Date
  expiresAt: Date
}

const OperatorSessionSchema = new Schema<OperatorSession>(
  {
    _id: { type: String, required: true },
    operatorId: { type: Schema.Types.ObjectId, required: true, index: true },
    csrfToken: { type: String, required: true },
    ip: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
)
export const OperatorSessionModel = model<OperatorSession>('OperatorSession', OperatorSessionSchema, 'operator_sessions')

/** Failed sign-ins from one IP in one window (`<ip>:<window start>`), for the per-IP lockout. */
const SignInFailureSchema = new Schema({ _id: { type: String, required: true }, count: { type: Number, required: true }, expiresAt: { type: Date, required: true } }, { versionKey: false })
export const SignInFailureModel = model('OperatorSignInFailure', SignInFailureSchema, 'operator_sign_in_failures')
