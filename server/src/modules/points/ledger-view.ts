import { POINT_SOURCE_TITLES, type LedgerEntryView } from '@xianlin/shared'
import type { PointEntry } from './points.service'

/** Titles that depend on both what happened and why: spending on an order is no 购物奖励. */
const TYPE_AND_SOURCE_TITLES: Record<string, string> = {
  'spend:order': '下单抵扣',
  'refund:order': '订单未成交，抵扣积分退回',
  'refund:mall': '兑换取消，积分退回',
  'spend:makeup': '补签消耗',
}

const TYPE_TITLES: Partial<Record<PointEntry['type'], string>> = {
  expire: '积分过期',
  release: '待入账积分到账',
  cancel: '订单退款，待入账积分取消',
  clawback: '订单退款，扣回积分',
  refund: '积分退回',
}

/** A ledger entry as a member (and an operator) reads it: what changed, why, the balance after. */
export function toLedgerView(e: PointEntry): LedgerEntryView {
  return {
    id: e._id,
    type: e.type,
    source: e.source,
    amount: e.availableDelta,
    pendingChange: e.pendingDelta,
    balance: e.available,
    title: TYPE_AND_SOURCE_TITLES[`${e.type}:${e.source}`] ?? TYPE_TITLES[e.type] ?? POINT_SOURCE_TITLES[e.source] ?? '积分变动',
    at: e.createdAt.toISOString(),
  }
}

