import type { AdminOrderQuery } from '@xianlin/shared'
import { createOrderRecords } from '../modules/orders/order-records'
import { searchOrders } from '../modules/orders/order-search'
import { createCheckoutFlow } from './checkout.flow'
import type { FlowCalls, OrderFlowDeps } from './deps'
import { createOrderTransitions } from './order-states'
import { createPaymentFlow } from './payment.flow'
import { createPickupFlow } from './pickup.flow'
import { createRecoveryFlow } from './recovery.flow'
import { createRefundFlow } from './refunds.flow'
import { createAfterSaleFlow } from './after-sale.flow'
import { createShortageFlow } from './shortage.flow'
import { createChainFlow } from './chain.flow'
import { createSessionListsFlow } from './session-lists.flow'
import { createReservations } from './reservations'
import { createSettlementFlow } from './settlement.flow'

export type { OrderFlowDeps } from './deps'


/**
 * The order flows (ARCHITECTURE.md, flows/): checkout, payment, group settlement, pickup with its
 * credits, refunds with their reversals, and recovery, over the services of each domain. Each
 * flow file is one journey; they reach each other through `flows`, filled once all exist.
 * What routes and jobs use is returned, with the order reads they need.
 */
export function createOrderFlows(deps: Omit<OrderFlowDeps, 'records'>) {
  const records = createOrderRecords({ leaders: deps.leaders, clock: deps.clock, afterSaleHours: deps.rules.afterSale.windowHours })
  const c = { ...deps, records, transition: createOrderTransitions(records) }
  const flows = {} as FlowCalls
  const reservations = createReservations(c)
  const checkout = createCheckoutFlow(c, reservations)
  const refunds = createRefundFlow(c, flows)
  const all = { ...reservations, ...checkout, ...createPaymentFlow(c, flows), ...refunds, ...createAfterSaleFlow(c, refunds), ...createShortageFlow(c, refunds), ...createChainFlow(c), ...createSessionListsFlow(c), ...createSettlementFlow(c, flows), ...createPickupFlow(c, flows), ...createRecoveryFlow(c, flows) }
  Object.assign(flows, all)
  return {
    ...all,
    get: async (userId: string, orderId: string) => records.toView(await records.owned(userId, orderId)),
    list: async (userId: string, state: Parameters<typeof records.list>[1]) => Promise.all((await records.list(userId, state)).map((o) => records.toView(o))),
    /** 运营后台 → 订单: search with each order's member and timeline. */
    search: (query: AdminOrderQuery) => searchOrders(query, { timeZone: deps.rules.business.timeZone, toView: (o) => records.toView(o) }),
    hasOpenOrders: records.hasOpen,
    anomalies: records.anomalies,
  }
}

export type OrdersService = ReturnType<typeof createOrderFlows>
