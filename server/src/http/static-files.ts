import path from 'node:path'
import type { Middleware } from 'koa'
import serve from 'koa-static'
import type { AppState } from './types'

/**
 * Serves a built folder (the H5 app) for GET and HEAD. A path that does not decode, holds a NUL,
 * or tries to climb out of the folder is simply not there (404), like any missing file;
 * koa-send's own refusals (400/403) are turned into that same 404.
 */
export function staticFiles(dir: string): Middleware<AppState> {
  const send = serve(dir, { maxage: 0, gzip: false })
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next()
    let decoded: string
    try {
      decoded = decodeURIComponent(ctx.path)
    } catch {
      return next()
    }
    if (decoded.includes('\0') || decoded.includes('\\') || path.posix.normalize(decoded).split('/').includes('..')) return next()
    try {
      await send(ctx, next)
    } catch (err) {
      const status = (err as { status?: number }).status
      if (status && status >= 400 && status < 500) return next()
      throw err
    }
  }
}
