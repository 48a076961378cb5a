import { Image, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { photoPath, type ReviewView } from '@xianlin/shared'
import { apiUrl } from '../../api'
import { monthDay } from '../../utils/format'
import './index.scss'

/** One review: who (masked), stars, when, the words and the photos (tap to see them large). */
export default function ReviewItem({ review, note }: { review: ReviewView; note?: string }) {
  const large = review.photos.map((id) => apiUrl(photoPath(id, 'large')))
  return (
    <View className='review-item'>
      <View className='review-item__head'>
        <Text className='review-item__author'>{review.author}</Text>
        <Text className='review-item__stars'>{'★'.repeat(review.rating)}<Text className='review-item__stars-off'>{'★'.repeat(5 - review.rating)}</Text></Text>
        <Text className='review-item__date'>{monthDay(review.createdAt)}</Text>
      </View>
      {note ? <Text className='review-item__note'>{note}</Text> : null}
      <Text className='review-item__text'>{review.text}</Text>
      {review.photos.length ? (
        <View className='review-item__photos'>
          {review.photos.map((id, i) => (
            <Image key={id} className='review-item__photo' src={apiUrl(photoPath(id, 'thumb'))} mode='aspectFill' lazyLoad onClick={() => Taro.previewImage({ urls: large, current: large[i] })} />
          ))}
        </View>
      ) : null}
    </View>
  )
}
