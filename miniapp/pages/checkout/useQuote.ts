import { useEffect, useRef, useState } from 'react'
import type { QuoteRequest, QuoteResponse } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import { newIdempotencyKey } from '../../utils/idempotency'

/**
 * The price of what is bought, asked again whenever it, the coupon or the points change. The
 * coupon starts as the server's choice (the best saving) and stays what the shopper then picks
 * (null: none). Each change is a new purchase with its own idempotency key (`key.current`).
 */
export function useQuote(purchase: Omit<QuoteRequest, 'couponId' | 'usePoints'>, setError: (text: string | null) => void) {
  const [couponId, setCouponId] = useState<string | null | undefined>(undefined)
  const [usePoints, setUsePoints] = useState(false)
  const [quote, setQuote] = useState<QuoteResponse | null>(null)
  const key = useRef(newIdempotencyKey())
  useEffect(() => {
    key.current = newIdempotencyKey()
    api.orders.quote({ ...purchase, ...(couponId === undefined ? {} : { couponId }), usePoints }).then(
      (q) => {
        setQuote(q)
        setError(null)
        if (couponId === undefined) setCouponId(q.couponId)
      },
      (err: unknown) => setError(err instanceof ApiError ? err.message : '价格计算失败，请重试'),
    )
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [purchase, couponId, usePoints])
  return { quote, couponId, setCouponId, usePoints, setUsePoints, key }
}
