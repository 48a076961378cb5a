import { createWechatApiClient } from './api-client'
import { code2Session, type WechatSession } from './login'
import { createAccessTokens } from './access-token'
import { sendSubscribeMessage, type SubscribeMessage } from './subscribe-message'
import { getUnlimitedWxaCode, type WxaCodeRequest } from './wxacode'
import { getPhoneNumber, type WechatPhone } from './phone-number'
import { msgSecCheck, type SecCheckResult } from './msg-sec-check'

export { WechatError } from './wechat-error'
export type { WechatSession } from './login'
export type { SubscribeMessage } from './subscribe-message'
export type { WechatPhone } from './phone-number'
export type { SecCheckResult } from './msg-sec-check'

/** The WeChat services the server calls, behind one small interface (tests point it at fakes). */
export interface WechatClient {
  code2Session(code: string): Promise<WechatSession>
  sendSubscribeMessage(msg: SubscribeMessage): Promise<void>
  getUnlimitedWxaCode(req: WxaCodeRequest): Promise<{ bytes: Buffer; contentType: string }>
  getPhoneNumber(code: string, openid?: string): Promise<WechatPhone>
  msgSecCheck(input: { openid: string; content: string; scene?: 1 | 2 | 3 | 4 }): Promise<SecCheckResult>
}

const ENV_VERSIONS = { developer: 'develop', trial: 'trial', formal: 'release' } as const

export function createWechatClient(
  opts: { apiBase: string; appId: string; secret: string; miniprogramState: 'developer' | 'trial' | 'formal' },
  clock: () => Date = () => new Date(),
): WechatClient {
  const api = createWechatApiClient({ apiBase: opts.apiBase })
  const tokens = createAccessTokens(api, opts, clock)
  return {
    code2Session: (code) => code2Session(api, opts, code),
    sendSubscribeMessage: (msg) => sendSubscribeMessage(api, tokens, msg, opts.miniprogramState),
    getUnlimitedWxaCode: (req) => getUnlimitedWxaCode(api, tokens, req, ENV_VERSIONS[opts.miniprogramState]),
    getPhoneNumber: (code, openid) => getPhoneNumber(api, tokens, opts.appId, code, openid),
    msgSecCheck: (input) => msgSecCheck(api, tokens, input),
  }
}
