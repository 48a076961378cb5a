import { useCallback, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Skeleton, Tag } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import type { MallItemView } from '@xianlin/shared'
import { api } from '../../api'
import { session } from '../../utils/session'
import { useShareCard, useShareEntry } from '../../hooks/useShareCard'
import { useSignInGate } from '../../components/SignInSheet'
import './index.scss'

export default function MallPage() {
  const [items, setItems] = useState<MallItemView[] | null>(null)
  const [balance, setBalance] = useState<number | null>(null)
  const [affordable, setAffordable] = useState(false)
  const [failed, setFailed] = useState(false)
  const { requireSignIn, sheet } = useSignInGate('登录后查看我能兑', { onTabPage: true })

  const load = useCallback(async (onlyAffordable: boolean) => {
    setFailed(false)
    try {
      const signedIn = Boolean(session.accessToken())
      const [list, summary] = await Promise.all([
        api.mall.items(onlyAffordable && signedIn ? { affordable: 'true' } : {}),
        signedIn ? api.points.summary() : Promise.resolve(null),
      ])
      setItems(list.items)
      setBalance(summary?.available ?? null)
    } catch {
      setFailed(true)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [])

  useDidShow(() => void load(affordable))
  useShareEntry()
  useShareCard(() => ({ page: 'pages/mall/index', title: '积分当钱花，好物免费换' }))
  usePullDownRefresh(() => void load(affordable))

  const show = (value: boolean) => {
    setAffordable(value)
    setItems(null)
    void load(value)
  }
  const toggle = (value: boolean) => (value ? requireSignIn(() => show(true)) : show(false))

  return (
    <View className='mall'>
      <View className='mall__header'>
        <View>
          <Text className='mall__label'>我的积分</Text>
          <Text className='mall__balance'>{balance ?? '--'}</Text>
        </View>
        <Text className='mall__link' onClick={() => Taro.navigateTo({ url: '/pages/vouchers/index' })}>
          我的兑换 ›
        </Text>
      </View>
      <View className='mall__filters'>
        <Text className={`mall__filter ${affordable ? '' : 'mall__filter--on'}`} onClick={() => toggle(false)}>
          全部
        </Text>
        <Text className={`mall__filter ${affordable ? 'mall__filter--on' : ''}`} onClick={() => toggle(true)}>
          我能兑
        </Text>
      </View>
      {failed ? (
        <Empty status='network' description='网络不给力，下拉刷新试试' />
      ) : items === null ? (
        <Skeleton rows={6} animated className='mall__skeleton' />
      ) : items.length === 0 ? (
        <Empty description={affordable ? '积分还不够兑换，去签到攒积分吧' : '商品正在上架中'} />
      ) : (
        <View className='mall__grid'>
          {items.map((item) => (
            <View key={item.id} className='mall__item' onClick={() => Taro.navigateTo({ url: `/pages/mall-item/index?id=${item.id}` })}>
              <View className='mall__cover' style={{ background: item.cover.tint }}>
                <Text className='mall__emoji'>{item.cover.emoji}</Text>
                {item.minLevel ? <Tag className='mall__level' background='#c99a3c' color='#fff'>{item.minLevel.name}专享</Tag> : null}
              </View>
              <Text className='mall__name'>{item.name}</Text>
              <View className='mall__price-row'>
                <Text className='mall__price'>{item.pointsPrice}</Text>
                <Text className='mall__unit'>积分</Text>
                <Text className='mall__stock'>{item.stock > 0 ? `剩${item.stock}` : '已兑完'}</Text>
              </View>
            </View>
          ))}
        </View>
      )}
      {sheet}
    </View>
  )
}
