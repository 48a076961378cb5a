import type { WechatApiClient } from './api-client'
import type { AccessTokens } from './access-token'

/** Value limits by key type (WECHAT.md, Subscribe messages): we truncate, never fail a send. */
const LIMITS: Record<string, number> = { thing: 20, number: 32, letter: 32, symbol: 5, character_string: 32, phone_number: 17, car_number: 8, name: 10, phrase: 5 }

/** Truncates each value to what its key type allows (`thing1` → 20 characters, ...). */
export function fitSubscribeData(data: Record<string, string>): Record<string, { value: string }> {
  const out: Record<string, { value: string }> = {}
  for (const [key, value] of Object.entries(data)) {
    const limit = LIMITS[key.replace(/\d+$/, '')]
    const chars = Array.from(value)
    out[key] = { value: limit && chars.length > limit ? `${chars.slice(0, limit - 1).join('')}…` : value }
  }
  return out
}

export interface SubscribeMessage {
  touser: string
  templateId: string
  page?: string
  data: Record<string, string>
}

/** `subscribeMessage.send`. Throws `WechatError` (43101: the user withdrew consent). */
export async function sendSubscribeMessage(api: WechatApiClient, tokens: AccessTokens, msg: SubscribeMessage, state: 'developer' | 'trial' | 'formal') {
  await tokens.withToken((token) =>
    api.postJson('subscribe_send', '/cgi-bin/message/subscribe/send', { access_token: token }, {
      touser: msg.touser,
      template_id: msg.templateId,
      page: msg.page,
      data: fitSubscribeData(msg.data),
      miniprogram_state: state,
      lang: 'zh_CN',
    }),
  )
}
