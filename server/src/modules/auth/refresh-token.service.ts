import { RefreshTokenModel } from './refresh-token.model'

/** Removes refresh tokens past their expiry (a job rather than a TTL index, which the embedded database lacks). */
export async function purgeExpiredRefreshTokens(now: Date): Promise<number> {
  const res = await RefreshTokenModel.deleteMany({ expiresAt: { $lt: now } })
  return res.deletedCount
}
