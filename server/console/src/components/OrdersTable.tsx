import { useState } from 'react'
import { Link } from 'react-router-dom'
import { Button, Table, Tag, Timeline } from 'antd'
import { businessDateTimeText, formatFen, ORDER_EVENT_TEXT, ORDER_STATE_TEXT, type AdminOrder } from '@xianlin/shared'
import { RefundDialog } from './RefundDialog'
import { can, useSession } from '../session'

/** An order's lines: each product with its session and pickup day, quantity, price and what the line was paid. */
export function OrderLines({ order }: { order: AdminOrder }) {
  return (
    <Table
      size="small"
      rowKey={(l) => `${l.productId}:${l.day ?? ''}`}
      dataSource={order.lines}
      pagination={false}
      columns={[
        { title: '商品', dataIndex: 'name' },
        { title: '团期', render: (_, l) => l.day ?? '—' },
        { title: '自提日', render: (_, l) => l.pickupDay ?? '—' },
        { title: '数量', dataIndex: 'quantity' },
        { title: '会员单价', render: (_, l) => formatFen(l.memberUnitFen) },
        { title: '小计', render: (_, l) => formatFen(l.lineFen) },
        { title: '券与积分分摊', render: (_, l) => (l.couponFen + l.pointsFen ? `-${formatFen(l.couponFen + l.pointsFen)}` : '—') },
        { title: '实付', render: (_, l) => formatFen(l.payFen) },
        { title: '已提', render: (_, l) => l.handedQty || '—' },
        { title: '已退', render: (_, l) => (l.refundedQty ? `${l.refundedQty} 件 · ${formatFen(l.refundedFen)}` : '—') },
      ]}
    />
  )
}

/** An order's life, step by step, as the order's own timestamps record it. */
export function OrderTimeline({ order, when }: { order: AdminOrder; when: (at: string) => string }) {
  return (
    <Timeline
      style={{ marginTop: 12 }}
      items={[
        ...order.timeline.map((s) => ({ children: `${when(s.at)}  ${ORDER_EVENT_TEXT[s.event]}${s.note ? `（${s.note}）` : ''}` })),
        { color: 'gray', children: `当前状态：${ORDER_STATE_TEXT[order.state]}` },
      ]}
    />
  )
}

/**
 * Orders with their timelines (expand a row) and, for operators who handle refunds, the refund
 * dialog (lines, amount, reason) on an order waiting for pickup or picked up. Used by 订单 and by a
 * member's profile.
 */
export function OrdersTable({ orders, loading, onChanged, showMember = true }: { orders: AdminOrder[]; loading?: boolean; onChanged: () => unknown; showMember?: boolean }) {
  const { session } = useSession()
  const when = (at: string) => businessDateTimeText(new Date(at), session.timeZone)
  const [refunding, setRefunding] = useState<AdminOrder | null>(null)

  return (
    <>
    {refunding && <RefundDialog order={refunding} open onClose={() => setRefunding(null)} onDone={onChanged} />}
    <Table<AdminOrder>
      rowKey="id"
      dataSource={orders}
      loading={loading}
      pagination={false}
      locale={{ emptyText: '没有订单' }}
      expandable={{
        expandedRowRender: (o) => (
          <>
            <OrderLines order={o} />
            <OrderTimeline order={o} when={when} />
          </>
        ),
      }}
      columns={[
        { title: '订单号', dataIndex: 'id', render: (id: string) => <span style={{ fontFamily: 'monospace' }}>{id}</span> },
        ...(showMember ? [{ title: '会员', render: (_: unknown, o: AdminOrder) => (can(session, 'members') ? <Link to={`/members/${o.member.id}`}>{o.member.nickname}</Link> : o.member.nickname) }] : []),
        { title: '商品', render: (_, o) => (o.lines.length > 1 ? `${o.title}（共 ${o.itemCount} 件）` : `${o.title}${o.itemCount > 1 ? ` × ${o.itemCount}` : ''}`) },
        { title: '实付', render: (_, o) => (o.refundedFen ? `${formatFen(o.price.payFen)}（已退 ${formatFen(o.refundedFen)}）` : formatFen(o.price.payFen)) },
        { title: '自提', render: (_, o) => `${o.pickup.kind === 'leader' ? '团长点' : '门店'} · ${o.pickup.name}` },
        { title: '状态', dataIndex: 'state', render: (st: AdminOrder['state']) => <Tag>{ORDER_STATE_TEXT[st]}</Tag> },
        { title: '下单时间', dataIndex: 'createdAt', render: when },
        {
          title: '操作',
          render: (_, o) =>
            (o.state === 'completed' || o.state === 'confirmed') && can(session, 'refunds') && o.refundedFen < o.price.payFen ? (
              <Button size="small" danger onClick={() => setRefunding(o)}>
                退款
              </Button>
            ) : null,
        },
      ]}
    />
    </>
  )
}
