import { ERRORS, type ErrorCode, type ErrorDetail } from '@xianlin/shared'

/**
 * An expected failure with a code from `shared/errors.ts`. Its status and default message come
 * from that one table; the error handler turns it into `{ error: { code, message, details? } }`.
 */
export class AppError extends Error {
  readonly status: number
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: ErrorDetail[] | Record<string, unknown>,
  ) {
    super(message ?? ERRORS[code].message)
    this.status = ERRORS[code].status
  }
}
