import pino, { type Logger } from 'pino'
import pretty from 'pino-pretty'

export type { Logger }

/**
 * Structured logs; request lines carry the request id. `json` (a line each, for collectors and the
 * tests that read a server's output) unless `pretty` asks for coloured lines a person reads.
 */
export function createLogger(level: string, format: 'json' | 'pretty' = 'json'): Logger {
  const options = {
    level,
    base: { service: 'xianlin-api' },
    redact: ['req.headers.authorization', '*.accessToken', '*.refreshToken', '*.secret', '*.code'],
  }
  if (format === 'json') return pino(options)
  // In this process and in order (no worker thread): a development server's lines stay with its output.
  return pino(options, pretty({ colorize: true, sync: true, ignore: 'pid,hostname,service', translateTime: 'SYS:HH:MM:ss' }))
}
