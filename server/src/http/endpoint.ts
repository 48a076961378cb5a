import type { Context, Middleware } from 'koa'
import type Router from '@koa/router'
import { z, type ZodType } from 'zod'
import { EmptyQuerySchema, type Role } from '@xianlin/shared'
import { AppError } from '../core/app-error'
import { findOperatorKeys } from './reject-operator-keys'
import { authenticate, requireRoles } from './auth-guard'
import { refuseIfOverLimit } from './rate-limit'
import type { AppState } from './types'
import type { Actor, OperatorActor } from '../core/actor'
import { authenticateOperator, runForOperator, type ConsoleAccess, type ConsoleAuthority } from './console-guard'
import type { Authority } from '../modules/auth/authority'
import { withAccountReads } from '../modules/users/account-hints'

/**
 * Who may call a route: anyone, any signed-in user, users holding one of these roles (shopper
 * tokens), or console operators (`{ console: permission }`, session cookie; see console-guard).
 */
export type Access = 'public' | 'signed-in' | readonly Role[] | ConsoleAccess

/** Per-minute limits for a route, counted per signed-in user and per client IP across instances. */
export interface RouteRateLimit {
  bucket: string
  perUser: number
  perIp: number
}

/** What a route answers: a JSON reply checked against its `shared/` schema, nothing (204), or bytes. */
type ReplySpec<R> = ZodType<R> | 'empty' | 'binary'
type ReplyOf<S> = S extends ZodType<infer R> ? R : S extends 'empty' ? void : Buffer

interface Spec<B, Q, P, A extends Access, S extends ReplySpec<unknown>> {
  access: A
  /** The reply's schema (from `Replies` in shared/), or 'empty' / 'binary'. */
  reply: S
  /** Routes that look up guessable things (codes, ids) or store anonymous input are rate-limited. */
  rateLimit?: RouteRateLimit
  body?: ZodType<B>
  query?: ZodType<Q>
  params?: ZodType<P>
  status?: number
  handler: (input: {
    body: B
    query: Q
    params: P
    actor: A extends 'public' ? Actor | undefined : A extends ConsoleAccess ? OperatorActor & { csrfToken: string } : Actor
    ctx: Context
  }) => Promise<ReplyOf<S>> | ReplyOf<S>
}

/** How mounted endpoints behave: replies are checked against their schemas outside production. */
export interface EndpointContext {
  authority: Authority
  console: ConsoleAuthority
  checkReplies: boolean
}

// Built once: a zod schema compiles itself on its first use, so one built per request compiles every time.
const NO_BODY = z.undefined()
const NO_PARAMS = z.strictObject({})

const isConsole = (access: Access): access is ConsoleAccess => typeof access === 'object' && 'console' in access

/**
 * Declares one route: who may call it, the schemas of its body, query and params, and a handler
 * that only ever sees validated input. A route without a query schema accepts no query; one
 * without a body schema accepts no body.
 */
export function endpoint<B = undefined, Q = Record<string, never>, P = Record<string, never>, A extends Access = Access, S extends ReplySpec<unknown> = ReplySpec<unknown>>(
  spec: Spec<B, Q, P, A, S>,
) {
  const built = ({ authority, console, checkReplies }: EndpointContext): Middleware<AppState> => {
    const access = spec.access
    const guard = access === 'public' || isConsole(access) ? null : requireRoles(access === 'signed-in' ? null : access)
    const handle: Middleware<AppState> = async (ctx) => {
      let actor: Actor | (OperatorActor & { csrfToken: string }) | undefined
      if (isConsole(access)) {
        actor = await authenticateOperator(ctx, console, access)
        ctx.state.operator = actor
      } else {
        actor = await authenticate(ctx, authority, access !== 'public')
        if (guard) guard(actor)
      }
      if (spec.rateLimit) await limit(ctx, spec.rateLimit, actor && 'userId' in actor ? actor : undefined)
      const raw = ctx.request as unknown as { body?: unknown }
      const body = parse('body', (spec.body ?? NO_BODY) as ZodType<B>, emptyToUndefined(raw.body))
      const query = parse('query', (spec.query ?? EmptyQuerySchema) as ZodType<Q>, { ...ctx.query })
      const params = parse('params', (spec.params ?? NO_PARAMS) as ZodType<P>, (ctx as unknown as { params?: unknown }).params ?? {})
      const run = () => Promise.resolve(spec.handler({ body, query, params, actor: actor as never, ctx } as never))
      const result = ctx.state.operator ? await runForOperator(ctx, ctx.state.operator, { params, body }, run) : await run()
      if (checkReplies) checkReply(spec.reply, result, ctx)
      // A reply for a signed-in person is theirs alone: no shared cache may keep it.
      if (actor && !ctx.response.get('Cache-Control')) ctx.set('Cache-Control', 'private, no-store')
      ctx.status = spec.status ?? (result === undefined ? 204 : 200)
      if (result !== undefined) ctx.body = result
    }
    // One read of the signed-in account serves the request (modules/users/account-hints.ts).
    return (ctx, next) => withAccountReads(() => handle(ctx, next))
  }
  // The route table and the permission matrix test read who may call it; the API document, its schemas.
  return Object.assign(built, { access: spec.access as Access, schemas: { body: spec.body, query: spec.query, params: spec.params, reply: spec.reply, status: spec.status } as RouteSchemas })
}

/** What a route takes and answers, for the API document (`openapi.ts`). */
export interface RouteSchemas {
  body?: ZodType
  query?: ZodType
  params?: ZodType
  reply: ZodType | 'empty' | 'binary'
  status?: number
}

/**
 * Development and tests: a reply that does not match what the route declares is a server bug,
 * answered 500 (and logged) so a test that exercises it fails. Production sends it unchecked.
 */
function checkReply(reply: ReplySpec<unknown>, result: unknown, ctx: Context): void {
  const where = `${ctx.method} ${(ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? ctx.path}`
  if (reply === 'empty') {
    if (result !== undefined) throw new Error(`${where} declares no reply but answered one`)
    return
  }
  if (reply === 'binary') {
    if (!Buffer.isBuffer(result)) throw new Error(`${where} declares bytes but answered something else`)
    return
  }
  const checked = reply.safeParse(result)
  if (!checked.success) throw new Error(`${where} answered a reply its schema refuses: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
}

/** A route's limits: per client IP always, per user when signed in. */
function limit(ctx: Context, rule: RouteRateLimit, actor: Actor | undefined): Promise<void> {
  return refuseIfOverLimit(ctx, [[`${rule.bucket}:ip`, ctx.ip || 'unknown', rule.perIp], ...(actor ? [[`${rule.bucket}:user`, actor.userId, rule.perUser] as [string, string, number]] : [])], new Date())
}

function emptyToUndefined(body: unknown): unknown {
  return body && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0 ? undefined : body
}

function parse<T>(where: 'body' | 'query' | 'params', schema: ZodType<T>, value: unknown): T {
  const forbidden = findOperatorKeys(value)
  if (forbidden.length) throw new AppError('FORBIDDEN_KEY', undefined, forbidden.map((d) => ({ ...d, path: `${where}.${d.path}` })))
  const result = schema.safeParse(value)
  if (result.success) return result.data
  throw new AppError(
    'VALIDATION_FAILED',
    undefined,
    result.error.issues.map((issue) => ({
      path: [where, ...issue.path.map(String), ...(issue.code === 'unrecognized_keys' ? [issue.keys.join(',')] : [])].join('.'),
      message: issue.message,
    })),
  )
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'
export type RouteTable = ReadonlyArray<readonly [Method, string, ((context: EndpointContext) => Middleware<AppState>) & { access: Access; schemas: RouteSchemas }]>

/** Mounts a table of `[method, path, endpoint]` rows on a router. */
export function mount(router: Router<AppState>, context: EndpointContext, routes: RouteTable): void {
  for (const [method, path, build] of routes) router[method](path, build(context))
}
