import { startTestApp, variantApp, type TestApp } from '../../test/harness'
import { UserModel } from '../modules/users/user.model'

let t: TestApp

beforeAll(async () => {
  t = await startTestApp(__filename, { env: { CORS_ORIGINS: 'https://shop.example.com', LOGIN_RATE_LIMIT_PER_MINUTE: '5', BODY_LIMIT: '1kb' } })
})
afterAll(() => t.close())

describe('HTTP basics', () => {
  it('GET /healthz answers while the process is up', async () => {
    expect((await t.http.get('/healthz').expect(200)).body).toEqual({ status: 'ok' })
  })

  it('GET /readyz pings the database', async () => {
    const res = await t.http.get('/readyz').expect(200)
    expect(res.body).toEqual({ status: 'ready', database: expect.stringMatching(/^t_http_/) })
  })

  it('gives every response a request id, and keeps a sane one the client sent', async () => {
    const generated = await t.http.get('/healthz')
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    const kept = await t.http.get('/healthz').set('x-request-id', 'trace-123')
    expect(kept.headers['x-request-id']).toBe('trace-123')
    const replaced = await t.http.get('/healthz').set('x-request-id', 'bad id with spaces')
    expect(replaced.headers['x-request-id']).not.toBe('bad id with spaces')
  })

  it('sends security headers', async () => {
    const res = await t.http.get('/healthz')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['content-security-policy']).toContain("default-src 'self'")
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN')
  })

  it('allows CORS only for configured origins', async () => {
    const allowed = await t.http.get('/healthz').set('origin', 'https://shop.example.com')
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example.com')
    const other = await t.http.get('/healthz').set('origin', 'https://evil.example.com')
    expect(other.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('answers unknown routes with a JSON 404', async () => {
    const res = await t.http.get('/api/nope').expect(404)
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: '内容不存在' } })
  })

  it('answers malformed JSON with 400, other media types with 415, and large bodies with 413', async () => {
    const bad = await t.http.post('/api/auth/dev').set('content-type', 'application/json').send('{"nickname": ').expect(400)
    expect(bad.body.error.code).toBe('INVALID_JSON')
    const form = await t.http.post('/api/auth/dev').set('content-type', 'text/plain').send('nickname=x').expect(415)
    expect(form.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
    const big = await t.http.post('/api/events').send({ name: 'visit', props: { pad: 'x'.repeat(2000) } }).expect(413)
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('rejects unknown query parameters and $-prefixed query keys', async () => {
    const unknown = await t.http.get('/api/products?sort=price').expect(400)
    expect(unknown.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'query.sort' }] })
    const injected = await t.http.get('/api/products?category[$ne]=x').expect(400)
    expect(injected.body.error.code).toBe('VALIDATION_FAILED')
  })

  it('limits login attempts per IP across requests, and the refused ones create nothing', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => t.http.post('/api/auth/dev').send({ nickname: `限流${i}` })))
    expect(results.filter((r) => r.status === 200)).toHaveLength(5)
    const limited = results.filter((r) => r.status === 429)
    expect(limited).toHaveLength(3)
    expect(limited[0]!.body.error.code).toBe('RATE_LIMITED')
    expect(Number(limited[0]!.headers['retry-after'])).toBeGreaterThan(0)
    expect(await UserModel.countDocuments({ nickname: /^限流/ })).toBe(5)
  })
})

describe('development login switch', () => {
  it('answers 404 when DEV_LOGIN is off', async () => {
    const off = variantApp({ DEV_LOGIN: 'off' })
    const res = await off.post('/api/auth/dev').send({ nickname: '不可' }).expect(404)
    expect(res.body.error.code).toBe('DEV_LOGIN_DISABLED')
    expect(await UserModel.countDocuments({ nickname: '不可' })).toBe(0)
    // The pages ask before offering the demo sign-ins, and hear no.
    expect((await off.get('/api/auth/methods').expect(200)).body).toEqual({ wechat: true, demo: false })
    expect((await t.http.get('/api/auth/methods').expect(200)).body).toEqual({ wechat: true, demo: true })
  })
})

describe('HTTP edges answer in the JSON error shape, never 500', () => {
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)

  it('refuses a deeply nested or very wide body before walking it, and stays responsive', async () => {
    // The login rate limit of this file's app is spent by the test above: a variant without it.
    const wide = variantApp({ BODY_LIMIT: '200kb' })
    const deep = await wide.post('/api/auth/dev').set('content-type', 'application/json').send(`{"nickname":${nested(200)}}`)
    expect(deep.status).toBe(400)
    expect(deep.body.error.code).toBe('VALIDATION_FAILED')
    const many = await wide.post('/api/auth/dev').send({ nickname: 'x', attribution: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i])) })
    expect(many.status).toBe(400)
    const huge = await wide.post('/api/auth/dev').set('content-type', 'application/json').send(`{"nickname":${nested(39_000)}}`)
    expect(huge.status).toBe(400)
    expect(huge.body.error.code).toBe('VALIDATION_FAILED')
    await t.http.get('/healthz').expect(200)
  })

  it('refuses compressed request bodies (valid or corrupt) with 415', async () => {
    for (const encoding of ['gzip', 'deflate', 'br', 'x-unknown']) {
      const res = await t.http.post('/api/auth/dev').set('content-type', 'application/json').set('content-encoding', encoding).send('{"nickname":"压缩"}')
      expect([res.status, res.body.error?.code]).toEqual([415, 'UNSUPPORTED_ENCODING'])
    }
    expect(await UserModel.countDocuments({ nickname: '压缩' })).toBe(0)
  })

  it('answers wrong and unknown methods with JSON 405 and 501', async () => {
    const wrong = await t.http.delete('/api/auth/dev').expect(405)
    expect(wrong.body.error.code).toBe('METHOD_NOT_ALLOWED')
    expect(wrong.headers['content-type']).toMatch(/json/)
    const notify = await t.http.get('/api/pay/notify').expect(405)
    expect(notify.body.error.code).toBe('METHOD_NOT_ALLOWED')
    const unknown = await t.http.propfind('/api/auth/dev').expect(501)
    expect(unknown.body.error.code).toBe('NOT_IMPLEMENTED')
  })

  it('answers an overlong request target with JSON 414', async () => {
    const res = await t.http.get(`/api/products?category=${'x'.repeat(5000)}`).expect(414)
    expect(res.body.error.code).toBe('URI_TOO_LONG')
  })

  it('answers path traversal on static files with a JSON 404', async () => {
    for (const p of ['/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/..%5c..%5cetc%5cpasswd', '/%00', '/%E0%A4%A']) {
      const res = await t.http.get(p)
      expect([p, res.status, res.body.error?.code]).toEqual([p, 404, 'NOT_FOUND'])
    }
  })
})
