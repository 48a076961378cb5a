import type { WechatApiClient } from './api-client'
import type { AccessTokens } from './access-token'
import { UNREACHABLE, WechatError } from './wechat-error'

export interface WechatPhone {
  /** Without the country code, as shown to the member: '13812341234'. */
  purePhoneNumber: string
  countryCode: string
}

/**
 * `getuserphonenumber` (WECHAT.md, Phone number): exchanges the one-time code from the
 * `getPhoneNumber` button for the member's number. The code is single-use and valid 5 minutes;
 * a reply whose watermark names another app is refused. Throws `WechatError` (40029 invalid code,
 * 45011 too frequent, 40013 invalid appid, -1 busy).
 */
export async function getPhoneNumber(api: WechatApiClient, tokens: AccessTokens, appId: string, code: string, openid?: string): Promise<WechatPhone> {
  const body = await tokens.withToken((token) =>
    api.postJson<{ phone_info?: { purePhoneNumber?: string; countryCode?: string | number; watermark?: { appid?: string } } }>(
      'getuserphonenumber',
      '/wxa/business/getuserphonenumber',
      { access_token: token },
      { code, ...(openid ? { openid } : {}) },
    ),
  )
  const info = body.phone_info
  if (!info?.purePhoneNumber) throw new WechatError(UNREACHABLE, 'reply without phone_info', 'getuserphonenumber')
  if (info.watermark?.appid !== appId) throw new WechatError(40013, `watermark names another app (${info.watermark?.appid ?? 'none'})`, 'getuserphonenumber')
  return { purePhoneNumber: info.purePhoneNumber, countryCode: String(info.countryCode ?? '86') }
}
