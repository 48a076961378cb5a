import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Types } from 'mongoose'
import { ORDER_STATES, type OrderState } from '@xianlin/shared'
import { startTestApp, type TestApp } from '../../test/harness'
import { OrderModel } from '../modules/orders/order.model'
import { createOrderRecords } from '../modules/orders/order-records'
import { createOrderTransitions, nextState, ORDER_EVENTS, ORDER_TRANSITIONS } from './order-states'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

const orderIn = (state: OrderState) =>
  OrderModel.create({
    userId: new Types.ObjectId(),
    openid: 'o-test',
    idempotencyKey: `k-${new Types.ObjectId()}`,
    activityId: new Types.ObjectId(),
    groupSize: 2,
    title: '状态表测试',
    product: { id: 'p', name: '测试', subtitle: '', unit: '份', cover: { emoji: '🍎', tint: '#fff' } },
    price: { listPriceFen: 100, groupPriceFen: 90, levelDiscountFen: 0, levelName: '普通会员', couponFen: 0, pointsUsed: 0, pointsFen: 0, payFen: 90 },
    state,
    holdUntil: new Date(),
    createdAt: new Date(),
  })

describe('the order state table', () => {
  it('names only known states, and every state but the start is reached by some event', () => {
    for (const row of Object.values(ORDER_TRANSITIONS)) for (const s of [...row.from, row.to]) expect(ORDER_STATES).toContain(s)
    const reached = new Set(Object.values(ORDER_TRANSITIONS).map((r) => r.to))
    expect(ORDER_STATES.filter((s) => s !== 'creating' && !reached.has(s))).toEqual([])
  })

  it('every (state, event) pair on the database either follows the table or is refused and changes nothing', async () => {
    const transition = createOrderTransitions(createOrderRecords({ leaders: t.services.leaders, clock: () => new Date(), afterSaleHours: 48 }))
    const seen: string[] = []
    for (const state of ORDER_STATES) {
      for (const event of ORDER_EVENTS) {
        const o = await orderIn(state)
        const after = await transition(o._id, event, { closeReason: `by ${event}` })
        const stored = (await OrderModel.findById(o._id).lean())!
        const expected = nextState(state, event)
        if (expected) {
          expect(after?.state).toBe(expected)
          expect(stored).toMatchObject({ state: expected, closeReason: `by ${event}` })
        } else {
          expect(after).toBeNull()
          expect(stored).toMatchObject({ state, closeReason: null })
        }
        seen.push(`${state}×${event}`)
      }
    }
    expect(seen).toHaveLength(ORDER_STATES.length * ORDER_EVENTS.length)
  })

  it('lets one of racing events win: paid and closed at once on an unpaid order', async () => {
    const transition = createOrderTransitions(createOrderRecords({ leaders: t.services.leaders, clock: () => new Date(), afterSaleHours: 48 }))
    for (let i = 0; i < 5; i++) {
      const o = await orderIn('pending_payment')
      const [paid, closed] = await Promise.all([transition(o._id, 'paid'), transition(o._id, 'closed')])
      expect([paid, closed].filter(Boolean)).toHaveLength(1)
      expect((await OrderModel.findById(o._id).lean())!.state).toBe(paid ? 'paid' : 'closed')
    }
  })

  it('is the only way an order changes state: no other source file writes an order state', () => {
    const root = join(__dirname, '..')
    const files: string[] = []
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name)
        if (e.isDirectory()) walk(p)
        else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) files.push(p)
      }
    }
    walk(root)
    const callers = files.filter((f) => readFileSync(f, 'utf8').includes('changeState(')).map((f) => f.slice(root.length + 1))
    expect(callers).toEqual(['flows/order-states.ts'])
    // The order model is written only by the orders domain's records (and the pay fake reads none).
    const writers = files.filter((f) => /OrderModel\.(updateOne|updateMany|findOneAndUpdate|findByIdAndUpdate)/.test(readFileSync(f, 'utf8'))).map((f) => f.slice(root.length + 1))
    expect(writers).toEqual(['modules/orders/order-records.ts'])
  })
})
