import { randomUUID } from 'node:crypto'
import type { AttributionSchema, AuthResponse, Channel, DevLoginRequest, Role, WechatLoginRequest } from '@xianlin/shared'
import type { z } from 'zod'
import { AppError } from '../../core/app-error'
import type { Logger } from '../../logger'
import { WechatError, type WechatClient } from '../../wechat'
import type { EventsService } from '../events/events.service'
import { bumpSessionVersion, findOrCreateByOpenid, getUser, toUserView, type UserDoc } from '../users/users.service'
import { recordDevice } from '../users/user-devices'
import type { Authority } from './authority'
import { RefreshTokenModel } from './refresh-token.model'
import type { TokenService } from './token.service'
import { DEMO_ACCOUNTS, devShopperOpenid } from './demo-accounts'
import type { ReferralService } from '../referral/referral.service'

type Attribution = z.infer<typeof AttributionSchema>

/**
 * The first-touch channel of a new member: a share card (carries a shareId), an invite link, a
 * poster's QR scene (`i_` invite, `l_` leader), or none of these.
 */
function channelOf(a: Attribution | undefined): Channel {
  if (a?.shareId) return 'share_card'
  if (a?.inviter) return 'invite'
  if (a?.scene?.startsWith('i_')) return 'poster'
  if (a?.scene?.startsWith('l_')) return 'leader'
  return 'organic'
}

interface Deps {
  tokens: TokenService
  authority: Authority
  wechat: WechatClient
  events: EventsService
  referral: ReferralService
  log: Logger
  clock: () => Date
}

/** What a WeChat errcode from jscode2session means for the person logging in. */
const LOGIN_ERRORS: Record<number, string> = {
  40029: '登录凭证无效，请重新进入小程序',
  40163: '登录凭证已使用，请重新登录',
  45011: '登录太频繁，请稍后再试',
  40226: '账号存在风险，暂时无法登录',
}

export function createAuthService({ tokens, authority, wechat, events, referral, log, clock }: Deps) {
  /** A fresh token pair; `familyId` ties together every refresh token rotated from one login. */
  async function issueTokens(user: UserDoc, familyId: string = randomUUID()): Promise<AuthResponse> {
    const tokenId = randomUUID()
    const now = clock()
    await RefreshTokenModel.create({
      _id: tokenId,
      userId: user._id,
      familyId,
      expiresAt: new Date(now.getTime() + tokens.refreshTtlSeconds * 1000),
    })
    const userId = user._id.toHexString()
    return {
      accessToken: tokens.signAccess({ userId, sessionVersion: user.sessionVersion ?? 0 }),
      refreshToken: tokens.signRefresh({ userId, tokenId, familyId }),
      expiresIn: tokens.accessTtlSeconds,
      user: toUserView(user),
    }
  }

  async function signIn(identity: { openid: string; unionid?: string; nickname: string; roles?: Role[] }, source: string, attribution?: Attribution, deviceId?: string) {
    const now = clock()
    const { user, created } = await findOrCreateByOpenid(identity, now)
    // Recorded before attribution: the invitation's screening counts accounts on this device.
    if (deviceId) await recordDevice(user._id, deviceId, now)
    // A visit that came through an invite is attributed at login (first touch; rules in referral).
    if (attribution) await referral.attribute({ id: user._id, createdAt: (user as unknown as { createdAt: Date }).createdAt }, attribution)
    // A sign-up's registration and login are written together (one insert).
    await events.trackMany([
      ...(created ? [{ userId: user._id, name: 'register' as const, props: { source, channel: channelOf(attribution) }, at: now }] : []),
      { userId: user._id, name: 'login' as const, props: { source }, at: now },
    ])
    return issueTokens(user)
  }

  return {
    /** WeChat login: `code` → jscode2session → user by openid → tokens. */
    async loginWithWechat(input: WechatLoginRequest): Promise<AuthResponse> {
      let session
      try {
        session = await wechat.code2Session(input.code)
      } catch (err) {
        if (err instanceof WechatError && !err.transient) {
          log.warn({ errcode: err.errcode }, 'jscode2session refused the code')
          throw new AppError('WECHAT_LOGIN_FAILED', LOGIN_ERRORS[err.errcode] ?? undefined, { errcode: err.errcode })
        }
        log.error({ err }, 'jscode2session unavailable')
        throw new AppError('WECHAT_UNAVAILABLE')
      }
      return signIn({ openid: session.openid, unionid: session.unionid, nickname: '微信用户' }, 'wechat', input.attribution, input.deviceId)
    },

    /**
     * Development login (H5 demo, tests). A role signs in as that role's demo account (the seeded
     * staff member for `staff`); otherwise the nickname names a shopper account.
     */
    async devLogin(input: DevLoginRequest): Promise<AuthResponse> {
      if (input.role && input.role !== 'shopper') {
        const account = DEMO_ACCOUNTS[input.role]
        return signIn({ openid: account.openid, nickname: account.nickname, roles: account.roles }, 'dev', input.attribution, input.deviceId)
      }
      const nickname = input.nickname ?? '体验用户'
      return signIn({ openid: devShopperOpenid(nickname), nickname }, 'dev', input.attribution, input.deviceId)
    },

    /** Ends every session of the member (account deletion): refresh tokens revoked, access tokens outdated. */
    async endAllSessions(userId: string): Promise<void> {
      await RefreshTokenModel.updateMany({ userId, revokedAt: null }, { $set: { revokedAt: clock() } })
      authority.forget(userId)
    },

    /**
     * Refresh-token rotation. Each refresh token works once: the guarded update marks it used,
     * so of two concurrent uses exactly one wins. Presenting a used or revoked token revokes the
     * whole family.
     */
    async refresh(refreshToken: string): Promise<AuthResponse> {
      const claims = tokens.verifyRefresh(refreshToken)
      const now = clock()
      const taken = await RefreshTokenModel.findOneAndUpdate(
        { _id: claims.tokenId, usedAt: null, revokedAt: null, expiresAt: { $gt: now } },
        { $set: { usedAt: now } },
      )
      if (!taken) {
        await RefreshTokenModel.updateMany({ familyId: claims.familyId, revokedAt: null }, { $set: { revokedAt: now } })
        // The family's access tokens end too: they carry the session version this raises.
        await bumpSessionVersion(claims.userId)
        authority.forget(claims.userId)
        log.warn({ familyId: claims.familyId, userId: claims.userId }, 'refresh token reused; family revoked')
        throw new AppError('REFRESH_TOKEN_REUSED')
      }
      const user = await getUser(String(taken.userId))
      return issueTokens(user, taken.familyId)
    },
  }
}

export type AuthService = ReturnType<typeof createAuthService>
