import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { Button, Switch } from '@nutui/nutui-react-taro'
import { formatFen, type PriceBreakdown, type QuoteResponse } from '@xianlin/shared'
import PhoneBinder from '../../components/PhoneBinder'
import { session } from '../../utils/session'

/** The pieces both checkouts (a group-buy, a basket) show the same way. */

function Row({ label, value, tone }: { label: string; value: string; tone?: 'red' | 'muted' }) {
  return (
    <View className='checkout__row'>
      <Text className='checkout__label'>{label}</Text>
      <Text className={`checkout__value${tone ? ` checkout__value--${tone}` : ''}`}>{value}</Text>
    </View>
  )
}

/** The goods amount and the member discount. */
export function PriceRows({ price, goodsLabel, goodsFen, listFen }: { price: PriceBreakdown; goodsLabel: string; goodsFen: number; listFen?: number }) {
  return (
    <>
      {listFen !== undefined ? <Row label='商品原价' value={formatFen(listFen)} tone='muted' /> : null}
      <Row label={goodsLabel} value={formatFen(goodsFen)} />
      {price.levelDiscountFen ? <Row label={`${price.levelName}折扣`} value={`-${formatFen(price.levelDiscountFen)}`} tone='red' /> : null}
    </>
  )
}

/**
 * 优惠券 and 积分抵扣: the coupons that fit, best first, the quote's choice marked (不使用 drops it),
 * the points switch, and what each takes off.
 */
export function Deductions({ quote, usePoints, onPickCoupon, onUsePoints }: { quote: QuoteResponse; usePoints: boolean; onPickCoupon: (couponId: string | null) => void; onUsePoints: (use: boolean) => void }) {
  const p = quote.price
  return (
    <>
      <View className='checkout__row'>
        <Text className='checkout__label'>优惠券</Text>
        {quote.coupons.length ? (
          <View className='checkout__coupons'>
            {[{ id: '', name: '不使用', discountFen: 0 }, ...quote.coupons].map((c) => (
              <Text key={c.id} className={(quote.couponId ?? '') === c.id ? 'checkout__coupon checkout__coupon--on' : 'checkout__coupon'} onClick={() => onPickCoupon(c.id || null)}>
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
        <Switch checked={usePoints} disabled={quote.pointsBalance <= 0} onChange={onUsePoints} />
      </View>
      {p.couponFen ? <Row label='优惠券抵扣' value={`-${formatFen(p.couponFen)}`} tone='red' /> : null}
      {p.pointsFen ? <Row label={`积分抵扣（${p.pointsUsed} 积分）`} value={`-${formatFen(p.pointsFen)}`} tone='red' /> : null}
    </>
  )
}

/** A first checkout is where a number helps the member most: asked here, never required. */
export function PhonePanel() {
  const [missing, setMissing] = useState(() => Boolean(session.user() && !session.user()!.phoneMasked))
  if (!missing) return null
  return (
    <View className='checkout__panel'>
      <Text className='checkout__title'>联系手机（选填）</Text>
      <PhoneBinder
        why='到货和自提时，团长与门店可以联系到你'
        onBound={(m) => {
          const me = session.user()
          if (me) session.updateUser({ ...me, phoneMasked: m })
          setMissing(false)
        }}
      />
    </View>
  )
}

/** 实付 and the pay button, fixed to the bottom. */
export function PayBar({ payFen, busy, disabled, onPay, label = '微信支付', className = '' }: { payFen: number; busy: boolean; disabled?: boolean; onPay: () => void; label?: string; className?: string }) {
  return (
    <View className='checkout__bar'>
      <View className='checkout__total'>
        <Text className='checkout__total-label'>实付</Text>
        <Text className='checkout__total-value'>{formatFen(payFen)}</Text>
      </View>
      <Button type='primary' loading={busy} disabled={disabled} onClick={onPay} className={`checkout__pay ${className}`}>
        {label}
      </Button>
    </View>
  )
}
