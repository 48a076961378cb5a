import type { WechatApiClient } from './api-client'
import type { AccessTokens } from './access-token'

export interface WxaCodeRequest {
  /** ≤ 32 visible characters from WECHAT.md's set; what the page receives as `scene`. */
  scene: string
  /** No leading slash, no query string. */
  page: string
  width?: number
}

/** `getwxacodeunlimit`: a mini-program code image for `scene` (WECHAT.md, Mini-program code). */
export async function getUnlimitedWxaCode(
  api: WechatApiClient,
  tokens: AccessTokens,
  req: WxaCodeRequest,
  envVersion: 'release' | 'trial' | 'develop',
): Promise<{ bytes: Buffer; contentType: string }> {
  return tokens.withToken((token) =>
    api.postForBytes('getwxacodeunlimit', '/wxa/getwxacodeunlimit', { access_token: token }, {
      scene: req.scene,
      page: req.page.replace(/^\//, ''),
      width: req.width ?? 430,
      // Unpublished pages can only be checked in release; development and trial builds skip it.
      check_path: envVersion === 'release',
      env_version: envVersion,
    }),
  )
}
