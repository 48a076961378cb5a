import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'

/**
 * A fake api.weixin.qq.com on 127.0.0.1 following WECHAT.md: errors are HTTP 200 with
 * `{ errcode, errmsg }` (errmsg with a varying suffix), and replies are `text/plain` as WeChat
 * often sends them. Login codes are single-use.
 */
export interface FakeWechat {
  baseUrl: string
  appId: string
  secret: string
  /** A login code that jscode2session will exchange once for this openid. */
  issueCode(openid: string, opts?: { unionid?: string }): string
  /** The next jscode2session call answers this errcode, whatever the code. */
  failNext(errcode: number): void
  calls: Array<{ path: string; query: Record<string, string> }>
  close(): Promise<void>
}

export async function startFakeWechat(opts: { appId?: string; secret?: string } = {}): Promise<FakeWechat> {
  const appId = opts.appId ?? 'wxfake0000000001'
  const secret = opts.secret ?? 'fake-app-secret'
  const codes = new Map<string, { openid: string; unionid?: string; used: boolean }>()
  const failures: number[] = []
  const calls: FakeWechat['calls'] = []

  const reply = (res: http.ServerResponse, body: object) => {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end(JSON.stringify(body))
  }
  const error = (res: http.ServerResponse, errcode: number, errmsg: string) =>
    reply(res, { errcode, errmsg: `${errmsg} rid: ${randomBytes(4).toString('hex')}` })

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    const query = Object.fromEntries(url.searchParams)
    calls.push({ path: url.pathname, query })
    if (url.pathname !== '/sns/jscode2session') return error(res, 40066, 'invalid url')
    if (query.appid !== appId) return error(res, 40013, 'invalid appid')
    if (query.secret !== secret) return error(res, 40125, 'invalid appsecret')
    if (query.grant_type !== 'authorization_code') return error(res, 40002, 'invalid grant_type')
    const failure = failures.shift()
    if (failure !== undefined) return error(res, failure, 'forced failure')
    const entry = codes.get(query.js_code ?? '')
    if (!entry) return error(res, 40029, 'invalid code')
    if (entry.used) return error(res, 40163, 'code been used')
    entry.used = true
    reply(res, { openid: entry.openid, session_key: randomBytes(16).toString('base64'), ...(entry.unionid ? { unionid: entry.unionid } : {}) })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    appId,
    secret,
    calls,
    issueCode(openid, o = {}) {
      const code = randomBytes(12).toString('hex')
      codes.set(code, { openid, unionid: o.unionid, used: false })
      return code
    },
    failNext: (errcode) => void failures.push(errcode),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
