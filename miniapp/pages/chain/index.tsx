import { useCallback, useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useDidShow, useLoad, usePullDownRefresh, useShareAppMessage } from '@tarojs/taro'
import { Button, Skeleton } from '@nutui/nutui-react-taro'
import { formatFen, type ChainView } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import Cover from '../../components/Cover'
import Empty from '../../components/EmptyState'
import { basket } from '../../utils/basket'
import { openSessionDay, sessionName } from '../../utils/format'
import { h5Link } from '../../utils/links'
import './index.scss'

/** How often an open chain asks for new orders (the chat's members buy as they read). */
const REFRESH_MS = 15_000
const isWeapp = process.env.TARO_ENV === 'weapp'

/**
 * 接龙: a leader's session shared into the neighbourhood chat. The products with 跟团 (adds to the
 * basket), and the orders placed at this leader's point for the session, in order, names masked.
 * Opening it carries `leader=`, so a new member is bound to the leader as any leader link does.
 */
export default function ChainPage() {
  const [params, setParams] = useState<{ code: string; day: string; products?: string[] } | null>(null)
  const [chain, setChain] = useState<ChainView | null>(null)
  const [failed, setFailed] = useState<string | null>(null)

  useLoad((q: Record<string, string | undefined>) => {
    setParams({ code: String(q.leader ?? ''), day: q.day ?? openSessionDay(23), products: q.products ? q.products.split(',') : undefined })
  })

  const load = useCallback(async () => {
    if (!params) return
    try {
      setChain((await api.chain(params.code, params.day, params.products)).chain)
      setFailed(null)
    } catch (err) {
      setFailed(err instanceof ApiError ? err.message : '接龙加载失败，请下拉重试')
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [params])
  useEffect(() => void load(), [load])
  useDidShow(() => void load())
  usePullDownRefresh(() => void load())
  useEffect(() => {
    const timer = setInterval(() => void load(), REFRESH_MS)
    return () => clearInterval(timer)
  }, [load])

  const path = `/pages/chain/index?leader=${params?.code ?? ''}&day=${params?.day ?? ''}${params?.products ? `&products=${params.products.join(',')}` : ''}`
  useShareAppMessage(() => ({ title: chain ? `${chain.leader.community} · ${sessionName(chain.day)}接龙，已有 ${chain.entries.length} 位邻居跟团` : '社区团购接龙', path }))
  // In a browser there is no share sheet: the chain's link is copied to paste into the chat.
  const copyLink = () => void Taro.setClipboardData({ data: h5Link(path) })

  const join = async (productId: string) => {
    try {
      await basket.add(productId, 1, chain?.day)
      Taro.showToast({ title: '已加入购物车', icon: 'none' })
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '加入失败，请重试', icon: 'none' })
    }
  }

  if (failed && !chain) return <Empty status='error' description={failed} />
  if (!chain) return <Skeleton rows={8} animated className='chain__skeleton' />
  return (
    <View className='chain'>
      <View className='chain__hero'>
        <Text className='chain__title'>{chain.leader.community} · {sessionName(chain.day)}接龙</Text>
        <Text className='chain__sub'>团长自提点「{chain.leader.name}」· 已有 {chain.entries.length} 位邻居跟团</Text>
      </View>

      <View className='chain__panel'>
        {chain.products.length === 0 ? <Text className='chain__none'>团长还没有选择商品</Text> : null}
        {chain.products.map((p) => (
          <View key={p.id} className='chain__product'>
            <Cover cover={p.cover} className='chain__cover' emojiClassName='chain__emoji' />
            <View className='chain__body'>
              <Text className='chain__name'>{p.name}</Text>
              <Text className='chain__meta'>
                {formatFen(p.priceFen)}/{p.unit}
                {p.units ? ` · 已接龙 ${p.units} ${p.unit}` : ''}
              </Text>
            </View>
            <Button type='primary' size='small' onClick={() => join(p.id)}>
              跟团
            </Button>
          </View>
        ))}
      </View>

      <View className='chain__panel'>
        <Text className='chain__panel-title'>接龙记录</Text>
        {chain.entries.length === 0 ? <Text className='chain__none'>还没有人跟团，快来做第一个</Text> : null}
        {chain.entries.map((e) => (
          <View key={e.n} className='chain__entry'>
            <Text className='chain__n'>{e.n}.</Text>
            <Text className='chain__who'>{e.member}</Text>
            <Text className='chain__items'>{e.items.map((i) => `${i.name} ×${i.quantity}`).join('，')}</Text>
            <Text className='chain__at'>{e.at}</Text>
          </View>
        ))}
      </View>

      <View className='chain__bar'>
        {isWeapp ? (
          <Button fill='outline' openType='share' className='chain__share'>
            分享到群
          </Button>
        ) : (
          <Button fill='outline' onClick={copyLink} className='chain__share'>
            复制接龙链接
          </Button>
        )}
        <Button type='primary' onClick={() => Taro.switchTab({ url: '/pages/cart/index' })} className='chain__checkout'>
          去购物车结算
        </Button>
      </View>
    </View>
  )
}
