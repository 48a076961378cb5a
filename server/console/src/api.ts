import type { FormInstance } from 'antd'
import type { ErrorDetail, Reply, Replies } from '@xianlin/shared'

/**
 * The console's one way to the API. The session is an httpOnly cookie the browser sends by
 * itself; the CSRF token that every change must carry lives here, in memory only (never in
 * storage), and comes back from GET /api/console/session after a reload.
 */
let csrfToken: string | null = null
export const rememberCsrf = (token: string | null) => {
  csrfToken = token
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message)
  }
}

/** What to tell the operator about a failed call: the API's own message, else `fallback`. */
export const errorText = (err: unknown, fallback: string) => (err instanceof ApiError ? err.message : fallback)

type Query = Record<string, string | number | undefined | null>

async function call<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const url = new URL(path, window.location.origin)
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v))
  const headers: Record<string, string> = {}
  // A file goes as its own bytes (the photo upload); everything else as JSON.
  const isFile = body instanceof Blob
  if (body !== undefined) headers['content-type'] = isFile ? body.type : 'application/json'
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken
  const res = await fetch(url, { method, credentials: 'same-origin', headers, body: body === undefined ? undefined : isFile ? body : JSON.stringify(body) })
  if (res.status === 204) return undefined as T
  const data = (await res.json().catch(() => null)) as { error?: { code: string; message: string; details?: unknown } } | null
  if (!res.ok) {
    const error = data?.error
    if (res.status === 401) window.dispatchEvent(new Event('console:signed-out'))
    throw new ApiError(res.status, error?.code ?? 'INTERNAL', error?.message ?? `请求失败（${res.status}）`, Array.isArray(error?.details) ? (error.details as ErrorDetail[]) : [])
  }
  return data as T
}

export const api = {
  get: <K extends keyof typeof Replies>(_reply: K, path: string, query?: Query) => call<Reply<K>>('GET', path, undefined, query),
  post: <K extends keyof typeof Replies>(_reply: K, path: string, body?: unknown) => call<Reply<K>>('POST', path, body),
  patch: <K extends keyof typeof Replies>(_reply: K, path: string, body?: unknown) => call<Reply<K>>('PATCH', path, body),
  put: <K extends keyof typeof Replies>(_reply: K, path: string, body?: unknown) => call<Reply<K>>('PUT', path, body),
  /** Uploads a photo file as it is; the server makes its sizes. */
  uploadPhoto: (file: Blob) => call<Reply<'photo'>>('POST', '/api/admin/photos', file),
  /** A change that answers nothing (204). */
  send: (method: 'POST' | 'DELETE', path: string, body?: unknown) => call<void>(method, path, body),
}

/** Field errors from the API (`body.newPassword` → `newPassword`) in the shape antd forms take. */
export function fieldErrors<Values>(err: unknown): Array<{ name: keyof Values & string; errors: string[] }> {
  if (!(err instanceof ApiError)) return []
  return err.details
    .filter((d) => d.path.startsWith('body.'))
    .map((d) => ({ name: d.path.slice('body.'.length).split('.')[0] as keyof Values & string, errors: [d.message] }))
}

/**
 * Shows a failed save where it belongs: the API's field errors on the form's own fields (`rename`
 * maps an API field to the form field that edits it, e.g. `priceFen` → `priceYuan`), anything
 * else as a message. Every console form reports errors this one way.
 */
export function showFormErrors<Values>(form: FormInstance<Values>, err: unknown, message: (text: string) => unknown, opts: { fallback?: string; rename?: Record<string, string> } = {}): void {
  const known = new Set(form.getFieldsError().map((f) => String(f.name[0])))
  const fields = fieldErrors<Record<string, unknown>>(err)
    .map((f) => ({ ...f, name: opts.rename?.[f.name] ?? f.name }))
    .filter((f) => known.has(f.name))
  if (fields.length) form.setFields(fields as never)
  else message(errorText(err, opts.fallback ?? '保存失败'))
}
