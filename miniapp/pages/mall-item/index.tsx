import { useRef, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button, Skeleton, Tag } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import type { MallItemView } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import ShareButton from '../../components/ShareButton'
import StoreList from '../../components/StoreList'
import { useShareCard, useShareEntry } from '../../hooks/useShareCard'
import { newIdempotencyKey } from '../../utils/idempotency'
import { useSignInGate } from '../../components/SignInSheet'
import { session } from '../../utils/session'
import Cover from '../../components/Cover'
import { useRules } from '../../hooks/useRules'
import './index.scss'


export default function MallItemPage() {
  const [item, setItem] = useState<MallItemView | null>(null)
  const [failed, setFailed] = useState(false)
  const [busy, setBusy] = useState(false)
  const key = useRef(newIdempotencyKey())
  const { requireSignIn, sheet } = useSignInGate('登录后兑换')
  const rules = useRules()
  /** The signed-in member's points and level, to say before confirming why they cannot redeem. */
  const [me, setMe] = useState<{ available: number; rank: number } | null>(null)
  const loadMe = () => {
    if (!session.accessToken()) return setMe(null)
    void Promise.all([api.points.summary(), api.membership()]).then(
      ([points, membership]) => setMe({ available: points.available, rank: membership.level.rank }),
      () => setMe(null),
    )
  }
  useDidShow(loadMe)

  useShareCard(() => ({ page: 'pages/mall-item/index', targetId: item?.id, title: item ? `${item.pointsPrice} 积分就能换「${item.name}」` : '鲜邻优选积分商城' }))
  useShareEntry((params) => {
    api.mall
      .item(String(params?.id ?? ''))
      .then((res) => setItem(res.item))
      .catch(() => setFailed(true))
  })

  const redeem = async () => {
    if (!item) return
    const { confirm } = await Taro.showModal({
      title: '确认兑换',
      content: `使用 ${item.pointsPrice} 积分兑换「${item.name}」`,
      confirmText: '确认兑换',
      confirmColor: '#fa2c19',
    })
    if (!confirm) return
    setBusy(true)
    try {
      const { voucher } = await api.mall.redeem(item.id, key.current)
      key.current = newIdempotencyKey()
      if (voucher.state === 'issued') {
        Taro.showToast({ title: '兑换成功，优惠券已发放', icon: 'none' })
      } else {
        Taro.redirectTo({ url: `/pages/voucher/index?code=${voucher.code}` })
      }
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '兑换失败，请重试', icon: 'none' })
    } finally {
      setBusy(false)
    }
  }

  if (failed) return <Empty status='error' description='商品不存在或已下架' />
  const blocker = !item ? null : item.stock <= 0 ? '已兑完' : me && item.minLevel && me.rank < item.minLevel.rank ? `需${item.minLevel.name}及以上` : me && me.available < item.pointsPrice ? `积分不足，还差 ${item.pointsPrice - me.available} 分` : null
  if (!item) return <Skeleton rows={8} animated className='item__skeleton' />

  return (
    <View className='item'>
      <Cover cover={item.cover} className='item__cover' emojiClassName='item__emoji' size='medium' />
      <View className='item__panel'>
        <View className='item__price-row'>
          <Text className='item__price'>{item.pointsPrice}</Text>
          <Text className='item__unit'>积分</Text>
          {item.minLevel ? <Tag className='item__level' background='#c99a3c' color='#fff'>{item.minLevel.name}及以上</Tag> : null}
          <ShareButton page='pages/mall-item/index' targetId={item.id} label='分享' type='default' size='small' className='item__share' />
        </View>
        <Text className='item__name'>{item.name}</Text>
        {item.description ? <Text className='item__desc'>{item.description}</Text> : null}
        <View className='item__facts'>
          <Text>剩余 {item.stock}</Text>
          {item.perUserLimit ? <Text>每人限兑 {item.perUserLimit} 件</Text> : null}
          <Text>{item.kind === 'coupon' ? '兑换后直接到账' : rules ? `兑换后 ${rules.mall.voucherValidDays} 天内到店核销` : '兑换后到店核销'}</Text>
        </View>
      </View>
      {item.stores.length ? <StoreList title='可领取门店' stores={item.stores} /> : null}
      <View className='item__bar'>
        <Button type='primary' block loading={busy} disabled={Boolean(blocker)} onClick={() => requireSignIn(() => { loadMe(); return redeem() })} className='item__redeem'>
          {blocker ?? '立即兑换'}
        </Button>
        {blocker?.startsWith('积分不足') ? (
          <Text className='item__earn' onClick={() => Taro.navigateTo({ url: '/pages/checkin/index' })}>
            去签到攒积分 ›
          </Text>
        ) : null}
      </View>
      {sheet}
    </View>
  )
}
