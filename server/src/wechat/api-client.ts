import { request } from 'undici'
import { UNREACHABLE, WechatError } from './wechat-error'

/**
 * Calls api.weixin.qq.com (or a fake at the configured base URL). WeChat reports errors as HTTP
 * 200 with `{ errcode, errmsg }`; we match on `errcode` only and parse JSON whatever the
 * Content-Type says (WECHAT.md, common rules).
 */
export function createWechatApiClient(opts: { apiBase: string; timeoutMs?: number }) {
  const timeout = opts.timeoutMs ?? 5000

  /** One HTTP call; any failure to get an answer becomes `WechatError(UNREACHABLE)`. */
  async function call(api: string, method: 'GET' | 'POST', path: string, query: Record<string, string>, payload?: unknown) {
    const url = new URL(path, opts.apiBase)
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v)
    try {
      const res = await request(url, {
        method,
        ...(payload === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) }),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      })
      return { contentType: String(res.headers['content-type'] ?? ''), bytes: Buffer.from(await res.body.arrayBuffer()) }
    } catch (err) {
      throw new WechatError(UNREACHABLE, (err as Error).message, api)
    }
  }

  function parse<T>(api: string, text: string): T {
    let body: T & { errcode?: number; errmsg?: string }
    try {
      body = JSON.parse(text)
    } catch {
      throw new WechatError(UNREACHABLE, 'reply is not JSON', api)
    }
    if (body.errcode) throw new WechatError(body.errcode, body.errmsg ?? '', api)
    return body
  }

  return {
    async getJson<T extends object>(api: string, path: string, query: Record<string, string>): Promise<T> {
      return parse<T>(api, (await call(api, 'GET', path, query)).bytes.toString('utf8'))
    },

    /** POSTs JSON and parses the JSON reply (errors arrive as HTTP 200 with an errcode). */
    async postJson<T extends object>(api: string, path: string, query: Record<string, string>, payload: unknown): Promise<T> {
      return parse<T>(api, (await call(api, 'POST', path, query, payload)).bytes.toString('utf8'))
    },

    /**
     * POSTs JSON to an API that answers with raw bytes on success and a JSON error otherwise
     * (getwxacodeunlimit): branches on the Content-Type (WECHAT.md).
     */
    async postForBytes(api: string, path: string, query: Record<string, string>, payload: unknown): Promise<{ bytes: Buffer; contentType: string }> {
      const reply = await call(api, 'POST', path, query, payload)
      if (reply.contentType.startsWith('image/')) return reply
      parse(api, reply.bytes.toString('utf8'))
      throw new WechatError(UNREACHABLE, `unexpected reply of type ${reply.contentType || 'unknown'}`, api)
    },
  }
}

export type WechatApiClient = ReturnType<typeof createWechatApiClient>
