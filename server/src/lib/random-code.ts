import { randomInt } from 'node:crypto'

/** Crockford's base32 without the look-alikes I, L, O, U: easy to read aloud and type. */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** `n` symbols from a CSPRNG (5 bits each), for codes that must not be guessed. */
export function randomSymbols(n: number): string {
  return Array.from({ length: n }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('')
}
