import { createSecretKey } from 'node:crypto'
import jwt from 'jsonwebtoken'
import { z } from 'zod'
import { AppError } from '../../core/app-error'

const ISSUER = 'xianlin'
const AccessClaims = z.object({ sub: z.string(), sv: z.number().int().min(0) })
const RefreshClaims = z.object({ sub: z.string(), jti: z.string(), fam: z.string() })

export interface RefreshClaims {
  userId: string
  tokenId: string
  familyId: string
}

/** What an access token says: who, and the session version it was issued under. Roles and stores are read fresh. */
export interface AccessClaims {
  userId: string
  sessionVersion: number
}

export interface TokenService {
  signAccess(claims: AccessClaims): string
  verifyAccess(token: string): AccessClaims
  signRefresh(claims: RefreshClaims): string
  verifyRefresh(token: string): RefreshClaims
  accessTtlSeconds: number
  refreshTtlSeconds: number
}

/**
 * Signs and checks our JWTs (HS256). Access and refresh tokens have different audiences, so one
 * can never stand in for the other.
 */
export function createTokenService(opts: { secret: string; accessTtlSeconds: number; refreshTtlSeconds: number }): TokenService {
  // A key object, made once: given the string, jsonwebtoken first tries to parse it as a PEM key
  // on every call and builds a secret key after that fails (a tenth of a request's CPU).
  const key = createSecretKey(Buffer.from(opts.secret))
  const verify = (token: string, audience: string) => {
    try {
      return jwt.verify(token, key, { algorithms: ['HS256'], issuer: ISSUER, audience })
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError) throw new AppError('TOKEN_EXPIRED')
      throw new AppError('TOKEN_INVALID')
    }
  }
  const claims = <T>(schema: z.ZodType<T>, payload: unknown): T => {
    const parsed = schema.safeParse(payload)
    if (!parsed.success) throw new AppError('TOKEN_INVALID')
    return parsed.data
  }
  return {
    accessTtlSeconds: opts.accessTtlSeconds,
    refreshTtlSeconds: opts.refreshTtlSeconds,
    signAccess: ({ userId, sessionVersion }) =>
      jwt.sign({ sv: sessionVersion }, key, {
        algorithm: 'HS256',
        issuer: ISSUER,
        audience: 'access',
        subject: userId,
        expiresIn: opts.accessTtlSeconds,
      }),
    verifyAccess: (token) => {
      const c = claims(AccessClaims, verify(token, 'access'))
      return { userId: c.sub, sessionVersion: c.sv }
    },
    signRefresh: ({ userId, tokenId, familyId }) =>
      jwt.sign({ fam: familyId }, key, {
        algorithm: 'HS256',
        issuer: ISSUER,
        audience: 'refresh',
        subject: userId,
        jwtid: tokenId,
        expiresIn: opts.refreshTtlSeconds,
      }),
    verifyRefresh: (token) => {
      const c = claims(RefreshClaims, verify(token, 'refresh'))
      return { userId: c.sub, tokenId: c.jti, familyId: c.fam }
    },
  }
}
