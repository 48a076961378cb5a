import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { ActivityView, ShopProduct } from '@xianlin/shared'
import ProductCard from '../ProductCard'
import './index.scss'

/** The lowest group price of each product a group-buy sells now, from the activity list. */
export function groupPrices(activities: ActivityView[]): Record<string, number> {
  const prices: Record<string, number> = {}
  for (const a of activities.filter((x) => x.state === 'active')) {
    const lowest = Math.min(...a.tiers.map((t) => t.priceFen))
    prices[a.product.id] = Math.min(prices[a.product.id] ?? lowest, lowest)
  }
  return prices
}

/** Two columns of product cards; a tap opens the product's page. */
export default function ProductGrid({ products, prices }: { products: ShopProduct[]; prices: Record<string, number> }) {
  return (
    <View className='product-grid'>
      {products.map((p) => (
        <View className='product-grid__cell' key={p.id}>
          <ProductCard product={p} groupPriceFen={prices[p.id] ?? null} onTap={() => Taro.navigateTo({ url: `/pages/product/index?id=${p.id}` })} />
        </View>
      ))}
    </View>
  )
}
