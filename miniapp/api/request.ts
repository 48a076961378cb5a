import Taro from '@tarojs/taro'
import type { ErrorBody, ErrorCode } from '@xianlin/shared'
import { ERRORS } from '@xianlin/shared'
import { session } from '../utils/session'

/** An API error with the server's code, so pages can switch on it and show its Chinese message. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly status: number,
  ) {
    super(message)
  }
}

const API_BASE = __API_BASE__

/** The full URL of an API path, for downloads that do not go through `request`. */
export const apiUrl = (path: string) => `${API_BASE}${path}`

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  data?: unknown
  auth?: boolean
  /** For bytes (a photo upload): the body is sent as it is, with this type. */
  contentType?: string
}

/** Calls the API; renews the access token once when it has expired. */
export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const first = await send<T>(path, opts)
  if (first.ok) return first.data
  if (opts.auth !== false && first.error.code === 'TOKEN_EXPIRED' && (await session.renew(renewTokens))) {
    const retry = await send<T>(path, opts)
    if (retry.ok) return retry.data
    throw retry.error
  }
  if (first.error.status === 401 && opts.auth !== false && session.accessToken()) {
    // Signed out by the server (expired, or signed out elsewhere): say so once, not silently.
    session.clear()
    void Taro.showToast({ title: '登录已失效，请重新登录', icon: 'none', duration: 2500 })
  }
  throw first.error
}

type Outcome<T> = { ok: true; data: T } | { ok: false; error: ApiError }

async function send<T>(path: string, opts: RequestOptions): Promise<Outcome<T>> {
  const header: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json' }
  const token = session.accessToken()
  if (token && opts.auth !== false) header.authorization = `Bearer ${token}`
  try {
    const res = await Taro.request({
      url: `${API_BASE}${path}`,
      method: opts.method ?? 'GET',
      data: opts.data as Record<string, unknown> | undefined,
      header,
    })
    if (res.statusCode >= 200 && res.statusCode < 300) return { ok: true, data: res.data as T }
    const body = res.data as Partial<ErrorBody> | undefined
    const code = (body?.error?.code ?? 'INTERNAL') as ErrorCode
    const message = body?.error?.message ?? ERRORS[code]?.message ?? '请求失败'
    return { ok: false, error: new ApiError(code, message, res.statusCode) }
  } catch {
    return { ok: false, error: new ApiError('NETWORK', '网络不给力，请检查网络后重试', 0) }
  }
}

async function renewTokens(refreshToken: string) {
  const res = await send<{ accessToken: string; refreshToken: string }>('/api/auth/refresh', {
    method: 'POST',
    data: { refreshToken },
    auth: false,
  })
  return res.ok ? res.data : null
}
