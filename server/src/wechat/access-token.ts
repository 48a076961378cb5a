import type { WechatApiClient } from './api-client'
import { AccessTokenModel } from './access-token.model'
import { WechatError } from './wechat-error'

const REFRESH_BEFORE_MS = 5 * 60_000
/** Business API errcodes that mean "this access token is no good" (WECHAT.md, Access token). */
const TOKEN_REJECTED = new Set([40001, 42001, 40014])

/**
 * The app's access token through `stable_token`, cached in the database for all instances and
 * refreshed when less than 5 minutes remain. `withToken` runs a call and, if WeChat rejects the
 * token, refreshes once and retries once.
 */
export function createAccessTokens(api: WechatApiClient, app: { appId: string; secret: string }, clock: () => Date) {
  async function fetchStable(forceRefresh: boolean): Promise<string> {
    const body = await api.postJson<{ access_token: string; expires_in: number }>('stable_token', '/cgi-bin/stable_token', {}, {
      grant_type: 'client_credential',
      appid: app.appId,
      secret: app.secret,
      force_refresh: forceRefresh,
    })
    const expiresAt = new Date(clock().getTime() + body.expires_in * 1000)
    await AccessTokenModel.updateOne({ _id: app.appId }, { $set: { token: body.access_token, expiresAt } }, { upsert: true })
    return body.access_token
  }

  async function current(): Promise<string> {
    const cached = await AccessTokenModel.findById(app.appId).lean()
    if (cached && cached.expiresAt.getTime() - clock().getTime() > REFRESH_BEFORE_MS) return cached.token
    return fetchStable(false)
  }

  return {
    current,
    async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
      const token = await current()
      try {
        return await call(token)
      } catch (err) {
        if (!(err instanceof WechatError) || !TOKEN_REJECTED.has(err.errcode)) throw err
        let fresh = await fetchStable(false)
        // Normal mode hands back the same token until it nears expiry; WeChat said it is bad.
        if (fresh === token) fresh = await fetchStable(true)
        return call(fresh)
      }
    },
  }
}

export type AccessTokens = ReturnType<typeof createAccessTokens>
