import { randomSymbols } from '../../lib/random-code'

/**
 * A one-time code like `K7Q2-M9XA-3FZP` (vouchers, pickups): 12 random symbols, 60 bits, so codes
 * cannot be guessed or enumerated.
 */
export function newVoucherCode(): string {
  const symbols = randomSymbols(12)
  return [0, 4, 8].map((i) => symbols.slice(i, i + 4)).join('-')
}
