import { View, Text } from '@tarojs/components'
import { Tag } from '@nutui/nutui-react-taro'
import { formatFen, type ProductView } from '@xianlin/shared'
import Cover from '../Cover'
import './index.scss'

interface Props {
  product: ProductView
  /** The lowest group price when a group-buy sells it now: the card leads with it. */
  groupPriceFen?: number | null
  onTap?: (product: ProductView) => void
}

/** A product tile for two-column lists: cover, name, selling point, tags and the price in yuan. */
export default function ProductCard({ product, groupPriceFen, onTap }: Props) {
  const [yuan, cents] = formatFen(groupPriceFen ?? product.priceFen, { symbol: false }).split('.')
  return (
    <View className='product-card' onClick={() => onTap?.(product)}>
      <Cover cover={product.cover} className='product-card__cover' emojiClassName='product-card__emoji' size='medium' />
      <View className='product-card__body'>
        <Text className='product-card__name'>{product.name}</Text>
        <Text className='product-card__subtitle'>{product.subtitle}</Text>
        <View className='product-card__tags'>
          {product.tags.map((tag) => (
            <Tag key={tag} type='danger' plain className='product-card__tag'>
              {tag}
            </Tag>
          ))}
        </View>
        <View className='product-card__price'>
          <Text className='product-card__currency'>¥</Text>
          <Text className='product-card__yuan'>{yuan}</Text>
          <Text className='product-card__cents'>.{cents}</Text>
          <Text className='product-card__unit'>/{product.unit}</Text>
          {groupPriceFen ? <Text className='product-card__was'>{formatFen(product.priceFen)}</Text> : null}
        </View>
        {groupPriceFen ? <Text className='product-card__group'>拼团价</Text> : null}
      </View>
    </View>
  )
}
