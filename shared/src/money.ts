/**
 * Money is an integer number of fen (分) everywhere; yuan exist only on screen.
 * `formatFen(1990)` → `'¥19.90'`; `formatFen(2000, { trimZeros: true })` → `'¥20'`.
 */
export function formatFen(fen: number, opts: { trimZeros?: boolean; symbol?: boolean } = {}): string {
  if (!Number.isInteger(fen)) throw new RangeError(`fen must be an integer, got ${fen}`)
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  const yuan = Math.floor(abs / 100)
  const cents = abs % 100
  let text = `${yuan}.${String(cents).padStart(2, '0')}`
  if (opts.trimZeros) text = text.replace(/\.00$/, '').replace(/(\.\d)0$/, '$1')
  return `${sign}${opts.symbol === false ? '' : '¥'}${text}`
}

/** Parses a yuan amount typed by a person ('12.5', '12.50', '12') into fen; null when malformed. */
export function yuanToFen(text: string): number | null {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.trim())
  if (!m) return null
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
}
