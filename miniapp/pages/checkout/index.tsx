import { useEffect, useRef, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useLoad } from '@tarojs/taro'
import { Button, InputNumber, Skeleton, Switch } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import { CheckChecked, CheckNormal } from '@nutui/icons-react-taro'
import { formatFen, type CheckoutInput, type Cover as CoverValue, type OrderView, type PickupPoint, type QuoteResponse, type StoreView } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import { newIdempotencyKey } from '../../utils/idempotency'
import { payForOrder } from '../../utils/pay'
import Cover from '../../components/Cover'
import { useCountdown } from '../../hooks/useCountdown'
import PhoneBinder from '../../components/PhoneBinder'
import { session } from '../../utils/session'
import './index.scss'

type Purchase = Pick<CheckoutInput, 'activityId' | 'tierSize' | 'groupId' | 'productId' | 'quantity'>

/**
 * 确认订单, for a group-buy (open or join a group) or a product bought alone (单独购买, with a
 * quantity): pickup store, coupon, points, the price step by step, then WeChat Pay. A shopper who
 * comes back (reload, back, another device) while an order for this purchase waits for payment is
 * offered 继续支付 for that order, not a second order.
 */
export default function CheckoutPage() {
  const [base, setBase] = useState<Purchase | null>(null)
  /** What is bought, as the page shows it; `tiers` only for a group-buy. */
  const [what, setWhat] = useState<{ title: string; cover: CoverValue; unit: string; tiers: Array<{ size: number; priceFen: number }> } | null>(null)
  const [stores, setStores] = useState<StoreView[]>([])
  const [leaderPoint, setLeaderPoint] = useState<PickupPoint | null>(null)
  /** `leader:<id>` or `store:<id>`: a bound member's leader point comes first and is the default. */
  const [pickup, setPickup] = useState('')
  const [couponId, setCouponId] = useState<string | undefined>()
  const [usePoints, setUsePoints] = useState(false)
  const [quote, setQuote] = useState<QuoteResponse | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [unpaid, setUnpaid] = useState<OrderView | null>(null)
  const payLeft = useCountdown(unpaid?.holdUntil ?? null, 1000)
  const key = useRef(newIdempotencyKey())
  /** A first checkout is where a number helps the member most: asked here, never required. */
  const [phoneMissing, setPhoneMissing] = useState(() => Boolean(session.user() && !session.user()!.phoneMasked))

  useLoad((params: Record<string, string | undefined>) => {
    const solo = Boolean(params.productId)
    const input: Purchase = solo
      ? { productId: params.productId, quantity: Math.min(20, Math.max(1, Number(params.quantity) || 1)) }
      : { activityId: params.activityId ?? '', ...(params.groupId ? { groupId: params.groupId } : { tierSize: Number(params.tierSize) || undefined }) }
    setBase(input)
    if (solo) {
      void api.product(params.productId!).then(({ product }) => setWhat({ title: product.name, cover: product.cover, unit: product.unit, tiers: [] }), () => setError('商品不存在或已下架'))
    } else {
      void api.groupbuys.get(input.activityId!).then(({ activity }) => setWhat({ title: activity.title, cover: activity.product.cover, unit: activity.product.unit, tiers: activity.tiers }), () => setError('活动不存在或已结束'))
    }
    void Promise.all([api.stores(), api.leaders.mine().catch(() => null)]).then(
      ([res, mine]) => {
        setStores(res.stores)
        const point = mine?.leader.point?.active ? mine.leader.point : null
        setLeaderPoint(point)
        setPickup(point ? `leader:${point.leaderId}` : res.stores[0] ? `store:${res.stores[0].id}` : '')
      },
      () => setError('自提门店加载失败，请下拉刷新重试'),
    )
    void api.orders.list('pending_payment').then(
      ({ orders }) => setUnpaid(orders.find((o) => (solo ? o.kind === 'solo' && o.product.id === params.productId : o.activityId === input.activityId && (!params.groupId || o.groupId === params.groupId))) ?? null),
      () => undefined, // the checkout itself still refuses a second seat
    )
  })

  useEffect(() => {
    if (!base) return
    // A changed purchase is a new one: its own idempotency key.
    key.current = newIdempotencyKey()
    api.orders
      .quote({ ...base, couponId, usePoints })
      .then((q) => {
        setQuote(q)
        setError(null)
      })
      .catch((err: unknown) => setError(err instanceof ApiError ? err.message : '价格计算失败，请重试'))
  }, [base, couponId, usePoints])

  const submit = async () => {
    if (!base || !quote) return
    setBusy(true)
    try {
      const [kind, id] = pickup.split(':')
      const place = kind === 'leader' ? { leaderId: id } : { storeId: id }
      const placed = await api.orders.checkout({ ...base, ...place, couponId, usePoints, idempotencyKey: key.current })
      const paid = await payForOrder(placed)
      key.current = newIdempotencyKey()
      if (paid && placed.order.kind === 'group') Taro.redirectTo({ url: `/pages/group/index?id=${placed.order.groupId}` })
      else Taro.redirectTo({ url: `/pages/order/index?id=${placed.order.id}` })
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
      if (await payForOrder(await api.orders.payment(unpaid.id))) Taro.redirectTo({ url: unpaid.kind === 'group' ? `/pages/group/index?id=${unpaid.groupId}` : `/pages/order/index?id=${unpaid.id}` })
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
              {unpaid.kind === 'group' ? `${unpaid.groupSize}人团` : `单独购买 × ${unpaid.quantity}`} · 自提：{unpaid.pickup.name}
            </Text>
            <Text className='checkout__unpaid'>你有一笔订单待支付，请在 {payLeft.replace('还剩 ', '')} 内完成支付</Text>
          </View>
        </View>
        <View className='checkout__bar'>
          <View className='checkout__total'>
            <Text className='checkout__total-label'>实付</Text>
            <Text className='checkout__total-value'>{formatFen(unpaid.price.payFen)}</Text>
          </View>
          <Button type='primary' loading={busy} onClick={payUnpaid} className='checkout__pay checkout__continue'>
            继续支付
          </Button>
        </View>
      </View>
    )
  }
  if (error && !quote) return <Empty status='error' description={error} />
  if (!what || !quote || !base) return <Skeleton rows={10} animated className='checkout__skeleton' />
  const p = quote.price
  const solo = Boolean(base.productId)
  const tierSize = base.tierSize ?? what.tiers.find((t) => t.priceFen === p.groupPriceFen)?.size

  return (
    <View className='checkout'>
      <View className='checkout__panel'>
        <Text className='checkout__title'>自提点</Text>
        {leaderPoint ? (
          <View className='checkout__store checkout__store--leader' onClick={() => setPickup(`leader:${leaderPoint.leaderId}`)}>
            {pickup === `leader:${leaderPoint.leaderId}` ? <CheckChecked color='#fa2c19' /> : <CheckNormal color='#ccc' />}
            <View className='checkout__store-text'>
              <Text className='checkout__store-name'>
                {leaderPoint.name} <Text className='checkout__leader-tag'>我的团长</Text>
              </Text>
              <Text className='checkout__store-address'>
                {leaderPoint.address} · {leaderPoint.hours}
              </Text>
            </View>
          </View>
        ) : null}
        {stores.map((s) => (
          <View key={s.id} className='checkout__store' onClick={() => setPickup(`store:${s.id}`)}>
            {pickup === `store:${s.id}` ? <CheckChecked color='#fa2c19' /> : <CheckNormal color='#ccc' />}
            <View className='checkout__store-text'>
              <Text className='checkout__store-name'>{s.name}</Text>
              <Text className='checkout__store-address'>
                {s.address} · {s.hours}
              </Text>
            </View>
          </View>
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

      <View className='checkout__panel checkout__product'>
        <Cover cover={what.cover} className='checkout__cover' emojiClassName='checkout__emoji' size='medium' />
        <View className='checkout__product-body'>
          <Text className='checkout__name'>{what.title}</Text>
          {solo ? (
            <>
              <Text className='checkout__meta'>单独购买 · 每{what.unit} {formatFen(Math.round(p.listPriceFen / (base.quantity ?? 1)))}</Text>
              <View className='checkout__quantity'>
                <Text className='checkout__meta'>数量</Text>
                <InputNumber className='checkout__stepper' value={base.quantity ?? 1} min={1} max={20} onChange={(v) => setBase({ ...base, quantity: Number(v) || 1 })} />
              </View>
            </>
          ) : (
            <>
              <Text className='checkout__meta'>{base.groupId ? '参团' : `发起${tierSize ?? ''}人团`} · 1 {what.unit}</Text>
              <Text className='checkout__group-price'>拼团价 {formatFen(p.groupPriceFen)}</Text>
            </>
          )}
        </View>
      </View>

      <View className='checkout__panel'>
        {solo ? (
          <Row label={`商品金额（${base.quantity ?? 1} ${what.unit}）`} value={formatFen(p.listPriceFen)} />
        ) : (
          <>
            <Row label='商品原价' value={formatFen(p.listPriceFen)} muted />
            <Row label='拼团价' value={formatFen(p.groupPriceFen)} />
          </>
        )}
        {p.levelDiscountFen ? <Row label={`${p.levelName}折扣`} value={`-${formatFen(p.levelDiscountFen)}`} red /> : null}
        <View className='checkout__row'>
          <Text className='checkout__label'>优惠券</Text>
          {quote.coupons.length ? (
            <View className='checkout__coupons'>
              {[{ id: '', name: '不使用', discountFen: 0 }, ...quote.coupons].map((c) => (
                <Text key={c.id} className={(couponId ?? '') === c.id ? 'checkout__coupon checkout__coupon--on' : 'checkout__coupon'} onClick={() => setCouponId(c.id || undefined)}>
                  {c.discountFen ? `${c.name} -${formatFen(c.discountFen, { trimZeros: true })}` : c.name}
                </Text>
              ))}
            </View>
          ) : (
            <Text className='checkout__value checkout__value--muted'>暂无可用</Text>
          )}
        </View>
        <View className='checkout__row'>
          <Text className='checkout__label'>积分抵扣（可用 {quote.pointsBalance}）</Text>
          <Switch checked={usePoints} disabled={quote.pointsBalance <= 0} onChange={(v) => setUsePoints(v)} />
        </View>
        {p.couponFen ? <Row label='优惠券抵扣' value={`-${formatFen(p.couponFen)}`} red /> : null}
        {p.pointsFen ? <Row label={`积分抵扣（${p.pointsUsed} 积分）`} value={`-${formatFen(p.pointsFen)}`} red /> : null}
      </View>

      <View className='checkout__bar'>
        <View className='checkout__total'>
          <Text className='checkout__total-label'>实付</Text>
          <Text className='checkout__total-value'>{formatFen(p.payFen)}</Text>
        </View>
        <Button type='primary' loading={busy} disabled={!pickup || Boolean(error)} onClick={submit} className='checkout__pay'>
          微信支付
        </Button>
      </View>
    </View>
  )
}

function Row({ label, value, red, muted }: { label: string; value: string; red?: boolean; muted?: boolean }) {
  return (
    <View className='checkout__row'>
      <Text className='checkout__label'>{label}</Text>
      <Text className={`checkout__value${red ? ' checkout__value--red' : ''}${muted ? ' checkout__value--muted' : ''}`}>{value}</Text>
    </View>
  )
}
