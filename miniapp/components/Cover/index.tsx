import { View, Text, Image } from '@tarojs/components'
import { photoPath, type Cover as CoverValue, type PhotoSize } from '@xianlin/shared'
import { apiUrl } from '../../api/request'
import './index.scss'

interface Props {
  cover: CoverValue
  /** The page's own box for the cover (its size and corners). */
  className: string
  /** The page's own style for the emoji shown when there is no photo. */
  emojiClassName: string
  /** Small tiles take the thumbnail; cards and detail pages the medium size. */
  size?: PhotoSize
}

/** A product's cover: its photo when the shop uploaded one, otherwise the emoji on its tint. */
export default function Cover({ cover, className, emojiClassName, size = 'thumb' }: Props) {
  return (
    <View className={`${className} cover`} style={{ background: cover.tint }}>
      {cover.photo ? <Image className='cover__photo' src={apiUrl(photoPath(cover.photo, size))} mode='aspectFill' lazyLoad /> : <Text className={emojiClassName}>{cover.emoji}</Text>}
    </View>
  )
}
