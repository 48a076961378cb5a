/**
 * Splits `total` fen over parts in proportion to `weights` by the largest remainder (Hamilton's
 * method): each part first gets ⌊total × weight / Σweights⌋, then the fen left over go one each to
 * the parts with the largest remainders (ties to the earlier part). Integers in, integers out.
 *
 * The shares add up to `total` exactly, a part of weight 0 gets 0, and when 0 ≤ total ≤ Σweights
 * no share exceeds its weight (a part gets its extra fen only when its exact share is fractional).
 * Exact for any size: the products are computed as BigInt.
 */
export function allocateLargestRemainder(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`total must be a non-negative integer, got ${total}`)
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new RangeError('weights must be non-negative integers')
  const sum = weights.reduce((a, w) => a + BigInt(w), 0n)
  if (sum === 0n) {
    if (total === 0) return weights.map(() => 0)
    throw new RangeError('cannot split a positive total over weights that are all zero')
  }
  const exact = weights.map((w) => BigInt(total) * BigInt(w))
  const shares = exact.map((x) => x / sum)
  let left = BigInt(total) - shares.reduce((a, s) => a + s, 0n)
  const byRemainder = exact
    .map((x, i) => ({ i, remainder: x % sum }))
    .filter((p) => p.remainder > 0n)
    .sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1))
  for (const p of byRemainder) {
    if (left === 0n) break
    shares[p.i]! += 1n
    left -= 1n
  }
  return shares.map(Number)
}
