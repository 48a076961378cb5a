import { RefreshTokenModel } from './refresh-token.model'

/** Removes refresh tokens past their expiry (no TTL indexes on FerretDB, so a job does it). */
export async function purgeExpiredRefreshTokens(now: Date): Promise<number> {
  const res = await RefreshTokenModel.deleteMany({ expiresAt: { $lt: now } })
  return res.deletedCount
}
