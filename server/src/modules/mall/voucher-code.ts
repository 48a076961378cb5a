import { randomInt } from 'node:crypto'

/** Crockford's base32 without the look-alikes I, L, O, U: easy to read aloud and type. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/**
 * A one-time voucher code like `K7Q2-M9XA-3FZP`: 12 random symbols from a CSPRNG, 60 bits, so
 * codes cannot be guessed or enumerated.
 */
export function newVoucherCode(): string {
  const symbols = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)])
  return [0, 4, 8].map((i) => symbols.slice(i, i + 4).join('')).join('-')
}
