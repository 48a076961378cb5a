import { useEffect, useMemo, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Skeleton } from '@nutui/nutui-react-taro'
import { formatFen, type BasketLineInput, type OrderLineView } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import Cover from '../../components/Cover'
import Empty from '../../components/EmptyState'
import Stepper from '../../components/Stepper'
import { newIdempotencyKey } from '../../utils/idempotency'
import { payForOrder } from '../../utils/pay'
import { monthDay, sessionName } from '../../utils/format'
import { businessClockText } from '@xianlin/shared'
import PickupChooser, { usePickupChoices } from './PickupChooser'
import { useQuote } from './useQuote'
import { Deductions, PayBar, PhonePanel, PriceRows } from './PriceParts'

const ZONE = __BUSINESS_TIME_ZONE__

/** The lines of a quote by session, each with when its goods are picked up. */
function bySession(lines: OrderLineView[]): Array<{ day: string; pickup: string; lines: OrderLineView[] }> {
  const days = [...new Set(lines.map((l) => l.day ?? ''))].sort()
  return days.map((day) => {
    const ls = lines.filter((l) => (l.day ?? '') === day)
    const first = ls[0]!
    const pickup = first.pickupDay && first.pickupFrom ? `${monthDay(first.pickupDay)} ${businessClockText(new Date(first.pickupFrom), ZONE)} 后自提` : ''
    return { day, pickup, lines: ls }
  })
}

/**
 * 确认订单 for a basket (the basket's selected lines, or 立即购买's one line): the pickup point and
 * date, the lines by session at the member's price, the coupon that saves most chosen by default
 * (change it or drop it), points within the rules' cap, then one WeChat payment.
 */
export default function BasketCheckout({ wanted: asked, fromCart }: { wanted: BasketLineInput[]; fromCart: boolean }) {
  const [wanted, setWanted] = useState(asked)
  const { stores, leader, pickup, setPickup, failed: pickupFailed } = usePickupChoices()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const purchase = useMemo(() => ({ lines: wanted }), [wanted])
  const { quote, setCouponId, usePoints, setUsePoints, key } = useQuote(purchase, setError)

  useEffect(() => void api.track({ name: 'checkout_start', props: { lines: asked.length } }), [asked.length])
  const refused = async (err: ApiError) => {
    await Taro.showModal({ title: '有商品暂时买不了', content: err.message, showCancel: false, confirmText: fromCart ? '回购物车看看' : '知道了' })
    if (fromCart) void Taro.switchTab({ url: '/pages/cart/index' })
  }

  const submit = async () => {
    if (!quote || !pickup) return
    setBusy(true)
    try {
      const placed = await api.orders.checkout({ lines: wanted, ...pickup, couponId: quote.couponId, usePoints, idempotencyKey: key.current })
      key.current = newIdempotencyKey()
      await payForOrder(placed)
      Taro.redirectTo({ url: `/pages/order/index?id=${placed.order.id}` })
    } catch (err) {
      if (err instanceof ApiError && err.code === 'BASKET_REFUSED') void refused(err)
      else Taro.showToast({ title: err instanceof ApiError ? err.message : '下单失败，请重试', icon: 'none' })
    } finally {
      setBusy(false)
    }
  }

  if (error && !quote) return <Empty status='error' description={error} />
  if (pickupFailed) return <Empty status='network' description='自提点加载失败，请返回重试' />
  if (!quote) return <Skeleton rows={10} animated className='checkout__skeleton' />
  const single = wanted.length === 1 && !fromCart
  const groups = bySession(quote.lines)

  return (
    <View className='checkout'>
      <PickupChooser stores={stores} leader={leader} pickup={pickup} onPick={setPickup} />

      <View className='checkout__panel'>
        <Text className='checkout__title'>取货时间</Text>
        {groups.map((g) => (
          <Text key={g.day} className='checkout__pickup-day'>
            {g.day ? `${sessionName(g.day)}：` : ''}
            {g.pickup || '付款后到自提点提货'}
          </Text>
        ))}
      </View>

      <PhonePanel />

      {groups.map((g) => (
        <View key={g.day} className='checkout__panel'>
          {groups.length > 1 ? <Text className='checkout__title'>{sessionName(g.day)}</Text> : null}
          {g.lines.map((l) => (
            <View key={`${l.productId}:${l.day}`} className='checkout__line'>
              <Cover cover={l.cover} className='checkout__line-cover' emojiClassName='checkout__line-emoji' />
              <View className='checkout__line-body'>
                <Text className='checkout__line-name'>{l.name}</Text>
                <Text className='checkout__meta'>
                  {formatFen(l.memberUnitFen)} / {l.unit}
                  {l.memberUnitFen < l.listUnitFen ? ` · 原价 ${formatFen(l.listUnitFen)}` : ''}
                </Text>
              </View>
              {single ? (
                <Stepper value={l.quantity} max={99} onChange={(q) => q > 0 && setWanted([{ ...wanted[0]!, quantity: q }])} />
              ) : (
                <Text className='checkout__line-qty'>× {l.quantity}</Text>
              )}
            </View>
          ))}
        </View>
      ))}

      <View className='checkout__panel'>
        <PriceRows price={quote.price} goodsLabel={`商品金额（${quote.lines.reduce((n, l) => n + l.quantity, 0)} 件）`} goodsFen={quote.price.groupPriceFen} />
        <Deductions quote={quote} usePoints={usePoints} onPickCoupon={setCouponId} onUsePoints={setUsePoints} />
      </View>

      <PayBar payFen={quote.price.payFen} busy={busy} disabled={!pickup || Boolean(error)} onPay={submit} />
    </View>
  )
}

