import pino, { type Logger } from 'pino'

export type { Logger }

/** Structured JSON logs; request lines carry the request id. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'xianlin-api' },
    redact: ['req.headers.authorization', '*.accessToken', '*.refreshToken', '*.secret', '*.code'],
  })
}
