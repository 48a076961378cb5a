import { useCallback, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button, Skeleton } from '@nutui/nutui-react-taro'
import { CheckChecked, CheckDisabled, CheckNormal } from '@nutui/icons-react-taro'
import { formatFen, type CartLine, type CartView } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import Cover from '../../components/Cover'
import Empty from '../../components/EmptyState'
import Stepper from '../../components/Stepper'
import { useSignInGate } from '../../components/SignInSheet'
import { basket } from '../../utils/basket'
import { useRules } from '../../hooks/useRules'
import { sessionRuleText } from '../../utils/rule-copy'
import { sessionName, sessionWords } from '../../utils/format'
import './index.scss'

/** Lines grouped by their session, in order of pickup; lines that cannot be bought in any session last. */
function bySession(lines: CartLine[]): Array<{ key: string; title: string; lines: CartLine[] }> {
  const groups = new Map<string, CartLine[]>()
  for (const l of lines) {
    const key = l.session ? l.day : 'gone'
    groups.set(key, [...(groups.get(key) ?? []), l])
  }
  return [...groups]
    .sort(([a], [b]) => (a === 'gone' ? 1 : b === 'gone' ? -1 : a < b ? -1 : 1))
    .map(([key, ls]) => {
      if (key === 'gone') return { key, title: '失效商品', lines: ls }
      const words = sessionWords(ls[0]!.session!)
      return { key, title: `${sessionName(key)} · ${words.pickup} · ${words.cutoff}`, lines: ls }
    })
}

/**
 * 购物车: the basket by session (a basket may span today's and tomorrow's), each line at the
 * member's price with a stepper, and when it cannot be bought now why and a one-tap fix; select
 * lines, select all, clear what cannot be bought, and check out the selected ones.
 */
export default function CartPage() {
  const [cart, setCart] = useState<CartView | null>(null)
  const [failed, setFailed] = useState(false)
  const { requireSignIn, sheet } = useSignInGate('登录后结算', { onTabPage: true })
  const rules = useRules()

  const load = useCallback(async () => {
    try {
      const fresh = await basket.view()
      setCart(fresh)
      setFailed(false)
      void api.track({ name: 'cart_view', props: { items: fresh.itemCount } })
    } catch {
      setFailed(true)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [])
  useDidShow(() => void load())
  usePullDownRefresh(() => void load())

  const apply = async (change: () => Promise<CartView>) => {
    try {
      setCart(await change())
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '操作失败，请重试', icon: 'none' })
      void load()
    }
  }

  const fix = (l: CartLine) => {
    if (!l.fix) return
    if (l.fix.kind === 'move') return apply(() => basket.update(l, { moveTo: (l.fix as { day: string }).day }))
    if (l.fix.kind === 'reduce') return apply(() => basket.update(l, { quantity: (l.fix as { quantity: number }).quantity }))
    return apply(() => basket.remove([l]))
  }

  if (failed && !cart) return <Empty status='network' description='网络不给力，下拉刷新试试' />
  if (!cart) return <Skeleton rows={8} animated className='cart__skeleton' />
  if (cart.lines.length === 0)
    return (
      <View className='cart cart--empty'>
        <Empty description={rules ? `购物车是空的，${sessionRuleText(rules)}` : '购物车是空的'} />
        <Button type='primary' className='cart__go' onClick={() => Taro.switchTab({ url: '/pages/category/index' })}>
          去逛逛
        </Button>
      </View>
    )

  const buyable = cart.lines.filter((l) => l.problem === null)
  const allSelected = buyable.length > 0 && buyable.every((l) => l.selected)
  const unavailable = cart.lines.some((l) => l.maxQuantity === 0)
  return (
    <View className='cart'>
      <View className='cart__head'>
        <Text className='cart__count'>共 {cart.itemCount} 件</Text>
        {unavailable ? (
          <Text className='cart__clear' onClick={() => apply(() => basket.remove('unavailable', cart))}>
            清除失效商品
          </Text>
        ) : null}
      </View>
      {bySession(cart.lines).map((g) => (
        <View key={g.key} className='cart__group'>
          <Text className='cart__group-title'>{g.title}</Text>
          {g.lines.map((l) => (
            <View key={`${l.productId}:${l.day}`} className='cart__line'>
              <View className='cart__check' onClick={() => l.problem === null && apply(() => basket.update(l, { selected: !l.selected }))}>
                {l.problem !== null ? <CheckDisabled color='#ddd' /> : l.selected ? <CheckChecked color='#fa2c19' /> : <CheckNormal color='#ccc' />}
              </View>
              <View onClick={() => Taro.navigateTo({ url: `/pages/product/index?id=${l.productId}` })}>
                <Cover cover={l.product.cover} className='cart__cover' emojiClassName='cart__emoji' />
              </View>
              <View className='cart__body'>
                <Text className={`cart__name ${l.problem ? 'cart__name--off' : ''}`}>{l.product.name}</Text>
                {l.product.subtitle ? <Text className='cart__sub'>{l.product.subtitle}</Text> : null}
                {l.problemText ? (
                  <View className='cart__problem'>
                    <Text className='cart__problem-text'>{l.problemText}</Text>
                    {l.fix ? (
                      <Text className='cart__fix' onClick={() => void fix(l)}>
                        {l.fix.text}
                      </Text>
                    ) : null}
                  </View>
                ) : null}
                <View className='cart__foot'>
                  <View className='cart__prices'>
                    <Text className='cart__price'>{formatFen(l.memberUnitFen)}</Text>
                    {l.memberUnitFen < l.listUnitFen ? <Text className='cart__was'>{formatFen(l.listUnitFen)}</Text> : null}
                  </View>
                  <Stepper value={l.quantity} max={Math.max(l.maxQuantity, l.problem === 'over_limit' ? 0 : l.quantity)} onChange={(q) => apply(() => basket.update(l, { quantity: q }))} />
                </View>
              </View>
            </View>
          ))}
        </View>
      ))}

      <View className='cart__bar'>
        <View className='cart__all' onClick={() => apply(() => basket.selectAll(!allSelected))}>
          {allSelected ? <CheckChecked color='#fa2c19' /> : <CheckNormal color='#ccc' />}
          <Text className='cart__all-text'>全选</Text>
        </View>
        <View className='cart__total'>
          <Text className='cart__total-label'>合计</Text>
          <Text className='cart__total-value'>{formatFen(cart.selectedFen)}</Text>
        </View>
        <Button type='primary' className='cart__checkout' disabled={cart.selectedCount === 0} onClick={() => requireSignIn(() => Taro.navigateTo({ url: '/pages/checkout/index?from=cart' }))}>
          去结算{cart.selectedCount ? `(${cart.selectedCount})` : ''}
        </Button>
      </View>
      {sheet}
    </View>
  )
}
