import { useCallback, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Button, Grid, Popup, Skeleton, Swiper } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import { ArrowDown, CheckChecked, Gift, HeartF, Location, Retweet, Search, Store, Marshalling } from '@nutui/icons-react-taro'
import { formatFen, type InvitationView, type LeaderLinkView, type ShopProduct, type PublicRules, type StoreView, type WelcomeOffer } from '@xianlin/shared'
import { api } from '../../api'
import ProductGrid, { groupPrices } from '../../components/ProductGrid'
import { useShareCard, useShareEntry } from '../../hooks/useShareCard'
import SectionTitle from '../../components/SectionTitle'
import { useRules } from '../../hooks/useRules'
import { useSignInGate } from '../../components/SignInSheet'
import { pendingAttribution, pendingLeaderCode } from '../../utils/attribution'
import { session } from '../../utils/session'
import { preferredStore } from '../../utils/preferred-store'
import { basket } from '../../utils/basket'
import { checkinBonusText, initiatorCouponText, inviteRewardText } from '../../utils/rule-copy'
import './index.scss'

/** The banners' promises are the rules in force (no rules yet: the banners wait). */
const bannersFor = (r: PublicRules) => [
  { title: '邻里拼团', text: `${r.groupbuy.groupDurationHours} 小时内成团，${initiatorCouponText(r)}`, tint: 'linear-gradient(135deg, #ff7a45, #fa2c19)', url: '/pages/groupbuys/index' },
  { title: '每日签到', text: checkinBonusText(r), tint: 'linear-gradient(135deg, #36cfc9, #13a8a8)', url: '/pages/checkin/index' },
  { title: '邀请有礼', text: inviteRewardText(r), tint: 'linear-gradient(135deg, #9254de, #722ed1)', url: '/pages/invite/index' },
]

type Offer = NonNullable<WelcomeOffer['offer']>

/** 新人专享 while a 新人礼包 runs: its reward as the server has it, and where this visitor stands. */
const welcomeBanner = (w: Offer) => {
  const valid = w.validDays ? `，${w.validDays} 天内有效` : ''
  const text = { available: `新人登录送${w.reward}${valid}`, coming: `${w.reward}正在路上，到账会通知你`, received: `${w.reward}已到账，去看看` }[w.state]
  const url = w.state !== 'received' ? '/pages/notices/index' : w.kind === 'coupon' ? '/pages/coupons/index' : '/pages/points/index'
  return { title: '新人专享', text, tint: 'linear-gradient(135deg, #ff4d4f, #cf1322)', url, signIn: w.state === 'available' }
}

const ENTRIES: Array<{ name: string; icon: JSX.Element; url: string }> = [
  { name: '每日签到', icon: <Marshalling size={26} color='#fa8c16' />, url: '/pages/checkin/index' },
  { name: '拼团', icon: <Retweet size={26} color='#fa2c19' />, url: '/pages/groupbuys/index' },
  { name: '积分商城', icon: <Store size={26} color='#13a8a8' />, url: '/pages/mall/index' },
  { name: '邀请有礼', icon: <Gift size={26} color='#722ed1' />, url: '/pages/invite/index' },
  { name: '好友助力', icon: <HeartF size={26} color='#eb2f96' />, url: '/pages/assist/index' },
]

export default function Index() {
  const [products, setProducts] = useState<ShopProduct[] | null>(null)
  /** Product id → its lowest group price on now: the card leads with it. */
  const [prices, setPrices] = useState<Record<string, number>>({})
  const [category, setCategory] = useState('全部')
  const [stores, setStores] = useState<StoreView[]>([])
  const [store, setStore] = useState<StoreView | null>(null)
  const [choosingStore, setChoosingStore] = useState(false)
  const [failed, setFailed] = useState(false)
  const rules = useRules()
  /** A visitor from a friend's invite link: who invites and what they get, before anything is asked. */
  const [invitation, setInvitation] = useState<InvitationView | null>(null)
  /** A visitor from a community leader's link: the pickup point signing in binds them to. */
  const [leaderPoint, setLeaderPoint] = useState<LeaderLinkView | null>(null)
  const { requireSignIn, sheet } = useSignInGate('登录接受邀请', { onTabPage: true })
  /** The 新人礼包 offer (undefined while asked: the banners wait for it, so the swiper measures them once). */
  const [welcome, setWelcome] = useState<Offer | null | undefined>(undefined)
  const loadWelcome = useCallback(() => api.campaigns.welcome().then((res) => setWelcome(res.offer), () => setWelcome(null)), [])

  const load = useCallback(async () => {
    setFailed(false)
    try {
      const [productList, storeList, groupbuys] = await Promise.all([api.products(), api.stores(), api.groupbuys.list().catch(() => ({ activities: [] }))])
      setPrices(groupPrices(groupbuys.activities))
      setProducts(productList.products)
      setStores(storeList.stores)
      const preferred = preferredStore.get()
      setStore(storeList.stores.find((s) => s.id === preferred) ?? storeList.stores[0] ?? null)
    } catch {
      setFailed(true)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [])

  useShareEntry(() => {
    void load()
    const inviter = pendingAttribution()?.inviter
    if (inviter && !session.accessToken()) void api.invites.invitation(inviter).then((res) => setInvitation(res.invitation), () => undefined)
    const leader = pendingLeaderCode()
    if (leader && !session.accessToken()) void api.leaders.link(leader).then((res) => setLeaderPoint(res.point), () => undefined)
    void api.track({ name: 'visit', props: { page: 'home' } })
    void loadWelcome()
    void basket.view().catch(() => undefined) // the 购物车 tab's badge
  })
  usePullDownRefresh(() => {
    void load()
    void loadWelcome()
  })
  useShareCard(() => ({ page: 'pages/index/index', title: '鲜邻优选：家门口的新鲜好物' }))

  const categories = ['全部', ...new Set((products ?? []).map((p) => p.category))]
  const shown = (products ?? []).filter((p) => category === '全部' || p.category === category)

  return (
    <View className='home'>
      <View className='home__header'>
        <View className='home__store' onClick={() => stores.length > 1 && setChoosingStore(true)}>
          <Location size={14} color='#fff' />
          <Text className='home__store-name'>{store ? store.name : '正在定位门店…'}</Text>
          {stores.length > 1 ? <ArrowDown size={10} color='#fff' /> : null}
        </View>
        {/* A box that opens the search page, which takes the typing (an input here would take the focus, not the tap). */}
        <View className='home__search' onClick={() => Taro.navigateTo({ url: '/pages/search/index' })}>
          <Search size={14} color='#999' />
          <Text className='home__search-text'>搜索新鲜水果、蔬菜、粮油</Text>
        </View>
      </View>

      {invitation ? (
        <View className='home__invitation'>
          <View className='home__invitation-text'>
            <Text className='home__invitation-title'>{invitation.inviter} 邀请你来{rules?.brandName ?? '逛逛'}</Text>
            <Text className='home__invitation-gift'>登录接受邀请，首单完成送你 {formatFen(invitation.inviteeCouponFen, { trimZeros: true })} 无门槛券</Text>
          </View>
          <Button type='primary' size='small' className='home__invitation-accept' onClick={() => requireSignIn(() => setInvitation(null))}>
            接受邀请
          </Button>
        </View>
      ) : null}

      {leaderPoint?.active ? (
        <View className='home__invitation home__leader'>
          <View className='home__invitation-text'>
            <Text className='home__invitation-title'>团长「{leaderPoint.name}」的自提点</Text>
            <Text className='home__invitation-gift'>
              {leaderPoint.community} · {leaderPoint.address} · {leaderPoint.hours}，登录后下单可到这里自提
            </Text>
          </View>
          <Button type='primary' size='small' className='home__invitation-accept home__leader-accept' onClick={() => requireSignIn(() => setLeaderPoint(null))}>
            登录绑定
          </Button>
        </View>
      ) : null}

      <View className='home__banner'>
        {/* The swiper measures its slides once: it is drawn when the banners (from the rules) are there. */}
        {rules && welcome !== undefined ? (
          <Swiper autoPlay loop indicator height={150}>
            {[...(welcome ? [welcomeBanner(welcome)] : []), ...bannersFor(rules).map((b) => ({ ...b, signIn: false }))].map((b) => (
              <Swiper.Item key={b.title}>
                <View
                  className='home__banner-item'
                  style={{ background: b.tint }}
                  onClick={() => (b.signIn ? requireSignIn(() => void loadWelcome()) : Taro.navigateTo({ url: b.url }))}
                >
                  <Text className='home__banner-title'>{b.title}</Text>
                  <Text className='home__banner-text'>{b.text}</Text>
                </View>
              </Swiper.Item>
            ))}
          </Swiper>
        ) : (
          <View className='home__banner-item home__banner-item--waiting' />
        )}
      </View>

      <View className='home__entries'>
        <Grid columns={5}>
          {ENTRIES.map((e) => (
            <Grid.Item key={e.name} text={e.name} onClick={() => Taro.navigateTo({ url: e.url })}>
              {e.icon}
            </Grid.Item>
          ))}
        </Grid>
      </View>

      <View className='home__list'>
        <SectionTitle title='今日推荐' hint='产地直采 · 当日达' />
        {failed ? (
          <Empty status='network' description='网络不给力，下拉刷新试试' />
        ) : products === null ? (
          <Skeleton rows={6} animated />
        ) : products.length === 0 ? (
          <Empty description='商品正在上架中' />
        ) : (
          <>
            <View className='home__categories'>
              {categories.map((c) => (
                <Text key={c} className={`home__category ${c === category ? 'home__category--on' : ''}`} onClick={() => setCategory(c)}>
                  {c}
                </Text>
              ))}
            </View>
            <ProductGrid products={shown} prices={prices} />
          </>
        )}
      </View>
      <Popup visible={choosingStore} position='bottom' round closeable title='选择门店' onClose={() => setChoosingStore(false)}>
        <View className='home__stores'>
          {stores.map((s) => (
            <View
              key={s.id}
              className='home__store-option'
              onClick={() => {
                preferredStore.set(s.id)
                setStore(s)
                setChoosingStore(false)
              }}
            >
              <View className='home__store-text'>
                <Text className='home__store-option-name'>{s.name}</Text>
                <Text className='home__store-option-address'>
                  {s.address} · {s.hours}
                </Text>
              </View>
              {store?.id === s.id ? <CheckChecked color='#fa2c19' /> : null}
            </View>
          ))}
        </View>
      </Popup>
      {sheet}
    </View>
  )
}
