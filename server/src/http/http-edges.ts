import type http from 'node:http'
import type { Duplex } from 'node:stream'
import type { Middleware } from 'koa'
import { ERRORS, type ErrorCode } from '@xianlin/shared'
import { AppError } from '../core/app-error'
import type { AppState } from './types'

/** Longest request target we answer; longer ones get 414 (the mini-program's longest is far below). */
export const MAX_URL_LENGTH = 4096

/**
 * Refusals at the edge, before routing or body parsing: request targets that are too long (414)
 * and request bodies with a content encoding (415): our clients never compress requests, and
 * inflating one is work and risk for nothing.
 */
export function httpEdges(): Middleware<AppState> {
  return async (ctx, next) => {
    if (ctx.url.length > MAX_URL_LENGTH) throw new AppError('URI_TOO_LONG')
    const encoding = ctx.get('content-encoding').trim().toLowerCase()
    if (encoding && encoding !== 'identity') throw new AppError('UNSUPPORTED_ENCODING')
    await next()
  }
}

/**
 * Errors Node's HTTP parser answers before Koa sees the request (oversized headers, malformed
 * requests): the same JSON error shape as every other reply, then the connection is closed.
 */
export function answerClientErrorsAsJson(server: http.Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return void socket.destroy()
    const code: ErrorCode = err.code === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : err.code === 'HPE_URI_TOO_LONG' ? 'URI_TOO_LONG' : 'VALIDATION_FAILED'
    const { status, message } = ERRORS[code]
    const body = JSON.stringify({ error: { code, message: code === 'VALIDATION_FAILED' ? '请求格式有误' : message } })
    socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 414 ? 'URI Too Long' : 'Bad Request'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`)
  })
}
