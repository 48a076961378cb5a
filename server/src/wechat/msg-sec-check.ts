import type { WechatApiClient } from './api-client'
import type { AccessTokens } from './access-token'

export interface SecCheckResult {
  /** `pass` publishes, `review` waits for an operator, `risky` is refused. */
  suggest: 'pass' | 'review' | 'risky'
  /** WeChat's label: 100 normal, 10001 ads, 20001 politics, 20002 porn, 20003 abuse, ... */
  label: number
}

/**
 * `msgSecCheck` v2 (WECHAT.md, Content security): risky content comes back with errcode 0, so
 * the caller gates on `suggest`. Scene 2 is a comment. Throws `WechatError` on errors
 * (61010: the user has not used the mini-program recently).
 */
export async function msgSecCheck(api: WechatApiClient, tokens: AccessTokens, input: { openid: string; content: string; scene?: 1 | 2 | 3 | 4 }): Promise<SecCheckResult> {
  const body = await tokens.withToken((token) =>
    api.postJson<{ result?: { suggest?: string; label?: number | string } }>('msg_sec_check', '/wxa/msg_sec_check', { access_token: token }, {
      version: 2,
      openid: input.openid,
      scene: input.scene ?? 2,
      content: Array.from(input.content).slice(0, 2500).join(''),
    }),
  )
  const suggest = body.result?.suggest
  return { suggest: suggest === 'pass' || suggest === 'risky' ? suggest : 'review', label: Number(body.result?.label ?? 21000) }
}
