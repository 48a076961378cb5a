import { Types } from 'mongoose'
import { startTestApp, devLogin, type TestApp } from '../../../test/harness'
import { OrderModel } from './order.model'
import { moveOrdersToLines } from './order-lines'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

const cover = { emoji: '🥭', tint: '#fff4d6', photo: null }
/** Orders as the shop wrote them before baskets: no lines, the product and the price on the order. */
function oldOrder(userId: string, kind: 'group' | 'solo', extra: Record<string, unknown>) {
  return {
    _id: new Types.ObjectId(),
    userId: new Types.ObjectId(userId),
    openid: 'o-old',
    idempotencyKey: `old-${kind}-${Math.random()}`,
    kind,
    groupSize: kind === 'group' ? 2 : 1,
    title: kind === 'group' ? '贵妃芒 2 人团' : '贵妃芒',
    product: { id: new Types.ObjectId().toHexString(), name: '贵妃芒', subtitle: '树上熟', unit: '箱', cover },
    storeId: new Types.ObjectId(),
    leaderId: null,
    couponId: null,
    state: 'completed',
    held: { user: false, day: null, stock: false, seat: false, coupon: false, points: false },
    holdUntil: new Date('2026-11-01T00:15:00Z'),
    createdAt: new Date('2026-11-01T00:00:00Z'),
    ...extra,
  }
}

describe('orders from before baskets', () => {
  it('read as one-line orders after the start-up move, which changes nothing when run again', async () => {
    const me = await devLogin(t, { nickname: '老顾客许阿姨' })
    const group = oldOrder(me.user.id, 'group', { quantity: 1, activityId: new Types.ObjectId(), groupId: new Types.ObjectId(), price: { listPriceFen: 3990, groupPriceFen: 2790, levelDiscountFen: 56, levelName: '普通会员', couponFen: 500, pointsUsed: 100, pointsFen: 100, payFen: 2134 } })
    const solo = oldOrder(me.user.id, 'solo', { quantity: 3, activityId: null, groupId: null, price: { listPriceFen: 11_970, groupPriceFen: 11_970, levelDiscountFen: 239, levelName: '普通会员', couponFen: 0, pointsUsed: 0, pointsFen: 0, payFen: 11_731 } })
    await OrderModel.collection.insertMany([group, solo])

    // Read before the move (an instance still moving), and after: the same one line each.
    const before = (await t.http.get('/api/orders').set(me.auth).expect(200)).body.orders
    expect(await moveOrdersToLines()).toBe(2)
    expect(await moveOrdersToLines()).toBe(0)
    const after = (await t.http.get('/api/orders').set(me.auth).expect(200)).body.orders
    expect(after).toEqual(before)

    const byKind = (kind: string) => after.find((o: { kind: string }) => o.kind === kind)
    expect(byKind('group')).toMatchObject({ itemCount: 1, pickupDays: [], lines: [{ productId: group.product.id, name: '贵妃芒', quantity: 1, day: null, pickupDay: null, listUnitFen: 3990, memberUnitFen: 2734, lineFen: 2734, couponFen: 500, pointsFen: 100, payFen: 2134 }] })
    expect(byKind('solo')).toMatchObject({ itemCount: 3, lines: [{ quantity: 3, listUnitFen: 3990, memberUnitFen: 3910, lineFen: 11_731, couponFen: 0, pointsFen: 0, payFen: 11_731 }] })
    for (const o of after) expect(o.lines.reduce((n: number, l: { payFen: number }) => n + l.payFen, 0)).toBe(o.price.payFen)
    const stored = await OrderModel.findById(group._id).lean()
    expect(stored!.lines).toHaveLength(1)
  })
})
