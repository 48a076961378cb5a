import { useCallback, useEffect, useState } from 'react'
import { View, Text, Input, Canvas, Image } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button, Popup, Skeleton } from '@nutui/nutui-react-taro'
import { addDays, type ArrivalRequest, type StockList } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import Empty from '../../components/EmptyState'
import { useRules } from '../../hooks/useRules'
import { openSessionDay, sessionName, today } from '../../utils/format'
import { saveImage } from '../../utils/save-image'
import { stockImageSize, stockListImage } from './stock-image'
import './index.scss'

const isWeapp = process.env.TARO_ENV === 'weapp'
const CANVAS_ID = 'stock-image'

/** The 备货单 as text, to paste into the warehouse or neighbourhood chat (or print in a browser). */
function asText(list: StockList): string {
  const products = list.products.map((p) => `${p.name} ${p.units}${p.unit}`).join('\n')
  const members = list.members.map((m, i) => `${i + 1}. ${m.member}（…${m.order}）${m.items.map((x) => `${x.name}×${x.quantity}`).join('，')}`).join('\n')
  return `【${sessionName(list.day)}备货单】\n${products}\n\n【按邻居交付】\n${members}`
}

/**
 * 备货单 of a session at the leader's point: per product the units to expect, per member what to
 * hand over; and 到货确认, the units that actually arrived, after which members are told.
 */
export default function LeaderStockPage() {
  const rules = useRules()
  // Opened from the store desk (`?store=`): the store's list, confirmed by its staff.
  const storeId = Taro.getCurrentInstance().router?.params.store
  const stockList = (day: string) => (storeId ? api.staff.stockList(day, storeId) : api.leaders.stockList(day))
  const arrival = (body: ArrivalRequest) => (storeId ? api.staff.arrival({ ...body, storeId }) : api.leaders.arrival(body))
  // The session picked up today was sold `pickupDaysAfter` days ago; the one taking orders now comes next.
  const pickupToday = addDays(today(), -(rules?.shop.pickupDaysAfter ?? 1))
  const open = openSessionDay(rules?.shop.cutoffHour ?? 23)
  const days = [...new Set([pickupToday, addDays(pickupToday, 1), open])].sort()
  const [day, setDay] = useState<string | null>(null)
  const shown = day ?? pickupToday
  const [list, setList] = useState<StockList | null>(null)
  const [failed, setFailed] = useState<string | null>(null)
  const [arrived, setArrived] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)
  const [image, setImage] = useState<string | null>(null)

  const load = useCallback(async () => {
    try {
      const fresh = (await stockList(shown)).stockList
      setList(fresh)
      setArrived(Object.fromEntries(fresh.products.map((p) => [p.productId, String(p.arrived ?? p.units)])))
      setFailed(null)
    } catch (err) {
      setFailed(err instanceof ApiError ? err.message : '备货单加载失败')
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [shown])
  // Loaded for the day shown (a tab changes it), and again when the page comes back into view.
  useEffect(() => void load(), [load])
  useDidShow(() => void load())
  usePullDownRefresh(() => void load())

  const confirmArrival = async () => {
    if (!list) return
    const products = list.products.map((p) => ({ productId: p.productId, units: Math.max(0, Math.floor(Number(arrived[p.productId] ?? 0)) || 0) }))
    const short = list.products.filter((p, i) => products[i]!.units < p.units)
    const { confirm } = await Taro.showModal({
      title: '确认到货',
      content: short.length ? `${short.map((p) => p.name).join('、')} 少于应到数量，运营会按缺货处理。确认后通知邻居来提货` : '确认后通知有货待提的邻居来提货',
      confirmText: '确认到货',
      confirmColor: '#fa2c19',
    })
    if (!confirm) return
    setBusy(true)
    try {
      const { arrival: confirmed } = await arrival({ day: list.day, products })
      Taro.showToast({ title: `已通知 ${confirmed.told} 位顾客提货`, icon: 'none' })
      void load()
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '确认失败，请重试', icon: 'none' })
    } finally {
      setBusy(false)
    }
  }

  const share = () => {
    if (!list) return
    if (!isWeapp && typeof window !== 'undefined' && window.print) return window.print()
    void Taro.setClipboardData({ data: asText(list) })
  }
  /** The 备货单 as an image: WeChat's share sheet for it, or shown to save in a browser. */
  const makeImage = async () => {
    if (!list) return
    try {
      const made = await stockListImage(list, list.point, CANVAS_ID)
      if (isWeapp) await Taro.showShareImageMenu({ path: made })
      else setImage(made)
    } catch (err) {
      Taro.showToast({ title: err instanceof Error && err.message ? err.message : '图片生成失败，请重试', icon: 'none' })
    }
  }

  if (failed && !list) return <Empty status='error' description={failed} />
  if (!list) return <Skeleton rows={8} animated className='stock__skeleton' />
  const confirmed = list.products.some((p) => p.arrived !== null)
  return (
    <View className='stock'>
      <View className='stock__days'>
        {days.map((d) => (
          <Text key={d} className={`stock__day${d === shown ? ' stock__day--on' : ''}`} onClick={() => setDay(d)}>
            {sessionName(d)}
          </Text>
        ))}
      </View>

      <View className='stock__panel'>
        <Text className='stock__title'>商品汇总（{list.products.length} 种）</Text>
        {list.products.length === 0 ? <Text className='stock__none'>这个团期没有订单</Text> : null}
        {list.products.map((p) => (
          <View key={p.productId} className='stock__row'>
            <Text className='stock__name'>{p.name}</Text>
            <Text className='stock__units'>
              应到 {p.units}
              {p.unit}
            </Text>
            {confirmed ? (
              <Text className={p.arrived! < p.units ? 'stock__arrived stock__arrived--short' : 'stock__arrived'}>实到 {p.arrived}</Text>
            ) : (
              <Input className='stock__input' type='number' value={arrived[p.productId] ?? ''} onInput={(e) => setArrived((a) => ({ ...a, [p.productId]: e.detail.value }))} />
            )}
          </View>
        ))}
      </View>

      <View className='stock__panel'>
        <Text className='stock__title'>按邻居交付（{list.members.length} 单）</Text>
        {list.members.map((m, i) => (
          <View key={`${m.order}-${i}`} className='stock__member'>
            <Text className='stock__who'>
              {i + 1}. {m.member} <Text className='stock__order'>…{m.order}</Text>
            </Text>
            <Text className='stock__items'>{m.items.map((x) => `${x.name} ×${x.quantity}`).join('，')}</Text>
          </View>
        ))}
      </View>

      {isWeapp ? <Canvas type='2d' id={CANVAS_ID} className='stock__canvas' style={{ width: `${stockImageSize(list).width}px`, height: `${stockImageSize(list).height}px` }} /> : null}
      <Popup visible={image !== null} round closeable onClose={() => setImage(null)}>
        <View className='stock__image'>
          {image ? <Image src={image} mode='widthFix' className='stock__image-img' showMenuByLongpress /> : null}
          <Button type='primary' block onClick={() => image && void saveImage(image, `备货单-${list.day}.png`)}>
            保存图片
          </Button>
        </View>
      </Popup>

      <View className='stock__bar'>
        <Button fill='outline' size='small' onClick={share}>
          {isWeapp ? '复制文字' : '打印'}
        </Button>
        <Button fill='outline' size='small' onClick={makeImage} className='stock__make-image'>
          {isWeapp ? '分享图片' : '生成图片'}
        </Button>
        {!confirmed && list.products.length ? (
          <Button type='primary' loading={busy} onClick={confirmArrival}>
            确认到货并通知邻居
          </Button>
        ) : null}
      </View>
    </View>
  )
}
