import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import Taro, { useLoad } from '@tarojs/taro'
import { Button, Rate, TextArea } from '@nutui/nutui-react-taro'
import type { OrderView } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import Cover from '../../components/Cover'
import { useRules } from '../../hooks/useRules'
import PhotoPicker, { type PickedPhoto } from '../../components/PhotoPicker'
import './index.scss'

const MAX_PHOTOS = 6
const RATING_WORDS = ['', '很差', '一般', '还行', '满意', '超赞']

/** 评价晒单 for a picked-up order: stars, a few words, up to 6 photos. */
export default function ReviewPage() {
  const rules = useRules()
  const [order, setOrder] = useState<OrderView | null>(null)
  const [rating, setRating] = useState(5)
  const [text, setText] = useState('')
  // Shown from the phone's own copy: an upload is the member's alone until the review is published.
  const [photos, setPhotos] = useState<PickedPhoto[]>([])
  const [uploading, setUploading] = useState(false)
  const [busy, setBusy] = useState(false)

  useLoad((params: Record<string, string | undefined>) => {
    void api.orders.get(params.orderId ?? '').then(
      (res) => setOrder(res.order),
      () => Taro.showToast({ title: '订单不存在', icon: 'none' }),
    )
  })

  const submit = async () => {
    if (!order) return
    setBusy(true)
    try {
      const { review } = await api.reviews.create(order.id, { rating, text: text.trim(), photoIds: photos.map((p) => p.id) })
      const title = review!.state === 'pending' ? '已提交，审核通过后展示' : review!.pointsEarned > 0 ? `评价成功，+${review!.pointsEarned} 积分` : '评价成功'
      Taro.showToast({ title, icon: 'none' })
      setTimeout(() => Taro.redirectTo({ url: `/pages/order/index?id=${order.id}` }), 800)
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '提交失败，请重试', icon: 'none' })
    } finally {
      setBusy(false)
    }
  }

  if (!order) return <View className='review' />
  return (
    <View className='review'>
      <View className='review__panel review__product'>
        <Cover cover={order.product.cover} className='review__cover' emojiClassName='review__emoji' size='medium' />
        <View className='review__product-body'>
          <Text className='review__name'>{order.title}</Text>
          <View className='review__rate'>
            <Rate value={rating} onChange={(v) => setRating(Math.max(1, v))} />
            <Text className='review__rate-word'>{RATING_WORDS[rating]}</Text>
          </View>
        </View>
      </View>

      <View className='review__panel'>
        <TextArea className='review__text' placeholder='说说口感、新鲜度和取货体验，帮助更多邻居' value={text} onChange={setText} maxLength={500} showCount autoSize />
        <PhotoPicker photos={photos} max={MAX_PHOTOS} onChange={setPhotos} onUploading={setUploading} label='晒图' />
      </View>

      <View className='review__bar'>
        {rules && rules.points.review > 0 ? <Text className='review__reward'>首次评价得 {rules.points.review} 积分{rules.growth.review > 0 ? ` · ${rules.growth.review} 成长值` : ''}</Text> : null}
        <Button type='primary' block loading={busy} disabled={!text.trim() || uploading} onClick={submit} className='review__submit'>
          发布评价
        </Button>
      </View>
    </View>
  )
}
