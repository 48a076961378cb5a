import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import Koa from 'koa'
import { precompress } from '../../scripts/precompress'
import { staticFiles } from './static-files'

/** A build folder like Taro's H5 output: hashed scripts, an index page, an unhashed image. */
function buildFolder(): { dir: string; script: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h5-'))
  fs.mkdirSync(path.join(dir, 'js'))
  fs.mkdirSync(path.join(dir, 'static'))
  const script = `console.log(${JSON.stringify('鲜邻优选 '.repeat(2000))})\n`
  fs.writeFileSync(path.join(dir, 'js', 'app.85bf2aee.js'), script)
  fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html><title>鲜邻优选</title>${'<!-- padding -->'.repeat(100)}`)
  fs.writeFileSync(path.join(dir, 'static', 'empty.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]))
  return { dir, script }
}

const { dir, script } = buildFolder()
const app = new Koa()
app.use(staticFiles(dir))
let server: http.Server

/** A GET over a real socket, the body as sent (HTTP clients would decompress it for us). */
function get(pathname: string, acceptEncoding = 'identity'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const { port } = server.address() as AddressInfo
  return new Promise((resolve, reject) => {
    http
      .get({ port, path: pathname, headers: { 'accept-encoding': acceptEncoding } }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
      })
      .on('error', reject)
  })
}

beforeAll(async () => {
  expect(precompress(dir).files).toBe(2) // the script and index.html; the image is no text
  server = app.listen(0)
  await new Promise((r) => server.once('listening', r))
})
afterAll(() => new Promise((r) => server.close(r)))

describe('the H5 build as served', () => {
  it('sends hashed files brotli- or gzip-compressed as the browser accepts, cached a year as immutable', async () => {
    const br = await get('/js/app.85bf2aee.js', 'gzip, deflate, br')
    expect(br.status).toBe(200)
    expect(br.headers).toMatchObject({ 'content-encoding': 'br', 'cache-control': 'public, max-age=31536000, immutable', vary: 'Accept-Encoding' })
    expect(br.headers['content-type']).toMatch(/javascript/)
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(script)
    expect(br.body.length).toBeLessThan(Buffer.byteLength(script) / 10)

    const gz = await get('/js/app.85bf2aee.js', 'gzip')
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(zlib.gunzipSync(gz.body).toString()).toBe(script)

    const plain = await get('/js/app.85bf2aee.js')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.toString()).toBe(script)
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable')
  })

  it('asks for index.html and unhashed files again every time, and finds nothing outside the folder', async () => {
    const index = await get('/', 'br')
    expect(index).toMatchObject({ status: 200, headers: { 'cache-control': 'no-cache', 'content-encoding': 'br' } })
    expect(zlib.brotliDecompressSync(index.body).toString()).toContain('<title>鲜邻优选</title>')
    expect((await get('/static/empty.png')).headers['cache-control']).toBe('no-cache')
    expect((await get('/js/missing.00000000.js')).status).toBe(404)
    expect((await get('/%2e%2e/etc/passwd')).status).toBe(404)
  })
})
