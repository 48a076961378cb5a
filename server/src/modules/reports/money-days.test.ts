import { businessDay } from '@xianlin/shared'
import { countCommands, startTestApp, type TestApp } from '../../../test/harness'
import { shopFixtures } from '../../../test/shop-fixtures'
import { moneyDays } from './money-days'

/** Money per day is kept between reads, and a payment since makes its day counted again before it is shown. */
let t: TestApp
const shop = shopFixtures(() => t)
beforeAll(async () => {
  t = await startTestApp(__filename, { fakePay: true })
  await shop.setUp()
})
afterAll(() => t.close())

describe('money by day', () => {
  it('shows every payment at once, and reads one document a day when nothing changed', async () => {
    const timeZone = t.config.rules.business.timeZone
    const today = businessDay(t.services.clock(), timeZone)
    const product = await shop.product('本地草莓', 2990)
    const buy = async () => {
      const shopper = await shop.shopper()
      const placed = await shop.checkout(shopper, { lines: [{ productId: product, quantity: 1 }] }).expect(201)
      await shop.pay(placed.body)
      return placed.body.order.price.payFen as number
    }
    const first = await buy()
    expect((await moneyDays(today, today, timeZone))(today)).toEqual({ paidOrders: 1, paidFen: first, refundedFen: 0, netFen: first })
    const kept = await countCommands(() => moneyDays(today, today, timeZone))
    expect(kept.commands).toBe(1)
    expect(kept.value(today).paidFen).toBe(first)

    const second = await buy()
    expect((await moneyDays(today, today, timeZone))(today)).toMatchObject({ paidOrders: 2, paidFen: first + second })
  })
})
