import { createWechatApiClient } from './api-client'
import { code2Session, type WechatSession } from './login'

export { WechatError } from './wechat-error'
export type { WechatSession } from './login'

/** The WeChat services the server calls, behind one small interface (tests point it at fakes). */
export interface WechatClient {
  code2Session(code: string): Promise<WechatSession>
}

export function createWechatClient(opts: { apiBase: string; appId: string; secret: string }): WechatClient {
  const api = createWechatApiClient({ apiBase: opts.apiBase })
  return {
    code2Session: (code) => code2Session(api, opts, code),
  }
}
