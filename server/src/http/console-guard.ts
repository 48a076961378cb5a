import type { Context } from 'koa'
import type { Permission } from '@xianlin/shared'
import { AppError } from '../core/app-error'
import type { OperatorActor } from '../core/actor'
import { recordAudit } from '../modules/audit/audit.service'
import { runAsOperator } from '../core/acting-operator'

/** The console's session cookie: httpOnly (no script reads it), SameSite=Strict, on /api only. */
export const CONSOLE_COOKIE = 'xl_console'
export const CSRF_HEADER = 'x-csrf-token'

/** Who may call a console route: operators holding `permission`, or any signed-in operator ('any'). */
export interface ConsoleAccess {
  console: Permission | 'any'
}

export interface ConsoleAuthority {
  actorFrom(token: string): Promise<OperatorActor & { csrfToken: string }>
  csrfMatches(expected: string, given: string | undefined): boolean
}

export function setConsoleCookie(ctx: Context, token: string | null, secure: boolean, maxAgeMs: number): void {
  ctx.cookies.set(CONSOLE_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/api', secure, maxAge: token ? maxAgeMs : 0, overwrite: true })
}

/**
 * The operator behind the console cookie. Shopper tokens are never accepted here (a Bearer header
 * alone is 401); a change (anything but GET/HEAD) must carry the session's CSRF token; an operator
 * with a one-time password may only reach 'any' routes (see who they are, change it, sign out).
 */
export async function authenticateOperator(ctx: Context, authority: ConsoleAuthority, access: ConsoleAccess): Promise<OperatorActor & { csrfToken: string }> {
  const token = ctx.cookies.get(CONSOLE_COOKIE)
  if (!token) throw new AppError('UNAUTHENTICATED')
  const actor = await authority.actorFrom(token)
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD' && !authority.csrfMatches(actor.csrfToken, ctx.get(CSRF_HEADER) || undefined)) throw new AppError('CSRF_FAILED')
  if (access.console !== 'any') {
    if (actor.mustChangePassword) throw new AppError('PASSWORD_CHANGE_REQUIRED')
    if (!actor.permissions.includes(access.console)) throw new AppError('FORBIDDEN')
  }
  return actor
}

const SECRET_FIELD = /password|token|secret/i

/** What an operator sent, with passwords and tokens blanked, for the audit trail. */
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELD.test(k) ? '***' : redact(v)]))
  return value
}

/**
 * Every change an operator makes through the console is written to the audit trail: who (the
 * acting operator), when, which route with which target, and the values they sent (the new
 * values; services that change a record also write its before and after).
 */
async function auditConsoleChange(ctx: Context, params: unknown, body: unknown): Promise<void> {
  const route = (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? ctx.path
  const target = (params as { id?: string } | undefined)?.id ?? '-'
  await recordAudit({ actorId: null, action: `console:${ctx.method} ${route}`, targetType: 'route', targetId: target, outcome: 'ok', details: { params: params ?? {}, body: redact(body) ?? null }, at: new Date() })
}

/**
 * Runs a console route's handler as `operator` (audit records written inside name them), then
 * records the change itself when the route changes something.
 */
export function runForOperator<T>(ctx: Context, operator: OperatorActor, input: { params: unknown; body: unknown }, handler: () => Promise<T>): Promise<T> {
  return runAsOperator({ id: operator.operatorId, username: operator.username }, async () => {
    const result = await handler()
    if (ctx.method !== 'GET') await auditConsoleChange(ctx, input.params, input.body)
    return result
  })
}
