import { z, type ZodType } from 'zod'
import { Replies } from '@xianlin/shared'
import { endpoint, type Access, type RouteSchemas, type RouteTable } from './endpoint'

/** A mounted route as the API document describes it. */
export type DocumentedRoute = readonly [method: string, path: string, access: Access, schemas: RouteSchemas]

/** JSON Schema (2020-12, OpenAPI 3.1's own) of a zod schema, by zod's converter; what JSON cannot say (dates, transforms) is left open. */
const jsonSchema = (schema: ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>

/** Who may call a route, in words (`x-access`): the document is read by people deciding what to call. */
function accessOf(access: Access): string {
  if (access === 'public' || access === 'signed-in') return access
  if (Array.isArray(access)) return `roles: ${access.join(', ')}`
  return `console: ${(access as { console: string }).console}`
}

/** Each property of an object schema as a parameter `in` the path or query. */
function parametersOf(schema: ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return []
  const s = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] }
  return Object.entries(s.properties ?? {}).map(([name, property]) => ({ name, in: where, required: where === 'path' || (s.required ?? []).includes(name), schema: property }))
}

/**
 * The OpenAPI 3.1 document of `routes`, from the schemas each route validates with and answers by
 * (shared/), so it cannot drift from what the server does.
 */
export function openApiDocument(routes: readonly DocumentedRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {}
  const error = { description: 'An error: `{ error: { code, message, details? } }` with the status of its code (shared/src/errors.ts)' }
  for (const [method, path, access, s] of routes) {
    const status = String(s.status ?? (s.reply === 'empty' ? 204 : 200))
    const reply =
      s.reply === 'empty'
        ? { description: 'No content' }
        : s.reply === 'binary'
          ? { description: 'Bytes', content: { 'application/octet-stream': { schema: { type: 'string', contentEncoding: 'binary' } } } }
          : { description: 'OK', content: { 'application/json': { schema: jsonSchema(s.reply, 'output') } } }
    const openApiPath = path.replace(/:(\w+)/g, '{$1}')
    paths[openApiPath] ??= {}
    paths[openApiPath]![method] = {
      operationId: `${method} ${path}`,
      'x-access': accessOf(access),
      parameters: [...parametersOf(s.params, 'path'), ...parametersOf(s.query, 'query')],
      ...(s.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(s.body, 'input') } } } } : {}),
      responses: { [status]: reply, default: error },
    }
  }
  return { openapi: '3.1.0' as const, info: { title: '鲜邻优选 API', version: '1' }, paths }
}

/** `GET /api/docs`: the document of every route mounted, built once on first ask. */
export function apiDocsRoutes(routes: () => readonly DocumentedRoute[]): RouteTable {
  let document: ReturnType<typeof openApiDocument> | null = null
  return [['get', '/api/docs', endpoint({ reply: Replies.apiDocs, access: 'public', handler: () => (document ??= openApiDocument(routes())) })]]
}
