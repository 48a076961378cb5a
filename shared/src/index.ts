// Everything the server and the mini-program share: API schemas and types, error codes, and pure
// business rules. No I/O and no clock here (rules take `now`).
export * from './errors'
export * from './money'
export * from './time'
export * from './mask'
export * from './rules/rules.schema'
export * from './api/common'
export * from './api/auth'
export * from './api/stores'
export * from './api/catalog'
export * from './api/health'
export * from './api/events'
export * from './api/points'
