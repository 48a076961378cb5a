import { View, Text } from '@tarojs/components'
import { Tag } from '@nutui/nutui-react-taro'
import { formatFen, type ShopProduct } from '@xianlin/shared'
import { sessionWords } from '../../utils/format'
import Cover from '../Cover'
import './index.scss'

interface Props {
  product: ShopProduct
  /** The lowest group price when a group-buy sells it now: the card leads with it. */
  groupPriceFen?: number | null
  onTap?: (product: ShopProduct) => void
}

/**
 * A product tile for two-column lists: cover, name, selling point, tags, when it is picked up,
 * units sold, and the price in yuan (the group price, or the member price in its open session).
 */
export default function ProductCard({ product, groupPriceFen, onTap }: Props) {
  const open = product.sessions[0]
  const [yuan, cents] = formatFen(groupPriceFen ?? product.memberPriceFen, { symbol: false }).split('.')
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
        <Text className='product-card__session'>{open ? (open.left > 0 ? sessionWords(open).pickup : '本期已售罄') : '暂未开团'}</Text>
        <View className='product-card__price'>
          <Text className='product-card__currency'>¥</Text>
          <Text className='product-card__yuan'>{yuan}</Text>
          <Text className='product-card__cents'>.{cents}</Text>
          <Text className='product-card__unit'>/{product.unit}</Text>
          {groupPriceFen || product.memberPriceFen < product.priceFen ? <Text className='product-card__was'>{formatFen(product.priceFen)}</Text> : null}
        </View>
        <View className='product-card__foot'>
          {groupPriceFen ? <Text className='product-card__group'>拼团价</Text> : null}
          {product.soldCount > 0 ? <Text className='product-card__sold'>已团 {product.soldCount.toLocaleString('zh-CN')} 件</Text> : null}
        </View>
      </View>
    </View>
  )
}
