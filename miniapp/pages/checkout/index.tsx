import { useState } from 'react'
import { useLoad } from '@tarojs/taro'
import { Skeleton } from '@nutui/nutui-react-taro'
import type { BasketLineInput, CheckoutInput } from '@xianlin/shared'
import Empty from '../../components/EmptyState'
import { basket } from '../../utils/basket'
import BasketCheckout from './BasketCheckout'
import GroupCheckout from './GroupCheckout'
import './index.scss'

type What = { kind: 'group'; purchase: Pick<CheckoutInput, 'activityId' | 'tierSize' | 'groupId'> } | { kind: 'basket'; lines: BasketLineInput[]; fromCart: boolean } | { kind: 'empty' }

/**
 * 确认订单: a group-buy (`activityId` with `tierSize` or `groupId`), the basket's selected lines
 * (`from=cart`), or 立即购买's one product (`productId`, `quantity`, optionally its session `day`).
 */
export default function CheckoutPage() {
  const [what, setWhat] = useState<What | null>(null)

  useLoad((params: Record<string, string | undefined>) => {
    if (params.activityId) return setWhat({ kind: 'group', purchase: { activityId: params.activityId, ...(params.groupId ? { groupId: params.groupId } : { tierSize: Number(params.tierSize) || undefined }) } })
    if (params.productId) {
      const quantity = Math.min(99, Math.max(1, Number(params.quantity) || 1))
      return setWhat({ kind: 'basket', fromCart: false, lines: [{ productId: params.productId, quantity, ...(params.day ? { day: params.day } : {}) }] })
    }
    // The basket's selected lines that can be bought, at the prices the basket showed.
    void basket.view().then(
      (cart) => {
        const lines = cart.lines.filter((l) => l.selected && l.problem === null).map((l) => ({ productId: l.productId, day: l.day, quantity: l.quantity, unitPriceFen: l.memberUnitFen }))
        setWhat(lines.length ? { kind: 'basket', fromCart: true, lines } : { kind: 'empty' })
      },
      () => setWhat({ kind: 'empty' }),
    )
  })

  if (!what) return <Skeleton rows={10} animated className='checkout__skeleton' />
  if (what.kind === 'empty') return <Empty description='没有可以结算的商品' />
  if (what.kind === 'group') return <GroupCheckout purchase={what.purchase} />
  return <BasketCheckout wanted={what.lines} fromCart={what.fromCart} />
}
