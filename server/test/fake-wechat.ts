import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'

/**
 * A fake api.weixin.qq.com on 127.0.0.1 following WECHAT.md: errors are HTTP 200 with
 * `{ errcode, errmsg }` (errmsg with a varying suffix), and replies are `text/plain` as WeChat
 * often sends them. Login codes are single-use; access tokens expire on demand; subscribe
 * messages are checked for their value limits and recorded.
 */
export interface FakeWechat {
  baseUrl: string
  appId: string
  secret: string
  /** A login code that jscode2session will exchange once for this openid. */
  issueCode(openid: string, opts?: { unionid?: string }): string
  /** The next jscode2session call answers this errcode, whatever the code. */
  failNext(errcode: number): void
  /** A `getPhoneNumber` button code for this number: single-use, valid 5 minutes. */
  issuePhoneCode(purePhoneNumber: string, opts?: { watermarkAppId?: string }): string
  /** The next getuserphonenumber call answers this errcode, whatever the code. */
  failNextPhone(errcode: number): void
  /** Content containing `word` gets this verdict from msg_sec_check (label 20003 unless pass). */
  judge(word: string, suggest: 'risky' | 'review'): void
  /** The next msg_sec_check call answers this errcode. */
  failNextSecCheck(errcode: number): void
  /** Every access token issued so far stops working (business APIs answer 42001). */
  expireTokens(): void
  /** This user has withdrawn consent: sends to them answer 43101. */
  refuseSubscription(openid: string): void
  tokenRequests: number
  /** How many mini-program code images were generated. */
  wxaCodeRequests: number
  sentMessages: Array<{ touser: string; template_id: string; page?: string; data: Record<string, { value: string }>; miniprogram_state?: string }>
  calls: Array<{ path: string; query: Record<string, string>; body?: unknown }>
  close(): Promise<void>
}

/** A 1×1 PNG standing in for the code image (clients only pass the bytes through). */
const FAKE_IMAGE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

const VALUE_LIMITS: Record<string, number> = { thing: 20, number: 32, letter: 32, symbol: 5, character_string: 32, phone_number: 17, car_number: 8, name: 10, phrase: 5 }

export async function startFakeWechat(opts: { appId?: string; secret?: string } = {}): Promise<FakeWechat> {
  const appId = opts.appId ?? 'wxfake0000000001'
  const secret = opts.secret ?? 'fake-app-secret'
  const codes = new Map<string, { openid: string; unionid?: string; used: boolean }>()
  const failures: number[] = []
  const phoneCodes = new Map<string, { phone: string; watermarkAppId: string; issuedAt: number; used: boolean }>()
  const phoneFailures: number[] = []
  const verdicts = new Map<string, 'risky' | 'review'>()
  const secFailures: number[] = []
  const validTokens = new Set<string>()
  let stableToken: string | null = null
  const refused = new Set<string>()
  const fake = { tokenRequests: 0, wxaCodeRequests: 0, sentMessages: [] as FakeWechat['sentMessages'], calls: [] as FakeWechat['calls'] }

  const reply = (res: http.ServerResponse, body: object) => {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end(JSON.stringify(body))
  }
  const error = (res: http.ServerResponse, errcode: number, errmsg: string) =>
    reply(res, { errcode, errmsg: `${errmsg} rid: ${randomBytes(4).toString('hex')}` })

  const issueToken = () => {
    const token = `ACCESS_${randomBytes(12).toString('hex')}`
    validTokens.add(token)
    return token
  }

  const routes: Record<string, (query: Record<string, string>, body: any, res: http.ServerResponse) => void> = {
    'GET /sns/jscode2session': (query, _body, res) => {
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
    },
    'POST /cgi-bin/stable_token': (_query, body, res) => {
      if (body?.grant_type !== 'client_credential') return error(res, 40002, 'invalid grant_type')
      if (body.appid !== appId || body.secret !== secret) return error(res, 40125, 'invalid appsecret')
      fake.tokenRequests++
      // Normal mode returns the same token while it is valid; force_refresh issues a new one.
      if (!stableToken || !validTokens.has(stableToken) || body.force_refresh === true) stableToken = issueToken()
      reply(res, { access_token: stableToken, expires_in: 7200 })
    },
    'POST /wxa/getwxacodeunlimit': (query, body, res) => {
      if (!validTokens.has(query.access_token ?? '')) return error(res, 42001, 'access_token expired')
      const scene = String(body?.scene ?? '')
      if (!scene || Array.from(scene).length > 32 || !/^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/.test(scene)) return error(res, 40169, 'invalid scene')
      if (typeof body.page === 'string' && (body.page.startsWith('/') || body.page.includes('?'))) return error(res, 41030, 'invalid page')
      if (body.env_version && !['release', 'trial', 'develop'].includes(body.env_version)) return error(res, 40097, 'invalid env_version')
      fake.wxaCodeRequests++
      res.writeHead(200, { 'content-type': 'image/jpeg' })
      res.end(FAKE_IMAGE)
    },
    'POST /wxa/business/getuserphonenumber': (query, body, res) => {
      if (!validTokens.has(query.access_token ?? '')) return error(res, 42001, 'access_token expired')
      const failure = phoneFailures.shift()
      if (failure !== undefined) return error(res, failure, 'forced failure')
      const entry = phoneCodes.get(String(body?.code ?? ''))
      if (!entry || entry.used || Date.now() - entry.issuedAt > 5 * 60_000) return error(res, 40029, 'invalid code')
      entry.used = true
      reply(res, {
        errcode: 0,
        errmsg: 'ok',
        // countryCode arrives as a number at times (WECHAT.md).
        phone_info: { phoneNumber: `+86${entry.phone}`, purePhoneNumber: entry.phone, countryCode: 86, watermark: { timestamp: Math.floor(Date.now() / 1000), appid: entry.watermarkAppId } },
      })
    },
    'POST /wxa/msg_sec_check': (query, body, res) => {
      if (!validTokens.has(query.access_token ?? '')) return error(res, 42001, 'access_token expired')
      const failure = secFailures.shift()
      if (failure !== undefined) return error(res, failure, 'forced failure')
      if (body?.version !== 2 || !body.openid || ![1, 2, 3, 4].includes(body.scene)) return error(res, 47001, 'data format error')
      const content = String(body.content ?? '')
      if (!content || Array.from(content).length > 2500) return error(res, 47001, 'data format error')
      const hit = [...verdicts].find(([word]) => content.includes(word))
      const suggest = hit ? hit[1] : 'pass'
      // Risky content is not an error: errcode 0, with the verdict in `result` (WECHAT.md).
      reply(res, { errcode: 0, errmsg: 'ok', trace_id: randomBytes(8).toString('hex'), result: { suggest, label: suggest === 'pass' ? 100 : 20003 }, detail: [] })
    },
    'POST /cgi-bin/message/subscribe/send': (query, body, res) => {
      if (!validTokens.has(query.access_token ?? '')) return error(res, 42001, 'access_token expired')
      if (!body?.touser) return error(res, 40003, 'invalid openid')
      if (!body.template_id) return error(res, 40037, 'invalid template_id')
      if (refused.has(body.touser)) return error(res, 43101, 'user refuse to accept the msg')
      for (const [key, v] of Object.entries<{ value?: string }>(body.data ?? {})) {
        const limit = VALUE_LIMITS[key.replace(/\d+$/, '')]
        if (typeof v?.value !== 'string' || (limit && Array.from(v.value).length > limit)) return error(res, 47003, `argument invalid! data.${key}.value`)
      }
      fake.sentMessages.push(body)
      reply(res, { errcode: 0, errmsg: 'ok' })
    },
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    const query = Object.fromEntries(url.searchParams)
    const call: FakeWechat['calls'][number] = { path: url.pathname, query }
    fake.calls.push(call)
    let raw = ''
    req.on('data', (d: Buffer) => (raw += d.toString()))
    req.on('end', () => {
      const route = routes[`${req.method} ${url.pathname}`]
      if (!route) return error(res, 40066, 'invalid url')
      let body: unknown = null
      if (raw) {
        try {
          body = JSON.parse(raw)
        } catch {
          return error(res, 47001, 'data format error')
        }
      }
      call.body = body
      route(query, body, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return Object.assign(fake, {
    baseUrl: `http://127.0.0.1:${port}`,
    appId,
    secret,
    issueCode(openid: string, o: { unionid?: string } = {}) {
      const code = randomBytes(12).toString('hex')
      codes.set(code, { openid, unionid: o.unionid, used: false })
      return code
    },
    failNext: (errcode: number) => void failures.push(errcode),
    issuePhoneCode(phone: string, o: { watermarkAppId?: string } = {}) {
      const code = randomBytes(12).toString('hex')
      phoneCodes.set(code, { phone, watermarkAppId: o.watermarkAppId ?? appId, issuedAt: Date.now(), used: false })
      return code
    },
    failNextPhone: (errcode: number) => void phoneFailures.push(errcode),
    judge: (word: string, suggest: 'risky' | 'review') => void verdicts.set(word, suggest),
    failNextSecCheck: (errcode: number) => void secFailures.push(errcode),
    expireTokens: () => validTokens.clear(),
    refuseSubscription: (openid: string) => void refused.add(openid),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  })
}

/** The environment that points an app at this fake WeChat (and lifts the login rate limit for tests). */
export const fakeWechatEnv = (wx: FakeWechat): Record<string, string> => ({ WECHAT_API_BASE: wx.baseUrl, WECHAT_APPID: wx.appId, WECHAT_SECRET: wx.secret, LOGIN_RATE_LIMIT_PER_MINUTE: '1000' })

/** Signs a member in through WeChat login against the fake: bearer header, user, tokens, openid. */
export async function wechatSignIn(http: { post(url: string): any }, wx: FakeWechat, openid: string, opts: { unionid?: string; body?: Record<string, unknown> } = {}) {
  const res = await http.post('/api/auth/wechat').send({ code: wx.issueCode(openid, opts.unionid ? { unionid: opts.unionid } : {}), ...opts.body }).expect(200)
  return { auth: { authorization: `Bearer ${res.body.accessToken}` }, id: res.body.user.id as string, openid, ...res.body }
}
