import http from 'node:http'
import net from 'node:net'
import { answerClientErrorsAsJson } from './http-edges'

/** Node's parser refuses oversized headers before Koa runs: the reply is still our JSON shape. */
describe('client errors from the HTTP parser', () => {
  let server: http.Server
  let port: number
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('ok'))
    answerClientErrorsAsJson(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as net.AddressInfo).port
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const raw = (request: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end(request))
      let data = ''
      socket.on('data', (d) => (data += d.toString()))
      socket.on('end', () => resolve(data))
      socket.on('error', reject)
    })

  it('answers oversized headers with JSON 431', async () => {
    const reply = await raw(`GET / HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`)
    expect(reply).toMatch(/^HTTP\/1\.1 431 /)
    expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toEqual({ error: { code: 'HEADERS_TOO_LARGE', message: '请求头过大' } })
  })

  it('answers a malformed request line with JSON 400', async () => {
    const reply = await raw('THIS IS NOT HTTP\r\n\r\n')
    expect(reply).toMatch(/^HTTP\/1\.1 400 /)
    expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)).error.code).toBe('VALIDATION_FAILED')
  })
})
