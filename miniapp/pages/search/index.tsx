import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import { SearchBar, Skeleton } from '@nutui/nutui-react-taro'
import type { ProductView } from '@xianlin/shared'
import { api } from '../../api'
import Empty from '../../components/EmptyState'
import ProductGrid, { groupPrices } from '../../components/ProductGrid'
import './index.scss'

/** 搜索: products by any part of their name, selling point, category or tags, as the shopper types. */
export default function SearchPage() {
  const [q, setQ] = useState('')
  const [found, setFound] = useState<ProductView[] | null>(null)
  const [prices, setPrices] = useState<Record<string, number>>({})
  const [failed, setFailed] = useState(false)
  /** The shop's categories, offered as searches before the shopper types. */
  const [categories, setCategories] = useState<string[]>([])

  useEffect(() => {
    void api.groupbuys.list().then((res) => setPrices(groupPrices(res.activities)), () => undefined)
    void api.products().then((res) => setCategories([...new Set(res.products.map((p) => p.category))]), () => undefined)
  }, [])
  useEffect(() => {
    const text = q.trim().slice(0, 20)
    if (!text) return setFound(null)
    // Asked once the typing pauses, and only the latest answer is shown.
    let latest = true
    const timer = setTimeout(() => {
      api.products({ q: text }).then(
        (res) => {
          if (!latest) return
          setFound(res.products)
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

  return (
    <View className='search'>
      <SearchBar shape='round' placeholder='搜索新鲜水果、蔬菜、粮油' value={q} onChange={setQ} onClear={() => setQ('')} maxLength={20} />
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
      ) : found.length === 0 ? (
        <Empty description={`没有找到“${q.trim()}”相关的商品`} />
      ) : (
        <View className='search__results'>
          <ProductGrid products={found} prices={prices} />
        </View>
      )}
    </View>
  )
}
