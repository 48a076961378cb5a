import { randomInt } from 'node:crypto'
import { isDuplicateKeyError } from '../db/errors'

/** Crockford's base32 without the look-alikes I, L, O, U: easy to read aloud and type. */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** `n` symbols from a CSPRNG (5 bits each), for codes that must not be guessed. */
export function randomSymbols(n: number): string {
  return Array.from({ length: n }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('')
}

/**
 * Inserts a document keyed by a freshly drawn code (`_id` = code), drawing again while the code
 * is taken; returns the code that went in. Other errors are thrown.
 */
export async function insertWithFreshCode(draw: () => string, insert: (code: string) => Promise<unknown>): Promise<string> {
  for (;;) {
    const code = draw()
    try {
      await insert(code)
      return code
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err
    }
  }
}
