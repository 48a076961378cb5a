import fc from 'fast-check'
import { allocateLargestRemainder } from './allocation'

describe('allocateLargestRemainder', () => {
  it.each([
    [1000, [5000, 5000], [500, 500]],
    [1000, [3000, 3000, 3000], [334, 333, 333]], // a tie goes to the earlier part
    [100, [1, 1, 1], [34, 33, 33]], // more than the weights: still adds up exactly
    [500, [990, 4590, 3280], [56, 259, 185]], // 55.87, 259.03, 185.10: the one fen left goes to .87
    [7, [0, 10, 0, 10], [0, 4, 0, 3]], // a weight of 0 gets nothing
    [0, [0, 0], [0, 0]],
    [0, [990, 1990], [0, 0]],
    [2, [1, 1, 1], [1, 1, 0]],
  ])('splits %d over %j as %j', (total, weights, shares) => expect(allocateLargestRemainder(total, weights)).toEqual(shares))

  it('refuses a fraction, a negative, or a positive total over nothing', () => {
    expect(() => allocateLargestRemainder(1.5, [1])).toThrow(RangeError)
    expect(() => allocateLargestRemainder(-1, [1])).toThrow(RangeError)
    expect(() => allocateLargestRemainder(1, [0, 0])).toThrow(RangeError)
    expect(() => allocateLargestRemainder(1, [2, -1])).toThrow(RangeError)
  })

  it('gives integer shares that add up to the total, none negative and none above its weight when the total fits', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 50 }).filter((w) => w.some((x) => x > 0)), fc.double({ min: 0, max: 1, noNaN: true }), (weights, fraction) => {
        const sum = weights.reduce((a, b) => a + b, 0)
        const total = Math.floor(sum * fraction)
        const shares = allocateLargestRemainder(total, weights)
        expect(shares.every(Number.isInteger)).toBe(true)
        expect(shares.reduce((a, b) => a + b, 0)).toBe(total)
        shares.forEach((s, i) => {
          expect(s).toBeGreaterThanOrEqual(0)
          expect(s).toBeLessThanOrEqual(weights[i]!)
          // Never more than one fen off the exact proportional share.
          expect(Math.abs(s - (total * weights[i]!) / sum)).toBeLessThan(1)
        })
      }),
      { numRuns: 500 },
    )
  })
})
