import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button, Skeleton, Tag } from '@nutui/nutui-react-taro'
import { Cart } from '@nutui/icons-react-taro'
import { formatFen, type ActivityView, type ProductDetail, type ProductReviews } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import { basket } from '../../utils/basket'
import { sessionName, sessionWords, today } from '../../utils/format'
import Empty from '../../components/EmptyState'
import Cover from '../../components/Cover'
import OpenGroupRow from '../../components/OpenGroupRow'
import ReviewItem from '../../components/ReviewItem'
import ShareButton from '../../components/ShareButton'
import { useSignInGate } from '../../components/SignInSheet'
import { useShareCard, useShareEntry } from '../../hooks/useShareCard'
import './index.scss'

/**
 * 商品详情: photo, name, selling point, prices (list, member price at the shopper's level, group
 * price when a group-buy is on), the session it sells in (when it cuts off, when it is picked up;
 * today's or tomorrow's to choose), spec, origin, units sold, and the group-buy's open groups to
 * join. 加入购物车 fills the basket; 立即购买 is a one-line basket through the same checkout.
 */
export default function ProductPage() {
  const [id, setId] = useState('')
  const [product, setProduct] = useState<ProductDetail | null>(null)
  const [activity, setActivity] = useState<ActivityView | null>(null)
  const [failed, setFailed] = useState(false)
  /** The session the shopper buys from (its sale day); the first with units left unless they pick another. */
  const [day, setDay] = useState<string | null>(null)
  const { requireSignIn, sheet } = useSignInGate('登录后购买')

  const [reviews, setReviews] = useState<ProductReviews | null>(null)
  const moreReviews = () =>
    reviews?.next && void api.reviews.ofProduct(id, reviews.next).then((page) => setReviews({ ...page, reviews: [...reviews.reviews, ...page.reviews] }))

  const load = (productId: string) => {
    void api.reviews.ofProduct(productId).then(setReviews, () => setReviews(null))
    return api
      .product(productId)
      .then((res) => {
        setProduct(res.product)
        setActivity(res.activity)
        setDay((d) => (d && res.product.sessions.some((s) => s.day === d) ? d : (res.product.sessions.find((s) => s.left > 0)?.day ?? null)))
      })
      .catch(() => setFailed(true))
  }
  useShareEntry((params) => {
    setId(params.id ?? '')
    void load(params.id ?? '')
    if (params.id) void api.track({ name: 'product_view', props: { productId: params.id } })
  })
  useDidShow(() => id && void load(id))
  useShareCard(() => ({ page: 'pages/product/index', targetId: id, title: product ? `${product.name}，${formatFen(activity?.tiers[activity.tiers.length - 1]!.priceFen ?? product.memberPriceFen)} 起` : '鲜邻优选好物' }))

  if (failed) return <Empty status='error' description='商品不存在或已下架' />
  if (!product) return <Skeleton rows={10} animated className='product__skeleton' />
  const lowest = activity ? Math.min(...activity.tiers.map((t) => t.priceFen)) : null
  const checkout = (query: string) => requireSignIn(() => Taro.navigateTo({ url: `/pages/checkout/index?activityId=${activity!.id}&${query}` }))
  const session = product.sessions.find((s) => s.day === day) ?? null
  // The price in the chosen session, at the shopper's level (a session may set its own price).
  const memberPrice = session?.memberPriceFen ?? product.memberPriceFen
  const buyNow = () => session && requireSignIn(() => Taro.navigateTo({ url: `/pages/checkout/index?productId=${product.id}&quantity=1&day=${session.day}` }))
  const addToCart = async () => {
    if (!session) return
    try {
      await basket.add(product.id, 1, session.day, memberPrice)
      Taro.showToast({ title: '已加入购物车', icon: 'success', duration: 1000 })
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '没加上，请重试', icon: 'none' })
    }
  }
  const words = session ? sessionWords(session) : null

  return (
    <View className='product'>
      <Cover cover={product.cover} className='product__cover' emojiClassName='product__emoji' size='medium' />
      <View className='product__panel'>
        <View className='product__prices'>
          {lowest !== null ? (
            <>
              <Text className='product__price'>{formatFen(lowest)}</Text>
              <Text className='product__price-label'>拼团价起</Text>
            </>
          ) : (
            <>
              <Text className='product__price'>{formatFen(memberPrice)}</Text>
              <Text className='product__price-label'>{product.levelName}价</Text>
            </>
          )}
          <Text className='product__list-price'>原价 {formatFen(product.priceFen)}</Text>
          {product.soldCount > 0 ? <Text className='product__sold'>已团 {product.soldCount.toLocaleString('zh-CN')} 件</Text> : null}
        </View>
        <Text className='product__name'>{product.name}</Text>
        {product.subtitle ? <Text className='product__sub'>{product.subtitle}</Text> : null}
        <View className='product__tags'>
          {product.tags.map((tag) => (
            <Tag key={tag} type='danger' plain className='product__tag'>
              {tag}
            </Tag>
          ))}
        </View>
      </View>

      <View className='product__panel'>
        <Text className='product__panel-title'>团期</Text>
        {product.sessions.length === 0 ? <Text className='product__session-note'>暂未开团，敬请期待</Text> : null}
        {product.sessions.length > 0 && product.sessions[0]!.day !== today() ? <Text className='product__session-note'>今日已截单，现在下单为{sessionName(product.sessions[0]!.day)}</Text> : null}
        {product.sessions.length > 1 ? (
          <View className='product__sessions'>
            {product.sessions.map((s) => (
              <Text key={s.day} className={`product__session ${s.day === day ? 'product__session--on' : ''} ${s.left === 0 ? 'product__session--out' : ''}`} onClick={() => s.left > 0 && setDay(s.day)}>
                {sessionName(s.day)}
                {s.left === 0 ? '（已售罄）' : ''}
              </Text>
            ))}
          </View>
        ) : null}
        {words ? (
          <Text className='product__promise'>
            {words.cutoff} · {words.pickup}
            {session && session.left <= 20 ? ` · 仅剩 ${session.left} 件` : ''} · 每人限 {session?.perMemberLimit} 件
          </Text>
        ) : product.sessions.length ? (
          <Text className='product__session-note'>已售罄，明天再来看看</Text>
        ) : null}
      </View>

      <View className='product__panel'>
        <Fact label='规格' value={product.spec || product.unit} />
        {product.origin ? <Fact label='产地' value={product.origin} /> : null}
        <Fact label='单位' value={product.unit} />
        <Fact label='会员价' value={`${formatFen(memberPrice)}（${product.levelName}）`} />
        <Fact label='取货' value='下单选团长自提点或门店，到货后凭提货码自提' />
      </View>

      {activity ? (
        <View className='product__panel'>
          <Text className='product__panel-title'>拼团更省</Text>
          <View className='product__tiers'>
            {activity.tiers.map((t) => (
              <View key={t.size} className='product__tier' onClick={() => checkout(`tierSize=${t.size}`)}>
                <Text className='product__tier-size'>{t.size}人团</Text>
                <Text className='product__tier-price'>{formatFen(t.priceFen)}</Text>
              </View>
            ))}
          </View>
          {activity.openGroups?.length ? <Text className='product__hint'>这些团还差人，直接参与</Text> : null}
          {activity.openGroups?.map((g) => <OpenGroupRow key={g.id} group={g} onJoin={() => checkout(`groupId=${g.id}`)} />)}
        </View>
      ) : null}

      <View className='product__panel product__reviews'>
        <View className='product__reviews-head'>
          <Text className='product__panel-title'>评价{reviews?.summary.count ? `（${reviews.summary.count}）` : ''}</Text>
          {reviews?.summary.averageRating ? <Text className='product__reviews-score'>{reviews.summary.averageRating.toFixed(1)} 分</Text> : null}
        </View>
        {reviews && reviews.reviews.length === 0 ? <Text className='product__hint'>还没有评价，买过的邻居取货后可以来晒单</Text> : null}
        {reviews?.reviews.map((r) => <ReviewItem key={r.id} review={r} />)}
        {reviews?.next ? (
          <Text className='product__more' onClick={moreReviews}>
            查看更多评价 ›
          </Text>
        ) : null}
      </View>

      <View className='product__bar'>
        <ShareButton page='pages/product/index' targetId={product.id} label='分享' type='default' className='product__share' />
        <View className='product__cart' onClick={() => Taro.switchTab({ url: '/pages/cart/index' })}>
          <Cart size={20} color='#666' />
          <Text className='product__cart-text'>购物车</Text>
        </View>
        <Button type='default' className='product__alone' disabled={!session} onClick={() => void addToCart()}>
          加入购物车
        </Button>
        {!activity ? (
          <Button type='primary' className='product__open' disabled={!session} onClick={buyNow}>
            <View className='product__button-text'>
              <Text className='product__button-price'>{formatFen(memberPrice)}</Text>
              <Text>立即购买</Text>
            </View>
          </Button>
        ) : null}
        {activity ? (
          <Button type='primary' className='product__open' onClick={() => checkout(`tierSize=${activity.tiers[0]!.size}`)}>
            <View className='product__button-text'>
              <Text className='product__button-price'>{formatFen(activity.tiers[0]!.priceFen)}</Text>
              <Text>发起{activity.tiers[0]!.size}人团</Text>
            </View>
          </Button>
        ) : null}
      </View>
      {sheet}
    </View>
  )
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <View className='product__fact'>
      <Text className='product__fact-label'>{label}</Text>
      <Text className='product__fact-value'>{value}</Text>
    </View>
  )
}
