import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { SearchBar, Skeleton } from '@nutui/nutui-react-taro'
import type { CartView, ProductListResponse, ShopProduct } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import Empty from '../../components/EmptyState'
import ShelfRow from '../../components/ShelfRow'
import { basket } from '../../utils/basket'
import './index.scss'

/**
 * 搜索: the whole shelf as the shopper types: names, selling points, categories and tags, and the
 * name's pinyin or initials (`caomei`, `cm`) and near misses (草梅 finds 草莓), best match first.
 * Nothing found suggests the categories and today's best sellers.
 */
export default function SearchPage() {
  const [q, setQ] = useState('')
  const [found, setFound] = useState<ProductListResponse | null>(null)
  const [failed, setFailed] = useState(false)
  /** The shop's categories, offered as searches before the shopper types. */
  const [categories, setCategories] = useState<string[]>([])
  const [cart, setCart] = useState<CartView | null>(null)

  useEffect(() => {
    void api.categories().then((res) => setCategories(res.categories.map((c) => c.name)), () => undefined)
  }, [])
  useDidShow(() => void basket.view().then(setCart, () => undefined))
  useEffect(() => {
    const text = q.trim().slice(0, 20)
    if (!text) return setFound(null)
    // Asked once the typing pauses, and only the latest answer is shown.
    let latest = true
    const timer = setTimeout(() => {
      api.products({ q: text, limit: 30 }).then(
        (res) => {
          if (!latest) return
          setFound(res)
          setFailed(false)
        },
        () => latest && setFailed(true),
      )
    }, 250)
    return () => {
      latest = false
      clearTimeout(timer)
    }
  }, [q])

  const change = async (product: ShopProduct, day: string, quantity: number) => {
    const had = cart?.lines.find((l) => l.productId === product.id && l.day === day)?.quantity ?? 0
    try {
      setCart(had === 0 ? await basket.add(product.id, quantity, day, product.memberPriceFen) : await basket.update({ productId: product.id, day }, { quantity }))
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '没加上，请重试', icon: 'none' })
    }
  }
  const rows = (products: ShopProduct[]) => products.map((p) => <ShelfRow key={p.id} product={p} cart={cart} onChange={change} />)

  return (
    <View className='search'>
      <SearchBar shape='round' placeholder='搜索商品，拼音首字母也能找' value={q} onChange={setQ} onClear={() => setQ('')} maxLength={20} />
      {!q.trim() ? (
        <View className='search__suggest'>
          <Text className='search__suggest-title'>按分类找</Text>
          <View className='search__words'>
            {categories.map((w) => (
              <Text key={w} className='search__word' onClick={() => setQ(w)}>
                {w}
              </Text>
            ))}
          </View>
        </View>
      ) : failed ? (
        <Empty status='network' description='网络不给力，稍后再试' />
      ) : found === null ? (
        <Skeleton rows={4} animated className='search__skeleton' />
      ) : found.products.length === 0 ? (
        <View className='search__none'>
          <Empty description={`没有找到“${q.trim()}”相关的商品`} />
          {found.suggestions ? (
            <>
              <Text className='search__suggest-title'>看看这些分类</Text>
              <View className='search__words'>
                {found.suggestions.categories.map((w) => (
                  <Text key={w} className='search__word' onClick={() => setQ(w)}>
                    {w}
                  </Text>
                ))}
              </View>
              <Text className='search__suggest-title'>今日热卖</Text>
              <View className='search__rows'>{rows(found.suggestions.bestSellers)}</View>
            </>
          ) : null}
        </View>
      ) : (
        <View className='search__rows'>{rows(found.products)}</View>
      )}
    </View>
  )
}
