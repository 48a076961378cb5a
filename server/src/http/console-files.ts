import fs from 'node:fs'
import path from 'node:path'
import type { Middleware } from 'koa'
import send from 'koa-send'
import type { AppState } from './types'

const PREFIX = '/console'

/**
 * Serves the operator console's build at /console/. Its assets have hashed names, so browsers
 * may keep them a year; index.html is never cached, and every other path under /console/ is a
 * page of the single-page app, answered with index.html (the console's router takes it from there).
 */
export function consoleFiles(dir: string): Middleware<AppState> {
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || (ctx.path !== PREFIX && !ctx.path.startsWith(`${PREFIX}/`))) return next()
    if (ctx.path === PREFIX) return ctx.redirect(`${PREFIX}/`)
    const rest = ctx.path.slice(PREFIX.length)
    let decoded: string
    try {
      decoded = decodeURIComponent(rest)
    } catch {
      return next()
    }
    const unsafe = decoded.includes('\0') || decoded.includes('\\') || path.posix.normalize(decoded).split('/').includes('..')
    if (!unsafe && decoded.startsWith('/assets/') && fs.existsSync(path.join(dir, decoded))) {
      ctx.vary('Accept-Encoding')
      await send(ctx, decoded, { root: dir, immutable: true, maxage: 365 * 24 * 3600 * 1000, brotli: true, gzip: true })
      return
    }
    if (unsafe || path.posix.extname(decoded)) return next() // a missing file, not a page
    ctx.set('Cache-Control', 'no-cache')
    ctx.vary('Accept-Encoding')
    await send(ctx, 'index.html', { root: dir, brotli: true, gzip: true })
  }
}
