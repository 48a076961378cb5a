import type { Job } from './scheduler'
import { purgeExpiredWindows } from '../modules/ratelimit/rate-limit.service'
import { purgeExpiredRefreshTokens } from '../modules/auth/refresh-token.service'

/** Every scheduled job of the server. Later domains add theirs here. */
export const JOBS: Job[] = [
  { name: 'purge-rate-windows', everyMs: 5 * 60_000, run: purgeExpiredWindows },
  { name: 'purge-refresh-tokens', everyMs: 60 * 60_000, run: purgeExpiredRefreshTokens },
]
