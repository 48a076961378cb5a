import type { ErrorDetail } from '@xianlin/shared'

/**
 * Finds keys that MongoDB would read as operators (`$where`, `$gt`, ...) or as paths (`a.b`)
 * anywhere in a request value. Such input is refused before any schema or query sees it.
 */
export function findOperatorKeys(value: unknown, path: string[] = [], found: ErrorDetail[] = []): ErrorDetail[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => findOperatorKeys(v, [...path, String(i)], found))
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key.startsWith('$') || key.includes('.')) {
        found.push({ path: [...path, key].join('.'), message: `key "${key}" is not allowed` })
      }
      findOperatorKeys(v, [...path, key], found)
    }
  }
  return found
}
