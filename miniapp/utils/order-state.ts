import type { OrderView } from '@xianlin/shared'

/** How an order's state reads to the shopper. */
export const ORDER_STATE_TEXT: Record<OrderView['state'], string> = {
  creating: '提交中',
  pending_payment: '待付款',
  paid: '待成团',
  confirmed: '待自提',
  completed: '已完成',
  closed: '已关闭',
  refunding: '退款中',
  refunded: '已退款',
}
