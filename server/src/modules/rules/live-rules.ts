import type { Rules } from '@xianlin/shared'

/**
 * The rules this instance applies now: the rules file (version 0) until an operator saves a
 * version, then the newest version in the database (see rules.service).
 */
export function createLiveRules(initial: Rules) {
  let current = { version: 0, rules: initial }
  return {
    current: () => current.rules,
    version: () => current.version,
    apply(version: number, rules: Rules) {
      if (version > current.version) current = { version, rules }
    },
  }
}

export type LiveRules = ReturnType<typeof createLiveRules>

/**
 * A read-only view of `read()` that looks it up again on every property access, however deep.
 * Services keep the rules object they were given at start (`rules.checkin.cycleBonusPoints`), and
 * through this view each read sees the version applied now, so a saved change reaches every service
 * on its next request without a restart. (A number copied out at start would not: services.ts
 * passes objects, never leaves, except the business time zone, which is not editable live.)
 */
export function liveView<T extends object>(read: () => T): T {
  const target = (Array.isArray(read()) ? [] : {}) as T
  return new Proxy(target, {
    get(_target, key) {
      const value = (read() as Record<PropertyKey, unknown>)[key]
      if (value && typeof value === 'object') return liveView(() => (read() as Record<PropertyKey, object>)[key]!)
      return value
    },
    has: (_target, key) => key in read(),
    // An array view keeps its target's `length` key (a proxy must list the target's fixed keys).
    ownKeys: () => Reflect.ownKeys(read()),
    getOwnPropertyDescriptor(_target, key) {
      const d = Reflect.getOwnPropertyDescriptor(read(), key)
      return d && key !== 'length' ? { ...d, configurable: true, writable: false } : Reflect.getOwnPropertyDescriptor(target, key)
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  })
}
