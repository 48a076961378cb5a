import type { ReactNode } from 'react'
import { View, Text } from '@tarojs/components'
import { COUPON_SCOPE_TEXT, formatFen, type CouponView } from '@xianlin/shared'
import './index.scss'

type Terms = Pick<CouponView, 'name' | 'kind' | 'amountFen' | 'percentOff' | 'minSpendFen' | 'scope'>

/** A coupon as a ticket: its value and threshold, name, where it applies, when valid; `children` sit at its edge (a stamp, 去使用). */
export default function CouponTicket({ terms: c, validity, dim = false, className = '', children }: { terms: Terms; validity: string; dim?: boolean; className?: string; children?: ReactNode }) {
  return (
    <View className={`coupon ${dim ? 'coupon--dim' : ''} ${className}`}>
      <View className='coupon__value'>
        {c.kind === 'amount' ? (
          <Text className='coupon__amount'>
            <Text className='coupon__currency'>¥</Text>
            {formatFen(c.amountFen, { symbol: false, trimZeros: true })}
          </Text>
        ) : (
          <Text className='coupon__amount'>{(100 - c.percentOff) / 10}折</Text>
        )}
        <Text className='coupon__condition'>{c.minSpendFen > 0 ? `满${formatFen(c.minSpendFen, { symbol: false, trimZeros: true })}元可用` : '无门槛'}</Text>
      </View>
      <View className='coupon__body'>
        <Text className='coupon__name'>{c.name}</Text>
        <Text className='coupon__scope'>{COUPON_SCOPE_TEXT[c.scope]}</Text>
        <Text className='coupon__validity'>{validity}</Text>
      </View>
      {children}
    </View>
  )
}
