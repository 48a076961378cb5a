import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Skeleton } from '@nutui/nutui-react-taro'
import { formatFen, type CheckoutInput, type Cover as CoverValue, type OrderView } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import Cover from '../../components/Cover'
import Empty from '../../components/EmptyState'
import { useCountdown } from '../../hooks/useCountdown'
import { newIdempotencyKey } from '../../utils/idempotency'
import { payForOrder } from '../../utils/pay'
import PickupChooser, { usePickupChoices } from './PickupChooser'
import { useQuote } from './useQuote'
import { Deductions, PayBar, PhonePanel, PriceRows } from './PriceParts'

type Purchase = Pick<CheckoutInput, 'activityId' | 'tierSize' | 'groupId'>

/**
 * 确认订单 for a group-buy (open or join a group, one unit): pickup point, coupon (the best saving
 * chosen by default), points, the price step by step, then WeChat Pay. A shopper who comes back
 * (reload, back, another device) while an order for this group-buy waits for payment is offered
 * 继续支付 for that order, not a second order.
 */
export default function GroupCheckout({ purchase }: { purchase: Purchase }) {
  const [what, setWhat] = useState<{ title: string; cover: CoverValue; unit: string; tiers: Array<{ size: number; priceFen: number }> } | null>(null)
  const { stores, leader, pickup, setPickup, failed: pickupFailed } = usePickupChoices()
  const [error, setError] = useState<string | null>(null)
  const { quote, setCouponId, usePoints, setUsePoints, key } = useQuote(purchase, setError)
  const [busy, setBusy] = useState(false)
  const [unpaid, setUnpaid] = useState<OrderView | null>(null)
  const payLeft = useCountdown(unpaid?.holdUntil ?? null, 1000)

  useEffect(() => {
    void api.groupbuys.get(purchase.activityId!).then(({ activity }) => setWhat({ title: activity.title, cover: activity.product.cover, unit: activity.product.unit, tiers: activity.tiers }), () => setError('活动不存在或已结束'))
    void api.orders.list('pending_payment').then(
      ({ orders }) => setUnpaid(orders.find((o) => o.activityId === purchase.activityId && (!purchase.groupId || o.groupId === purchase.groupId)) ?? null),
      () => undefined, // the checkout itself still refuses a second seat
    )
  }, [purchase])

  const submit = async () => {
    if (!quote || !pickup) return
    setBusy(true)
    try {
      const placed = await api.orders.checkout({ ...purchase, ...pickup, couponId: quote.couponId, usePoints, idempotencyKey: key.current })
      const paid = await payForOrder(placed)
      key.current = newIdempotencyKey()
      Taro.redirectTo({ url: paid ? `/pages/group/index?id=${placed.order.groupId}` : `/pages/order/index?id=${placed.order.id}` })
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '下单失败，请重试', icon: 'none' })
    } finally {
      setBusy(false)
    }
  }

  const payUnpaid = async () => {
    if (!unpaid) return
    setBusy(true)
    try {
      if (await payForOrder(await api.orders.payment(unpaid.id))) Taro.redirectTo({ url: `/pages/group/index?id=${unpaid.groupId}` })
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '支付失败，请重试', icon: 'none' })
    } finally {
      setBusy(false)
    }
  }

  if (unpaid) {
    return (
      <View className='checkout'>
        <View className='checkout__panel checkout__product'>
          <Cover cover={unpaid.product.cover} className='checkout__cover' emojiClassName='checkout__emoji' size='medium' />
          <View className='checkout__product-body'>
            <Text className='checkout__name'>{unpaid.title}</Text>
            <Text className='checkout__meta'>
              {unpaid.groupSize}人团 · 自提：{unpaid.pickup.name}
            </Text>
            <Text className='checkout__unpaid'>你有一笔订单待支付，请在 {payLeft.replace('还剩 ', '')} 内完成支付</Text>
          </View>
        </View>
        <PayBar payFen={unpaid.price.payFen} busy={busy} onPay={payUnpaid} label='继续支付' className='checkout__continue' />
      </View>
    )
  }
  if (error && !quote) return <Empty status='error' description={error} />
  if (pickupFailed) return <Empty status='network' description='自提点加载失败，请返回重试' />
  if (!what || !quote) return <Skeleton rows={10} animated className='checkout__skeleton' />
  const p = quote.price
  const tierSize = purchase.tierSize ?? what.tiers.find((t) => t.priceFen === p.groupPriceFen)?.size

  return (
    <View className='checkout'>
      <PickupChooser stores={stores} leader={leader} pickup={pickup} onPick={setPickup} />

      <PhonePanel />

      <View className='checkout__panel checkout__product'>
        <Cover cover={what.cover} className='checkout__cover' emojiClassName='checkout__emoji' size='medium' />
        <View className='checkout__product-body'>
          <Text className='checkout__name'>{what.title}</Text>
          <Text className='checkout__meta'>
            {purchase.groupId ? '参团' : `发起${tierSize ?? ''}人团`} · 1 {what.unit}
          </Text>
          <Text className='checkout__group-price'>拼团价 {formatFen(p.groupPriceFen)}</Text>
        </View>
      </View>

      <View className='checkout__panel'>
        <PriceRows price={p} listFen={p.listPriceFen} goodsLabel='拼团价' goodsFen={p.groupPriceFen} />
        <Deductions quote={quote} usePoints={usePoints} onPickCoupon={setCouponId} onUsePoints={setUsePoints} />
      </View>

      <PayBar payFen={p.payFen} busy={busy} disabled={!pickup || Boolean(error)} onPay={submit} />
    </View>
  )
}

