import { useEffect, useRef, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Skeleton, Switch } from '@nutui/nutui-react-taro'
import { formatFen, type BasketLineInput, type OrderLineView, type QuoteResponse } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import Cover from '../../components/Cover'
import Empty from '../../components/EmptyState'
import PhoneBinder from '../../components/PhoneBinder'
import Stepper from '../../components/Stepper'
import { newIdempotencyKey } from '../../utils/idempotency'
import { payForOrder } from '../../utils/pay'
import { session } from '../../utils/session'
import { monthDay, sessionName } from '../../utils/format'
import { businessClockText } from '@xianlin/shared'
import PickupChooser, { usePickupChoices } from './PickupChooser'
import { CouponChooser, PriceRows } from './PriceParts'

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
  /** undefined: the server's choice (the best saving); null: none. */
  const [couponId, setCouponId] = useState<string | null | undefined>(undefined)
  const [usePoints, setUsePoints] = useState(false)
  const [quote, setQuote] = useState<QuoteResponse | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const key = useRef(newIdempotencyKey())
  const [phoneMissing, setPhoneMissing] = useState(() => Boolean(session.user() && !session.user()!.phoneMasked))

  useEffect(() => void api.track({ name: 'checkout_start', props: { lines: asked.length } }), [asked.length])
  useEffect(() => {
    // A changed basket is a new purchase: its own idempotency key.
    key.current = newIdempotencyKey()
    api.orders.quote({ lines: wanted, ...(couponId === undefined ? {} : { couponId }), usePoints }).then(
      (q) => {
        setQuote(q)
        setError(null)
        if (couponId === undefined) setCouponId(q.couponId)
      },
      (err: unknown) => setError(err instanceof ApiError ? err.message : '价格计算失败，请重试'),
    )
  }, [wanted, couponId, usePoints])

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

      {phoneMissing ? (
        <View className='checkout__panel'>
          <Text className='checkout__title'>联系手机（选填）</Text>
          <PhoneBinder
            why='到货和自提时，团长与门店可以联系到你'
            onBound={(m) => {
              const me = session.user()
              if (me) session.updateUser({ ...me, phoneMasked: m })
              setPhoneMissing(false)
            }}
          />
        </View>
      ) : null}

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
        <CouponChooser quote={quote} onPick={setCouponId} />
        <View className='checkout__row'>
          <Text className='checkout__label'>积分抵扣（可用 {quote.pointsBalance}）</Text>
          <Switch checked={usePoints} disabled={quote.pointsBalance <= 0} onChange={(v) => setUsePoints(v)} />
        </View>
        {quote.price.couponFen ? <Row label='优惠券抵扣' value={`-${formatFen(quote.price.couponFen)}`} red /> : null}
        {quote.price.pointsFen ? <Row label={`积分抵扣（${quote.price.pointsUsed} 积分）`} value={`-${formatFen(quote.price.pointsFen)}`} red /> : null}
      </View>

      <View className='checkout__bar'>
        <View className='checkout__total'>
          <Text className='checkout__total-label'>实付</Text>
          <Text className='checkout__total-value'>{formatFen(quote.price.payFen)}</Text>
        </View>
        <Button type='primary' loading={busy} disabled={!pickup || Boolean(error)} onClick={submit} className='checkout__pay'>
          微信支付
        </Button>
      </View>
    </View>
  )
}

function Row({ label, value, red }: { label: string; value: string; red?: boolean }) {
  return (
    <View className='checkout__row'>
      <Text className='checkout__label'>{label}</Text>
      <Text className={`checkout__value${red ? ' checkout__value--red' : ''}`}>{value}</Text>
    </View>
  )
}
