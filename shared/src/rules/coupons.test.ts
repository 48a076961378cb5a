import { couponDiscountFen } from './coupons'

const tenOff = { kind: 'amount' as const, amountFen: 1000, percentOff: 0, minSpendFen: 0 }
const tenOffOver50 = { ...tenOff, minSpendFen: 5000 }
const twelvePercent = { kind: 'percent' as const, amountFen: 0, percentOff: 12, minSpendFen: 0 }

describe('couponDiscountFen', () => {
  it.each([
    [tenOff, 3990, 1000],
    [tenOff, 600, 600], // never more than the order
    [tenOffOver50, 4999, 0], // below the minimum spend
    [tenOffOver50, 5000, 1000], // at the minimum exactly
    [twelvePercent, 1999, 239], // 239.88 rounds down
  ])('%o on %d fen takes %d', (terms, order, off) => expect(couponDiscountFen(terms, order)).toBe(off))
})
