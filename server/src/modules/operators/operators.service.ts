import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { Types } from 'mongoose'
import { permissionsOf, type CreateOperatorRequest, type OperatorRole, type OperatorSession as SessionView, type OperatorView, type UpdateOperatorRequest } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import type { OperatorActor } from '../../core/actor'
import { isDuplicateKeyError } from '../../db/errors'
import { recordAudit } from '../audit/audit.service'
import { OperatorModel, OperatorSessionModel, SignInFailureModel, type Operator } from './operator.model'
import { passwordWeakness } from './password-strength'
import { releaseLease, tryTakeLease } from '../../core/lease'
import { DECOY_HASH, hashPassword, oneTimePassword, verifyPassword } from './passwords'

/** Lockout and session lengths (issue #13: repeated failures lock the account and the IP for a while). */
export const OPERATOR_POLICY = {
  failuresBeforeLock: 10,
  lockMs: 15 * 60_000,
  ipFailuresPerWindow: 30,
  ipWindowMs: 15 * 60_000,
  sessionMs: 12 * 60 * 60_000,
}

interface Deps {
  clock: () => Date
  /** The business time zone, which the console shows dates in. */
  timeZone: string
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url')

export function toOperatorView(o: Operator, now: Date): OperatorView {
  return {
    id: o._id.toHexString(),
    username: o.username,
    displayName: o.displayName,
    role: o.role,
    mustChangePassword: o.mustChangePassword,
    disabled: o.disabled,
    lockedUntil: o.lockedUntil && o.lockedUntil > now ? o.lockedUntil.toISOString() : null,
    createdAt: o.createdAt.toISOString(),
  }
}

/**
 * Operator accounts and console sessions: creation with a one-time password, sign-in with
 * per-account and per-IP lockout, sign-out (here or everywhere), password change. Every change is
 * audited with who did it.
 */
/** The lease every change that may remove an admin holds (see underAdminRoster). */
const ADMIN_ROSTER = 'operators:admin-roster'

export function createOperatorsService({ clock, timeZone }: Deps) {
  const audit = (by: { id: string; username: string } | null, action: string, target: Operator | { _id: Types.ObjectId; username: string }, outcome: string, details: Record<string, unknown> = {}) =>
    recordAudit({ actorId: null, operator: by, action, targetType: 'operator', targetId: target._id.toHexString(), outcome, details: { username: target.username, ...details }, at: clock() })

  async function startSession(o: Operator, ip: string): Promise<{ token: string; session: SessionView }> {
    const token = randomBytes(32).toString('base64url')
    const csrfToken = randomBytes(24).toString('base64url')
    // Sessions last in real time, like the shoppers' access tokens (the injected clock moves
    // business time in tests and must not sign operators out).
    const now = new Date()
    await OperatorSessionModel.deleteMany({ operatorId: o._id, expiresAt: { $lte: now } })
    await OperatorSessionModel.create({ _id: sha256(token), operatorId: o._id, csrfToken, ip, createdAt: now, expiresAt: new Date(now.getTime() + OPERATOR_POLICY.sessionMs) })
    return { token, session: { operator: toOperatorView(o, clock()), permissions: [...permissionsOf(o.role)], csrfToken, timeZone } }
  }

  /** The start of the current per-IP counting window. */
  const ipWindowStart = () => Math.floor(clock().getTime() / OPERATOR_POLICY.ipWindowMs) * OPERATOR_POLICY.ipWindowMs

  /** Counts a failure from `ip`; true once the IP is over its limit for this window. */
  async function failFromIp(ip: string): Promise<boolean> {
    const windowStart = ipWindowStart()
    const doc = await SignInFailureModel.findOneAndUpdate(
      { _id: `${ip}:${windowStart}` },
      { $inc: { count: 1 }, $setOnInsert: { expiresAt: new Date(windowStart + 2 * OPERATOR_POLICY.ipWindowMs) } },
      { upsert: true, new: true },
    ).lean<{ count: number }>()
    return (doc?.count ?? 0) >= OPERATOR_POLICY.ipFailuresPerWindow
  }

  async function ipLocked(ip: string): Promise<boolean> {
    const doc = await SignInFailureModel.findById(`${ip}:${ipWindowStart()}`).lean<{ count: number }>()
    return (doc?.count ?? 0) >= OPERATOR_POLICY.ipFailuresPerWindow
  }

  async function adminsLeft(except: Types.ObjectId): Promise<number> {
    return OperatorModel.countDocuments({ role: 'admin', disabled: false, _id: { $ne: except } })
  }

  /**
   * Runs a change that may remove an admin while holding the admin roster's lease (on any
   * instance), so two such changes never count the same admins: of two admins demoting themselves
   * at once, one goes first and the other then finds it would be the last. A lease a crashed
   * holder left lapses after a few seconds. Real time, not the service clock: leases span instances.
   */
  async function underAdminRoster<T>(change: () => Promise<T>): Promise<T> {
    const owner = randomBytes(8).toString('hex')
    for (let attempt = 0; attempt < 200; attempt++) {
      if (await tryTakeLease(ADMIN_ROSTER, owner, 10_000, new Date())) {
        try {
          return await change()
        } finally {
          await releaseLease(ADMIN_ROSTER, owner, new Date())
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20))
    }
    throw new AppError('BUSY')
  }

  return {
    /** A new operator with a one-time password (shown once; it must be changed at first sign-in). */
    async create(input: CreateOperatorRequest, by: { id: string; username: string } | null): Promise<{ operator: OperatorView; oneTimePassword: string }> {
      const password = oneTimePassword()
      const now = clock()
      try {
        const created = await OperatorModel.create({
          username: input.username,
          displayName: input.displayName ?? input.username,
          role: input.role,
          passwordHash: await hashPassword(password),
          mustChangePassword: true,
          createdAt: now,
          updatedAt: now,
        })
        await audit(by, 'operator.create', created, 'ok', { role: input.role })
        return { operator: toOperatorView(created.toObject(), now), oneTimePassword: password }
      } catch (err) {
        if (isDuplicateKeyError(err)) throw new AppError('USERNAME_TAKEN')
        throw err
      }
    },

    /**
     * Development only: the demo operator with a known password, so the console can be tried at
     * once. Production never calls this (main.ts); an existing account is left as it is.
     */
    async ensureDemo(username: string, password: string): Promise<void> {
      if (await OperatorModel.exists({ username })) return
      const now = clock()
      try {
        await OperatorModel.create({ username, displayName: '演示管理员', role: 'admin', passwordHash: await hashPassword(password), mustChangePassword: false, createdAt: now, updatedAt: now })
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err
      }
    },

    /** Signs in; a wrong password counts toward locking the account and the IP. */
    async signIn(usernameText: string, password: string, ip: string): Promise<{ token: string; session: SessionView }> {
      if (await ipLocked(ip)) throw new AppError('RATE_LIMITED', '登录失败次数过多，请稍后再试')
      const username = usernameText.trim().toLowerCase()
      const found = await OperatorModel.findOne({ username }).lean<Operator>()
      const now = clock()
      // Verify even for an unknown name or a locked account, so timing tells nothing.
      const matches = await verifyPassword(password, found?.passwordHash ?? DECOY_HASH)
      // A locked account answers as an unknown one does: the reply never tells a guesser it exists.
      const locked = Boolean(found?.lockedUntil && found.lockedUntil > now)
      if (!found || !matches || found.disabled || locked) {
        const ipNowLocked = await failFromIp(ip)
        if (found && !matches && !locked) {
          const after = await OperatorModel.findOneAndUpdate({ _id: found._id }, { $inc: { failedSignIns: 1 } }, { new: true }).lean<Operator>()
          if (after && after.failedSignIns >= OPERATOR_POLICY.failuresBeforeLock) {
            const until = new Date(now.getTime() + OPERATOR_POLICY.lockMs)
            const locked = await OperatorModel.findOneAndUpdate(
              { _id: found._id, failedSignIns: { $gte: OPERATOR_POLICY.failuresBeforeLock } },
              { $set: { lockedUntil: until, failedSignIns: 0 } },
            ).lean()
            if (locked) await audit(null, 'operator.lock', found, 'locked', { until: until.toISOString(), ip, failures: OPERATOR_POLICY.failuresBeforeLock })
          }
        }
        if (ipNowLocked) await recordAudit({ actorId: null, operator: null, action: 'operator.ip_lock', targetType: 'ip', targetId: ip, outcome: 'locked', details: {}, at: now })
        throw new AppError('SIGN_IN_FAILED')
      }
      if (found.failedSignIns > 0 || found.lockedUntil) await OperatorModel.updateOne({ _id: found._id }, { $set: { failedSignIns: 0, lockedUntil: null } })
      await audit({ id: found._id.toHexString(), username: found.username }, 'operator.sign_in', found, 'ok', { ip })
      return startSession(found, ip)
    },

    /** The operator behind a session cookie, with the permissions of their role now. */
    async actorFrom(token: string): Promise<OperatorActor & { csrfToken: string }> {
      const session = await OperatorSessionModel.findById(sha256(token)).lean()
      if (!session || session.expiresAt <= new Date()) throw new AppError('SESSION_REVOKED')
      const o = await OperatorModel.findById(session.operatorId).lean<Operator>()
      if (!o || o.disabled) throw new AppError('SESSION_REVOKED')
      return {
        operatorId: o._id.toHexString(),
        username: o.username,
        role: o.role,
        permissions: permissionsOf(o.role),
        sessionId: session._id,
        mustChangePassword: o.mustChangePassword,
        csrfToken: session.csrfToken,
      }
    },

    csrfMatches(expected: string, given: string | undefined): boolean {
      if (!given) return false
      const a = Buffer.from(expected)
      const b = Buffer.from(given)
      return a.length === b.length && timingSafeEqual(a, b)
    },

    async view(actor: OperatorActor, csrfToken: string): Promise<SessionView> {
      const o = await OperatorModel.findById(actor.operatorId).lean<Operator>()
      if (!o) throw new AppError('SESSION_REVOKED')
      return { operator: toOperatorView(o, clock()), permissions: [...permissionsOf(o.role)], csrfToken, timeZone }
    },

    async signOut(actor: OperatorActor): Promise<void> {
      await OperatorSessionModel.deleteOne({ _id: actor.sessionId })
    },

    async signOutEverywhere(actor: OperatorActor): Promise<void> {
      await OperatorSessionModel.deleteMany({ operatorId: new Types.ObjectId(actor.operatorId) })
      await audit({ id: actor.operatorId, username: actor.username }, 'operator.sign_out_everywhere', { _id: new Types.ObjectId(actor.operatorId), username: actor.username }, 'ok')
    },

    /** Changes the password and ends every other session of this operator. */
    async changePassword(actor: OperatorActor, current: string, next: string): Promise<void> {
      const o = await OperatorModel.findById(actor.operatorId).lean<Operator>()
      if (!o) throw new AppError('SESSION_REVOKED')
      if (!(await verifyPassword(current, o.passwordHash))) throw new AppError('PASSWORD_INCORRECT', undefined, [{ path: 'body.currentPassword', message: '当前密码不正确' }])
      if (current === next) throw new AppError('PASSWORD_UNCHANGED', undefined, [{ path: 'body.newPassword', message: '新密码不能与当前密码相同' }])
      const weak = passwordWeakness(next, [o.username, o.displayName])
      if (weak) throw new AppError('PASSWORD_TOO_WEAK', undefined, [{ path: 'body.newPassword', message: weak }])
      await OperatorModel.updateOne({ _id: o._id }, { $set: { passwordHash: await hashPassword(next), mustChangePassword: false, updatedAt: clock() } })
      await OperatorSessionModel.deleteMany({ operatorId: o._id, _id: { $ne: actor.sessionId } })
      await audit({ id: actor.operatorId, username: actor.username }, 'operator.change_password', o, 'ok', { otherSessionsEnded: true })
    },

    async list(): Promise<OperatorView[]> {
      const now = clock()
      return (await OperatorModel.find({}).sort({ createdAt: 1 }).limit(500).lean<Operator[]>()).map((o) => toOperatorView(o, now))
    },

    /** Changes a role or disables an account (its sessions end); the last admin cannot be removed. */
    async update(id: string, input: UpdateOperatorRequest, by: OperatorActor): Promise<OperatorView> {
      const _id = new Types.ObjectId(id)
      const removesAdmin = (o: Operator) => o.role === 'admin' && !o.disabled && ((input.role && input.role !== 'admin') || input.disabled === true)
      const set: Partial<Operator> = { updatedAt: clock(), ...(input.role ? { role: input.role as OperatorRole } : {}), ...(input.disabled !== undefined ? { disabled: input.disabled } : {}) }
      const apply = async () => {
        const before = await OperatorModel.findById(_id).lean<Operator>()
        if (!before) throw new AppError('NOT_FOUND', '运营账号不存在')
        if (removesAdmin(before) && (await adminsLeft(_id)) === 0) throw new AppError('LAST_ADMIN')
        return { before, after: await OperatorModel.findOneAndUpdate({ _id }, { $set: set }, { new: true }).lean<Operator>() }
      }
      const current = await OperatorModel.findById(_id).lean<Operator>()
      if (!current) throw new AppError('NOT_FOUND', '运营账号不存在')
      // Only a change that can take an admin away waits for the roster; the decision is made again under it.
      const { before, after } = removesAdmin(current) ? await underAdminRoster(apply) : await apply()
      if (input.disabled) await OperatorSessionModel.deleteMany({ operatorId: _id })
      await audit({ id: by.operatorId, username: by.username }, 'operator.update', before, 'ok', {
        before: { role: before.role, disabled: before.disabled },
        after: { role: after!.role, disabled: after!.disabled },
      })
      return toOperatorView(after!, clock())
    },

    /** A new one-time password for an operator who forgot theirs; their sessions end. */
    async resetPassword(id: string, by: OperatorActor): Promise<{ operator: OperatorView; oneTimePassword: string }> {
      const _id = new Types.ObjectId(id)
      const password = oneTimePassword()
      const after = await OperatorModel.findOneAndUpdate(
        { _id },
        { $set: { passwordHash: await hashPassword(password), mustChangePassword: true, failedSignIns: 0, lockedUntil: null, updatedAt: clock() } },
        { new: true },
      ).lean<Operator>()
      if (!after) throw new AppError('NOT_FOUND', '运营账号不存在')
      await OperatorSessionModel.deleteMany({ operatorId: _id })
      await audit({ id: by.operatorId, username: by.username }, 'operator.reset_password', after, 'ok')
      return { operator: toOperatorView(after, clock()), oneTimePassword: password }
    },
  }
}

export type OperatorsService = ReturnType<typeof createOperatorsService>
