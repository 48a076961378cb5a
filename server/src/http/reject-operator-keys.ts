import type { ErrorDetail } from '@xianlin/shared'
import { AppError } from '../core/app-error'

/** How deep and how wide a request value may be: far beyond any real request, far below a stack overflow. */
export const SHAPE_LIMITS = { depth: 20, keys: 2_000 }

/**
 * Finds keys that MongoDB would read as operators (`$where`, `$gt`, ...) or as paths (`a.b`)
 * anywhere in a request value. Such input is refused before any schema or query sees it.
 * The walk is iterative and bounded: a value nested deeper than `SHAPE_LIMITS.depth` or holding
 * more than `SHAPE_LIMITS.keys` keys and items is refused (400) before it is walked any further.
 */
export function findOperatorKeys(value: unknown, limits = SHAPE_LIMITS): ErrorDetail[] {
  const found: ErrorDetail[] = []
  const stack: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }]
  let seen = 0
  while (stack.length) {
    const { value: v, path } = stack.pop()!
    if (!v || typeof v !== 'object') continue
    if (path.length >= limits.depth) throw new AppError('VALIDATION_FAILED', '请求结构嵌套过深', [{ path: path.join('.'), message: `nested deeper than ${limits.depth} levels` }])
    const entries: Array<[string, unknown]> = Array.isArray(v) ? v.map((item, i) => [String(i), item]) : Object.entries(v)
    seen += entries.length
    if (seen > limits.keys) throw new AppError('VALIDATION_FAILED', '请求内容过多', [{ path: path.join('.') || '(root)', message: `more than ${limits.keys} keys and items` }])
    for (const [key, item] of entries) {
      if (!Array.isArray(v) && (key.startsWith('$') || key.includes('.'))) found.push({ path: [...path, key].join('.'), message: `key "${key}" is not allowed` })
      stack.push({ value: item, path: [...path, key] })
    }
  }
  return found
}
