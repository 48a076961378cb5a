import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { formatFen, type CartView, type ShopProduct } from '@xianlin/shared'
import Cover from '../Cover'
import Stepper from '../Stepper'
import { sessionName, sessionWords } from '../../utils/format'
import './index.scss'

interface Props {
  product: ShopProduct
  cart: CartView | null
  /** The shopper set `quantity` of the product in the session of `day` (0 takes it out). */
  onChange: (product: ShopProduct, day: string, quantity: number) => void
}

/**
 * A product on the shelf as a row (分类, 搜索): cover, name, when its session cuts off and is
 * picked up, units sold, the member price, and a stepper for the session it can be bought in now
 * (the next one once today's is sold out).
 */
export default function ShelfRow({ product, cart, onChange }: Props) {
  const open = product.sessions[0]
  const buying = product.sessions.find((s) => s.left > 0)
  const inCart = buying ? (cart?.lines.find((l) => l.productId === product.id && l.day === buying.day)?.quantity ?? 0) : 0
  const words = buying ? sessionWords(buying) : null
  return (
    <View className='shelf-row' onClick={() => Taro.navigateTo({ url: `/pages/product/index?id=${product.id}` })}>
      <Cover cover={product.cover} className='shelf-row__cover' emojiClassName='shelf-row__emoji' />
      <View className='shelf-row__body'>
        <Text className='shelf-row__name'>{product.name}</Text>
        {product.subtitle ? <Text className='shelf-row__sub'>{product.subtitle}</Text> : null}
        {words ? (
          <Text className='shelf-row__session'>
            {buying !== open ? `${sessionName(open!.day)}已售罄 · ` : ''}
            {words.cutoff} · {words.pickup}
          </Text>
        ) : (
          <Text className='shelf-row__session shelf-row__session--off'>{open ? '已售罄' : '暂未开团'}</Text>
        )}
        {product.soldCount > 0 ? <Text className='shelf-row__sold'>已团 {product.soldCount.toLocaleString('zh-CN')} 件</Text> : null}
        <View className='shelf-row__foot'>
          <View className='shelf-row__prices'>
            <Text className='shelf-row__price'>{formatFen(product.memberPriceFen)}</Text>
            {product.memberPriceFen < product.priceFen ? <Text className='shelf-row__was'>{formatFen(product.priceFen)}</Text> : null}
          </View>
          {buying ? (
            <Stepper value={inCart} max={Math.min(buying.left, buying.perMemberLimit)} onChange={(q) => onChange(product, buying.day, q)} />
          ) : (
            <Text className='shelf-row__none'>明日再来</Text>
          )}
        </View>
      </View>
    </View>
  )
}
