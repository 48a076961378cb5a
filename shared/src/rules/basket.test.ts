import fc from 'fast-check'
import { priceBasket } from './basket'
import { couponDiscountFen, defaultCoupon, type CouponTerms } from './coupons'

const points = { pointsPerYuan: 100, maxDeductionPercent: 50 }
const regular = { name: '普通会员', priceRatePercent: 98 }
const amount = (amountFen: number, minSpendFen = 0): CouponTerms => ({ kind: 'amount', amountFen, percentOff: 0, minSpendFen })

describe('priceBasket', () => {
  it('prices each unit at the member rate, takes the coupon and points off the whole, and shares both out by line', () => {
    const { price, lines } = priceBasket({
      lines: [
        { quantity: 2, listUnitFen: 990, unitFen: 990 },
        { quantity: 1, listUnitFen: 4590, unitFen: 4590 },
        { quantity: 1, listUnitFen: 3280, unitFen: 2990 },
      ],
      level: regular,
      coupon: amount(1000),
      pointsBalance: 500,
      usePoints: true,
      points,
    })
    // 970 × 2 + 4498 + 2930 = 9368 after the member rate; 1000 off; 500 points pay ¥5.
    expect(price).toEqual({ listPriceFen: 9850, groupPriceFen: 9560, levelDiscountFen: 192, levelName: '普通会员', couponFen: 1000, pointsUsed: 500, pointsFen: 500, payFen: 7868 })
    expect(lines.map((l) => [l.memberUnitFen, l.lineFen, l.couponFen, l.pointsFen, l.payFen])).toEqual([
      [970, 1940, 207, 104, 1629],
      [4498, 4498, 480, 240, 3778],
      [2930, 2930, 313, 156, 2461],
    ])
  })

  it('never lets the coupon or points take the last fen', () => {
    const { price, lines } = priceBasket({ lines: [{ quantity: 1, listUnitFen: 500, unitFen: 500 }], level: { name: 'x', priceRatePercent: 100 }, coupon: amount(1000), pointsBalance: 10_000, usePoints: true, points })
    expect(price).toMatchObject({ couponFen: 499, pointsFen: 0, payFen: 1 })
    expect(lines[0]!.payFen).toBe(1)
  })

  const line = fc.record({ quantity: fc.integer({ min: 1, max: 20 }), listUnitFen: fc.integer({ min: 1, max: 50_000 }), unitFen: fc.integer({ min: 1, max: 50_000 }) })
  const coupon = fc.option(
    fc.oneof(
      fc.record({ kind: fc.constant('amount' as const), amountFen: fc.integer({ min: 1, max: 100_000 }), percentOff: fc.constant(0), minSpendFen: fc.integer({ min: 0, max: 50_000 }) }),
      fc.record({ kind: fc.constant('percent' as const), amountFen: fc.constant(0), percentOff: fc.integer({ min: 1, max: 90 }), minSpendFen: fc.integer({ min: 0, max: 50_000 }) }),
    ),
    { nil: null },
  )

  it('gives every line an integer share, none negative or above its line, adding up exactly to what is paid', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 50 }), coupon, fc.integer({ min: 0, max: 1_000_000 }), fc.boolean(), fc.integer({ min: 50, max: 100 }), fc.integer({ min: 0, max: 100 }), (lines, c, balance, usePoints, rate, maxPct) => {
        const r = priceBasket({ lines, level: { name: 'x', priceRatePercent: rate }, coupon: c, pointsBalance: balance, usePoints, points: { pointsPerYuan: 100, maxDeductionPercent: maxPct } })
        const sum = (k: 'couponFen' | 'pointsFen' | 'payFen' | 'lineFen') => r.lines.reduce((a, l) => a + l[k], 0)
        for (const l of r.lines) {
          for (const v of [l.couponFen, l.pointsFen, l.payFen]) {
            expect(Number.isInteger(v)).toBe(true)
            expect(v).toBeGreaterThanOrEqual(0)
            expect(v).toBeLessThanOrEqual(l.lineFen)
          }
          expect(l.couponFen + l.pointsFen + l.payFen).toBe(l.lineFen)
        }
        expect(sum('payFen')).toBe(r.price.payFen)
        expect(sum('couponFen')).toBe(r.price.couponFen)
        expect(sum('pointsFen')).toBe(r.price.pointsFen)
        expect(sum('lineFen')).toBe(r.price.groupPriceFen - r.price.levelDiscountFen)
        expect(r.price.payFen).toBeGreaterThanOrEqual(1)
        expect(r.price.pointsUsed).toBeLessThanOrEqual(usePoints ? balance : 0)
      }),
      { numRuns: 400 },
    )
  })
})

describe('defaultCoupon (the best saving)', () => {
  const wallet = (basketFen: number, coupons: Array<[id: string, terms: CouponTerms, validTo: string]>) =>
    coupons.map(([id, terms, validTo]) => ({ id, validTo, discountFen: Math.min(couponDiscountFen(terms, basketFen), basketFen - 1) }))
  const tenOff = amount(1000)
  const fiveOver59 = amount(500, 5900)
  const twentyOver99 = amount(2000, 9900)
  const twelvePct: CouponTerms = { kind: 'percent', amountFen: 0, percentOff: 12, minSpendFen: 0 }
  it.each([
    ['an owned ¥10 no-threshold coupon on a ¥40 basket', 4000, [['a', fiveOver59, '2026-12-31'], ['b', tenOff, '2026-12-31']], 'b'],
    ['the threshold one once the basket reaches it', 9900, [['a', tenOff, '2026-12-31'], ['b', twentyOver99, '2026-12-31']], 'b'],
    ['a percentage when it saves more', 12_000, [['a', tenOff, '2026-12-31'], ['b', twelvePct, '2026-12-31']], 'b'],
    ['the amount when the percentage saves less', 5000, [['a', tenOff, '2026-12-31'], ['b', twelvePct, '2026-12-31']], 'a'],
    ['the one expiring first among equal savings', 5000, [['a', tenOff, '2026-12-31'], ['b', tenOff, '2026-12-10']], 'b'],
    ['none when nothing reaches its threshold', 3000, [['a', fiveOver59, '2026-12-31']], null],
    ['none from an empty wallet', 3000, [], null],
  ] as Array<[string, number, Array<[string, CouponTerms, string]>, string | null]>)('picks %s', (_what, basket, coupons, best) => {
    expect(defaultCoupon(wallet(basket, coupons), 'best_saving')?.id ?? null).toBe(best)
    expect(defaultCoupon(wallet(basket, coupons), 'none')).toBeNull()
  })
})
