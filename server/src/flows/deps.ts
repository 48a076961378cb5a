import type { Types } from 'mongoose'
import type { CheckoutResponse, Rules } from '@xianlin/shared'
import type { Logger } from '../logger'
import type { WechatClient } from '../wechat'
import type { PayClient, Refund, Transaction } from '../wechat/pay/pay-client'
import type { CouponsService } from '../modules/coupons/coupons.service'
import type { EventsService } from '../modules/events/events.service'
import type { GroupBuyService } from '../modules/groupbuy/groupbuy.service'
import type { LeadersService } from '../modules/leaders/leaders.service'
import type { MembershipService } from '../modules/membership/membership.service'
import type { Order, OrderRecords } from '../modules/orders/order-records'
import type { Group } from '../modules/groupbuy/groupbuy.service'
import type { PointsService } from '../modules/points/points.service'
import type { ReferralService } from '../modules/referral/referral.service'
import type { SessionsService } from '../modules/sessions/sessions.service'
import type { BasketLines } from '../modules/cart/basket-lines'
import type { CartService } from '../modules/cart/cart.service'
import type { Transition } from './order-states'

/** What the order flows orchestrate: the services of every domain an order touches. */
export interface OrderFlowDeps {
  rules: Rules
  records: OrderRecords
  groupbuy: GroupBuyService
  coupons: CouponsService
  points: PointsService
  membership: MembershipService
  referral: ReferralService
  leaders: LeadersService
  sessions: SessionsService
  basket: BasketLines
  cart: Pick<CartService, 'removeBought'>
  events: EventsService
  pay: PayClient
  wechat: WechatClient
  groupTemplateId: string | null
  log: Logger
  clock: () => Date
  /** Tests only: runs at each named step after a write, to simulate a crash there. */
  crashAt?: (step: string) => void | Promise<void>
  /** Development only: the fake Pay server's "shopper pays in the wallet". */
  devPayer?: (prepayId: string) => Promise<number>
}

/** The deps plus the order state table's `transition`, which every flow uses to change a state. */
export type FlowContext = OrderFlowDeps & { transition: Transition }

export const MINUTE = 60_000

/** What the flows ask of each other: payment settles a group, settlement refunds and closes, recovery pays late payments. */
export interface FlowCalls {
  answer(o: Order): Promise<CheckoutResponse>
  giveBackAll(o: Order): Promise<void>
  closeAndGiveBack(orderId: Types.ObjectId, reason: string): Promise<void>
  forgetUnseen(orderId: Types.ObjectId, keyId: string): Promise<void>
  closeUnpaid(o: Order, reason: string): Promise<void>
  paid(tx: Transaction): Promise<void>
  settleGroup(g: Group): Promise<void>
  confirmSolo(o: Order): Promise<void>
  sendResult(o: Order, result: 'success' | 'failed'): Promise<void>
  issueRefund(o: Order, reason: string): Promise<void>
  noteRefund(outRefundNo: string, answer: Refund['status'] | 'ERROR'): Promise<void>
  refundSucceeded(orderId: Types.ObjectId | string): Promise<void>
  resumeRefunds(now: Date): Promise<number>
  resumeShortages(now: Date): Promise<number>
  resumeArrivals(now: Date): Promise<number>
  credit(o: Order): Promise<void>
}
