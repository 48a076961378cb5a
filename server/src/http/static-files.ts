import path from 'node:path'
import type { Middleware } from 'koa'
import serve from 'koa-static'
import type { AppState } from './types'

/** Build output named by its content hash (`js/app.85bf2aee.js`), as served or precompressed. */
const HASHED = /\/(js|css)\/[^/]+\.[0-9a-f]{8}\.(js|css)(\.br|\.gz)?$/
const YEAR_S = 365 * 24 * 3600

/**
 * Serves a built folder (the H5 app) for GET and HEAD. Files named by their content hash are
 * cached a year (`immutable`); everything else, index.html first, is asked again each time
 * (`no-cache`), so a new build reaches everyone at once. Text files go out as the `.br` or `.gz`
 * written at build time (scripts/precompress.ts) when the browser accepts it.
 * A path that does not decode, holds a NUL, or tries to climb out of the folder is simply not
 * there (404), like any missing file; koa-send's own refusals (400/403) are turned into that same 404.
 */
export function staticFiles(dir: string): Middleware<AppState> {
  const send = serve(dir, {
    brotli: true,
    gzip: true,
    setHeaders: (res, file) => res.setHeader('Cache-Control', HASHED.test(file) ? `public, max-age=${YEAR_S}, immutable` : 'no-cache'),
  })
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next()
    let decoded: string
    try {
      decoded = decodeURIComponent(ctx.path)
    } catch {
      return next()
    }
    if (decoded.includes('\0') || decoded.includes('\\') || path.posix.normalize(decoded).split('/').includes('..')) return next()
    ctx.vary('Accept-Encoding')
    try {
      await send(ctx, next)
    } catch (err) {
      const status = (err as { status?: number }).status
      if (status && status >= 400 && status < 500) return next()
      throw err
    }
  }
}
