import { useCallback, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button, Skeleton } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import { AFTER_SALE_REASON_TEXT, AFTER_SALE_STATE_TEXT, formatFen, type AfterSaleView, type MyReview, type OrderView } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import QrCode from '../../components/QrCode'
import { useCountdown } from '../../hooks/useCountdown'
import { dateTime } from '../../utils/format'
import { ORDER_STATE_TEXT } from '../../utils/order-state'
import { orderKindText, pickupText } from '../../utils/order-text'
import { sessionName } from '../../utils/format'
import { payForOrder } from '../../utils/pay'
import Cover from '../../components/Cover'
import ReviewItem from '../../components/ReviewItem'
import { useRules } from '../../hooks/useRules'
import './index.scss'

/** One order: the pickup code and its QR once it can be picked up (and when), payment while it waits, its lines and the price. */
export default function OrderPage() {
  const [order, setOrder] = useState<OrderView | null>(null)
  const [failed, setFailed] = useState(false)
  const [busy, setBusy] = useState(false)
  const payLeft = useCountdown(order?.holdUntil ?? null, 1000)
  const id = Taro.getCurrentInstance().router?.params.id ?? ''

  const rules = useRules()
  /** The member's review of a completed order: undefined until known, null when there is none. */
  const [review, setReview] = useState<MyReview | null | undefined>(undefined)
  const [afterSales, setAfterSales] = useState<AfterSaleView[]>([])
  const load = useCallback(async () => {
    try {
      const fresh = (await api.orders.get(id)).order
      setOrder(fresh)
      if (fresh.afterSaleUntil || fresh.refundedFen) void api.afterSales.mine().then((r) => setAfterSales(r.afterSales.filter((a) => a.orderId === fresh.id)), () => undefined)
      if (fresh.state === 'completed') void api.reviews.mine(fresh.id).then((r) => setReview(r.review), () => setReview(undefined))
    } catch {
      setFailed(true)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [id])
  useDidShow(() => void load())
  usePullDownRefresh(() => void load())

  const pay = async () => {
    if (!order) return
    setBusy(true)
    try {
      if (await payForOrder(await api.orders.payment(order.id))) {
        if (order.kind === 'group') Taro.redirectTo({ url: `/pages/group/index?id=${order.groupId}` })
        else void load() // bought alone: the pickup code shows here
      }
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '支付失败，请重试', icon: 'none' })
      void load()
    } finally {
      setBusy(false)
    }
  }

  if (failed) return <Empty status='error' description='订单不存在' />
  if (!order) return <Skeleton rows={8} animated className='order__skeleton' />
  const p = order.price
  // 售后 is open for lines handed over and not all refunded, until the window after the last hand-over.
  const claimable = (i: number) => Boolean(order.afterSaleUntil && new Date(order.afterSaleUntil) > new Date() && order.lines[i]!.handedQty > 0 && order.lines[i]!.refundedQty < order.lines[i]!.quantity)
  return (
    <View className='order'>
      <View className='order__status'>
        <Text className='order__state'>{ORDER_STATE_TEXT[order.state]}</Text>
        {order.state === 'pending_payment' ? <Text className='order__hint'>请在 {payLeft.replace('还剩 ', '')} 内完成支付，超时自动取消</Text> : null}
        {order.state === 'paid' && order.kind === 'group' ? <Text className='order__hint'>已支付，邀请好友参团，满员即成团</Text> : null}
        {order.state === 'refunded' ? <Text className='order__hint'>已原路退款{order.refundedAt ? ` · ${dateTime(order.refundedAt)}` : ''}</Text> : null}
        {order.state !== 'refunded' && order.refundedFen ? <Text className='order__hint'>部分商品已退款 {formatFen(order.refundedFen)}，原路退回</Text> : null}
        {order.state === 'completed' && order.completedAt ? <Text className='order__hint'>已于 {dateTime(order.completedAt)} 自提</Text> : null}
        {order.state === 'confirmed' && pickupText(order) ? <Text className='order__hint'>{pickupText(order)}，到货后凭提货码自提</Text> : null}
      </View>

      {order.pickupCode ? (
        <View className='order__panel order__pickup'>
          <Text className='order__panel-title'>到店出示提货码</Text>
          <QrCode text={order.pickupCode} size={400} />
          <Text className='order__code'>{order.pickupCode}</Text>
          <Text className='order__store'>{order.pickup.name}</Text>
          <Text className='order__address'>{order.pickup.address}</Text>
        </View>
      ) : null}

      <View className='order__panel'>
        {order.kind === 'group' ? (
          <View className='order__product' onClick={() => Taro.navigateTo({ url: `/pages/group/index?id=${order.groupId}` })}>
            <Cover cover={order.product.cover} className='order__cover' emojiClassName='order__emoji' size='medium' />
            <View className='order__body'>
              <Text className='order__name'>{order.title}</Text>
              <Text className='order__meta'>{orderKindText(order)} · 查看拼团 ›</Text>
            </View>
          </View>
        ) : (
          order.lines.map((l, i) => (
            <View key={`${l.productId}:${l.day}`} className='order__product' onClick={() => Taro.navigateTo({ url: `/pages/product/index?id=${l.productId}` })}>
              <Cover cover={l.cover} className='order__cover' emojiClassName='order__emoji' />
              <View className='order__body'>
                <Text className='order__name'>{l.name}</Text>
                <Text className='order__meta'>
                  {formatFen(l.memberUnitFen)} × {l.quantity}
                  {l.day ? ` · ${sessionName(l.day)}` : ''}
                </Text>
                {l.refundedQty ? <Text className='order__refunded'>已退 {l.refundedQty} 件 · {formatFen(l.refundedFen)}</Text> : null}
                {order.state === 'confirmed' && l.handedQty > 0 && l.handedQty < l.quantity ? <Text className='order__refunded'>已提 {l.handedQty} 件</Text> : null}
              </View>
              <View className='order__line-side'>
                <Text className='order__line-pay'>{formatFen(l.lineFen)}</Text>
                {claimable(i) ? (
                  <Text
                    className='order__after-sale'
                    onClick={(e) => {
                      e.stopPropagation()
                      Taro.navigateTo({ url: `/pages/after-sale/index?orderId=${order.id}&line=${i}` })
                    }}
                  >
                    申请售后
                  </Text>
                ) : null}
              </View>
            </View>
          ))
        )}
        <Line label={order.kind === 'group' ? '拼团价' : `商品金额（${order.itemCount} 件）`} value={formatFen(p.groupPriceFen)} />
        {p.levelDiscountFen ? <Line label={`${p.levelName}折扣`} value={`-${formatFen(p.levelDiscountFen)}`} /> : null}
        {p.couponFen ? <Line label='优惠券' value={`-${formatFen(p.couponFen)}`} /> : null}
        {p.pointsFen ? <Line label={`积分抵扣（${p.pointsUsed}）`} value={`-${formatFen(p.pointsFen)}`} /> : null}
        <Line label='实付' value={formatFen(p.payFen)} strong />
        {order.refundedFen ? <Line label='已退款' value={formatFen(order.refundedFen)} /> : null}
        <Line label='订单号' value={`…${order.id.slice(-6)}`} />
        <Line label='下单时间' value={dateTime(order.createdAt)} />
        <Line label={order.pickup.kind === 'leader' ? '团长自提点' : '自提门店'} value={order.pickup.name} />
      </View>

      {afterSales.length ? (
        <View className='order__panel'>
          <Text className='order__panel-title'>售后进度</Text>
          {afterSales.map((a) => (
            <View key={a.id} className='order__after-sale-item'>
              <View className='order__line'>
                <Text>
                  {a.productName} × {a.quantity} · {AFTER_SALE_REASON_TEXT[a.reason]}
                </Text>
                <Text className={a.state === 'rejected' ? '' : 'order__strong'}>{AFTER_SALE_STATE_TEXT[a.state]}</Text>
              </View>
              <Text className='order__after-sale-note'>
                {a.state === 'refunded' ? `已退款 ${formatFen(a.fen)}，原路退回` : a.state === 'rejected' ? `未通过：${a.decision ?? ''}` : `申请退款 ${formatFen(a.fen)} · ${dateTime(a.createdAt)} 提交`}
              </Text>
            </View>
          ))}
        </View>
      ) : null}

      {order.state === 'completed' && review !== undefined ? (
        <View className='order__panel'>
          <Text className='order__panel-title'>我的评价</Text>
          {review ? (
            <ReviewItem review={review.state === 'visible' ? review : { ...review, photos: [] }} note={reviewNote(review)} />
          ) : (
            <Button type='primary' fill='outline' block className='order__review' onClick={() => Taro.navigateTo({ url: `/pages/review/index?orderId=${order.id}` })}>
              评价晒单{rules && rules.points.review > 0 ? `，得 ${rules.points.review} 积分` : ''}
            </Button>
          )}
        </View>
      ) : null}

      {order.state === 'pending_payment' ? (
        <View className='order__bar'>
          <Button type='primary' block loading={busy} onClick={pay}>
            立即支付 {formatFen(p.payFen)}
          </Button>
        </View>
      ) : null}
    </View>
  )
}

/** What the author is told of a review not on the product page; its photos show once it is published. */
function reviewNote(review: MyReview): string | undefined {
  const photos = review.photos.length ? `（${review.photos.length} 张图片届时一并展示）` : ''
  if (review.state === 'pending') return `审核中，通过后展示在商品页${photos}`
  if (review.state === 'hidden') return '该评价未在商品页展示'
  return undefined
}

function Line({ label, value, strong }: { label: string; value: string; strong?: boolean }) {
  return (
    <View className='order__line'>
      <Text>{label}</Text>
      <Text className={strong ? 'order__strong' : ''}>{value}</Text>
    </View>
  )
}
