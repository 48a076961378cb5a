import type { WechatApiClient } from './api-client'

export interface WechatSession {
  openid: string
  unionid?: string
  /** Kept on the server only; never sent to the client. */
  sessionKey: string
}

/**
 * `code2Session`: exchanges the one-time code from `wx.login` for the user's openid
 * (WECHAT.md, Login). Throws `WechatError` with WeChat's errcode (40029 invalid code, 40163 used).
 */
export async function code2Session(
  api: WechatApiClient,
  app: { appId: string; secret: string },
  code: string,
): Promise<WechatSession> {
  const body = await api.getJson<{ openid?: string; unionid?: string; session_key?: string }>('jscode2session', '/sns/jscode2session', {
    appid: app.appId,
    secret: app.secret,
    js_code: code,
    grant_type: 'authorization_code',
  })
  if (!body.openid || !body.session_key) throw new Error('jscode2session answered without openid')
  return { openid: body.openid, unionid: body.unionid, sessionKey: body.session_key }
}
