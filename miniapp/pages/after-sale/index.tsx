import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import Taro, { useLoad } from '@tarojs/taro'
import { Button, TextArea } from '@nutui/nutui-react-taro'
import { AFTER_SALE_REASONS, AFTER_SALE_REASON_TEXT, formatFen, type AfterSaleReason, type OrderLineView, type OrderView } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import Cover from '../../components/Cover'
import Stepper from '../../components/Stepper'
import { useRules } from '../../hooks/useRules'
import { dateTime } from '../../utils/format'
import { newIdempotencyKey } from '../../utils/idempotency'
import PhotoPicker, { type PickedPhoto } from '../../components/PhotoPicker'
import './index.scss'

/** 申请售后 for one line of a picked-up order: how many, why, photos and a note; the refund shows before it is sent. */
export default function AfterSalePage() {
  const rules = useRules()
  // A cached copy of the rules from before 售后 existed has none: no photo slots until the fresh one arrives.
  const maxPhotos = rules?.afterSale?.maxPhotos ?? 0
  const [order, setOrder] = useState<OrderView | null>(null)
  const [lineIndex, setLineIndex] = useState(0)
  const [quantity, setQuantity] = useState(1)
  const [reason, setReason] = useState<AfterSaleReason>('quality')
  const [note, setNote] = useState('')
  const [photos, setPhotos] = useState<PickedPhoto[]>([])
  const [uploading, setUploading] = useState(false)
  const [quote, setQuote] = useState<{ fen: number; points: number; maxQuantity: number; until: string } | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // One key per visit: a retried tap is the same request.
  const [key] = useState(newIdempotencyKey)

  useLoad((params: Record<string, string | undefined>) => {
    setLineIndex(Number(params.line ?? 0))
    void api.orders.get(params.orderId ?? '').then(
      (res) => setOrder(res.order),
      () => Taro.showToast({ title: '订单不存在', icon: 'none' }),
    )
  })

  // What the claim would refund is the server's answer, asked again whenever the quantity changes.
  useEffect(() => {
    if (!order) return
    api.afterSales.quote(order.id, lineIndex, quantity).then(
      (res) => {
        setQuote(res.quote)
        setProblem(null)
      },
      (err) => {
        setQuote(null)
        setProblem(err instanceof ApiError ? err.message : '暂时无法申请售后')
      },
    )
  }, [order, lineIndex, quantity])

  const submit = async () => {
    if (!order) return
    setBusy(true)
    try {
      const { afterSale } = await api.afterSales.request(order.id, { line: lineIndex, quantity, reason, note: note.trim(), photoIds: photos.map((p) => p.id), idempotencyKey: key })
      Taro.showToast({ title: afterSale.state === 'refunded' ? `已退款 ${formatFen(afterSale.fen)}` : '已提交，等待审核', icon: 'none' })
      setTimeout(() => Taro.redirectTo({ url: `/pages/order/index?id=${order.id}` }), 800)
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '提交失败，请重试', icon: 'none' })
    } finally {
      setBusy(false)
    }
  }

  if (!order) return <View className='after-sale' />
  const line: OrderLineView | undefined = order.lines[lineIndex]
  if (!line) return <View className='after-sale' />
  return (
    <View className='after-sale'>
      <View className='after-sale__panel after-sale__product'>
        <Cover cover={line.cover} className='after-sale__cover' emojiClassName='after-sale__emoji' size='medium' />
        <View className='after-sale__product-body'>
          <Text className='after-sale__name'>{line.name}</Text>
          <Text className='after-sale__meta'>
            实付 {formatFen(line.payFen)} · 共 {line.quantity} 件
          </Text>
        </View>
      </View>

      <View className='after-sale__panel'>
        <View className='after-sale__row'>
          <Text>申请数量</Text>
          <Stepper value={quantity} max={Math.max(1, quote?.maxQuantity ?? line.quantity)} onChange={(n) => setQuantity(Math.max(1, n))} />
        </View>
        <Text className='after-sale__label'>售后原因</Text>
        <View className='after-sale__reasons'>
          {AFTER_SALE_REASONS.map((r) => (
            <Text key={r} className={`after-sale__reason${reason === r ? ' after-sale__reason--on' : ''}`} onClick={() => setReason(r)}>
              {AFTER_SALE_REASON_TEXT[r]}
            </Text>
          ))}
        </View>
        <TextArea className='after-sale__note' placeholder='说说遇到的问题，例如坏了几个、少了什么' value={note} onChange={setNote} maxLength={200} showCount autoSize />
        {maxPhotos > 0 ? <PhotoPicker photos={photos} max={maxPhotos} onChange={setPhotos} onUploading={setUploading} label='照片' /> : null}
      </View>

      <View className='after-sale__bar'>
        {quote ? (
          <Text className='after-sale__refund'>
            预计退款 <Text className='after-sale__fen'>{formatFen(quote.fen)}</Text>
            {quote.points ? ` + ${quote.points} 积分` : ''} · 原路退回 · {dateTime(quote.until)} 前可申请
          </Text>
        ) : null}
        {problem ? <Text className='after-sale__problem'>{problem}</Text> : null}
        <Button type='primary' block loading={busy} disabled={!quote || uploading} onClick={submit} className='after-sale__submit'>
          提交售后申请
        </Button>
      </View>
    </View>
  )
}
