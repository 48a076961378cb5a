import { useCallback, useEffect, useState } from 'react'
import { View, Text, ScrollView } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { Skeleton } from '@nutui/nutui-react-taro'
import { Search } from '@nutui/icons-react-taro'
import type { CartView, CategoryList, ShopProduct } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import Empty from '../../components/EmptyState'
import ShelfRow from '../../components/ShelfRow'
import { useShareCard } from '../../hooks/useShareCard'
import { basket } from '../../utils/basket'
import { useRules } from '../../hooks/useRules'
import { sessionRuleText } from '../../utils/rule-copy'
import './index.scss'

/**
 * 分类: the familiar two-pane shelf. Categories on the left; on the right the category's products
 * for today's session, each with a stepper that puts it in the basket without leaving the page.
 */
export default function CategoryPage() {
  const [categories, setCategories] = useState<CategoryList['categories'] | null>(null)
  const [active, setActive] = useState('')
  const [products, setProducts] = useState<ShopProduct[] | null>(null)
  const [next, setNext] = useState<number | null>(null)
  const [cart, setCart] = useState<CartView | null>(null)
  const [failed, setFailed] = useState(false)
  const rules = useRules()

  const loadCategories = useCallback(async () => {
    try {
      const list = (await api.categories()).categories
      setCategories(list)
      setActive((current) => (current && list.some((c) => c.name === current) ? current : (list[0]?.name ?? '')))
      setFailed(false)
    } catch {
      setFailed(true)
    }
  }, [])

  useDidShow(() => {
    if (!categories) void loadCategories()
    void basket.view().then(setCart, () => undefined)
  })
  useShareCard(() => ({ page: 'pages/category/index', title: rules ? `鲜邻优选：${sessionRuleText(rules)}` : '鲜邻优选：社区团购，到点自提' }))

  useEffect(() => {
    if (!active) return
    let latest = true
    setProducts(null)
    api.products({ category: active, limit: 20 }).then(
      (res) => {
        if (!latest) return
        setProducts(res.products)
        setNext(res.next)
      },
      () => latest && setFailed(true),
    )
    return () => {
      latest = false
    }
  }, [active])

  const more = () => {
    if (!next || !products) return
    const page = next
    setNext(null)
    void api.products({ category: active, limit: 20, page }).then((res) => {
      setProducts((shown) => [...(shown ?? []), ...res.products])
      setNext(res.next)
    })
  }

  const change = async (product: ShopProduct, day: string, quantity: number) => {
    const had = cart?.lines.find((l) => l.productId === product.id && l.day === day)?.quantity ?? 0
    try {
      setCart(had === 0 ? await basket.add(product.id, quantity, day, product.memberPriceFen) : await basket.update({ productId: product.id, day }, { quantity }))
      if (had === 0) Taro.showToast({ title: '已加入购物车', icon: 'success', duration: 800 })
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '没加上，请重试', icon: 'none' })
    }
  }

  if (failed && !categories) return <Empty status='network' description='网络不给力，稍后再试' />
  return (
    <View className='category'>
      <View className='category__search' onClick={() => Taro.navigateTo({ url: '/pages/search/index' })}>
        <Search size={14} color='#999' />
        <Text className='category__search-text'>搜索商品，拼音首字母也能找</Text>
      </View>
      <View className='category__panes'>
        <ScrollView scrollY className='category__rail'>
          {(categories ?? []).map((c) => (
            <View key={c.name} className={`category__tab ${c.name === active ? 'category__tab--on' : ''}`} onClick={() => setActive(c.name)}>
              <Text>{c.name}</Text>
            </View>
          ))}
        </ScrollView>
        <ScrollView scrollY className='category__list' onScrollToLower={more} lowerThreshold={200}>
          {products === null ? (
            <Skeleton rows={6} animated className='category__skeleton' />
          ) : products.length === 0 ? (
            <Empty description='这一类商品正在上新' />
          ) : (
            <>
              <Text className='category__title'>{active}</Text>
              {products.map((p) => (
                <ShelfRow key={p.id} product={p} cart={cart} onChange={change} />
              ))}
              {next ? <Text className='category__more'>加载中…</Text> : <Text className='category__more'>— 没有更多了 —</Text>}
            </>
          )}
        </ScrollView>
      </View>
    </View>
  )
}
