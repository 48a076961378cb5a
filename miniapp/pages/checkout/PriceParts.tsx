import { View, Text } from '@tarojs/components'
import { formatFen, type PriceBreakdown, type QuoteResponse } from '@xianlin/shared'

/** The goods amount and the member discount, as every checkout shows them. */
export function PriceRows({ price, goodsLabel, goodsFen, listFen }: { price: PriceBreakdown; goodsLabel: string; goodsFen: number; listFen?: number }) {
  return (
    <>
      {listFen !== undefined ? (
        <View className='checkout__row'>
          <Text className='checkout__label'>商品原价</Text>
          <Text className='checkout__value checkout__value--muted'>{formatFen(listFen)}</Text>
        </View>
      ) : null}
      <View className='checkout__row'>
        <Text className='checkout__label'>{goodsLabel}</Text>
        <Text className='checkout__value'>{formatFen(goodsFen)}</Text>
      </View>
      {price.levelDiscountFen ? (
        <View className='checkout__row'>
          <Text className='checkout__label'>{price.levelName}折扣</Text>
          <Text className='checkout__value checkout__value--red'>-{formatFen(price.levelDiscountFen)}</Text>
        </View>
      ) : null}
    </>
  )
}

/** 优惠券: the coupons that fit, best first, the quote's choice marked; 不使用 drops it. */
export function CouponChooser({ quote, onPick }: { quote: QuoteResponse; onPick: (couponId: string | null) => void }) {
  return (
    <View className='checkout__row'>
      <Text className='checkout__label'>优惠券</Text>
      {quote.coupons.length ? (
        <View className='checkout__coupons'>
          {[{ id: '', name: '不使用', discountFen: 0 }, ...quote.coupons].map((c) => (
            <Text key={c.id} className={(quote.couponId ?? '') === c.id ? 'checkout__coupon checkout__coupon--on' : 'checkout__coupon'} onClick={() => onPick(c.id || null)}>
              {c.discountFen ? `${c.name} -${formatFen(c.discountFen, { trimZeros: true })}` : c.name}
            </Text>
          ))}
        </View>
      ) : (
        <Text className='checkout__value checkout__value--muted'>暂无可用</Text>
      )}
    </View>
  )
}
