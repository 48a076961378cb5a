import { View, Text } from '@tarojs/components'
import Taro, { useLoad } from '@tarojs/taro'
import { Skeleton, Tabs } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import { formatFen, type OrderListQuery } from '@xianlin/shared'
import { api } from '../../api'
import LoginRequired from '../../components/LoginRequired'
import { useTabbedData } from '../../hooks/useSignedInData'
import { dotDate } from '../../utils/format'
import { ORDER_STATE_TEXT } from '../../utils/order-state'
import { orderKindText, pickupText } from '../../utils/order-text'
import Cover from '../../components/Cover'
import './index.scss'

type State = NonNullable<OrderListQuery['state']>
const TABS: Array<{ value: State; title: string }> = [
  { value: 'all', title: '全部' },
  { value: 'pending_payment', title: '待付款' },
  { value: 'forming', title: '待成团' },
  { value: 'pickup', title: '待自提' },
  { value: 'completed', title: '已完成' },
  { value: 'refunded', title: '退款/关闭' },
]

const load = async (state: State) => (await api.orders.list(state)).orders

/** 我的订单: baskets and group-buy orders, by state, with what they hold and when they are picked up; a tap opens the order (pickup code). */
export default function OrdersPage() {
  const { signedIn, data, failed, tab, setTab } = useTabbedData('all' as State, load)
  useLoad((params: Record<string, string | undefined>) => {
    if (params.state && TABS.some((t) => t.value === params.state)) setTab(params.state as State)
  })

  if (!signedIn) return <LoginRequired what='订单' />
  return (
    <View className='orders'>
      <Tabs value={tab} activeType='line' activeColor='#fa2c19' onChange={(v) => setTab(v as State)}>
        {TABS.map((t) => (
          <Tabs.TabPane key={t.value} title={t.title} value={t.value} />
        ))}
      </Tabs>
      <View className='orders__list'>
        {failed ? (
          <Empty status='network' description='网络不给力，下拉刷新试试' />
        ) : data === null ? (
          <Skeleton rows={5} animated />
        ) : data.length === 0 ? (
          <Empty description='还没有订单，去分类逛逛' />
        ) : (
          data.map((o) => (
            <View key={o.id} className='orders__card' onClick={() => Taro.navigateTo({ url: `/pages/order/index?id=${o.id}` })}>
              <View className='orders__head'>
                <Text className='orders__store'>{o.pickup.name}</Text>
                <Text className={`orders__state orders__state--${o.state}`}>{ORDER_STATE_TEXT[o.state]}</Text>
              </View>
              <View className='orders__row'>
                {o.lines.length > 1 ? (
                  <View className='orders__covers'>
                    {o.lines.slice(0, 3).map((l) => (
                      <Cover key={`${l.productId}:${l.day}`} cover={l.cover} className='orders__cover orders__cover--small' emojiClassName='orders__emoji orders__emoji--small' />
                    ))}
                  </View>
                ) : (
                  <Cover cover={o.product.cover} className='orders__cover' emojiClassName='orders__emoji' />
                )}
                <View className='orders__body'>
                  <Text className='orders__name'>{o.lines.length > 1 ? `${o.lines.length} 种商品` : o.title}</Text>
                  <Text className='orders__meta'>
                    {orderKindText(o)} · {dotDate(o.createdAt)} 下单
                  </Text>
                  {pickupText(o) && ['paid', 'confirmed'].includes(o.state) ? <Text className='orders__pickup'>{pickupText(o)}</Text> : null}
                </View>
                <Text className='orders__pay'>{formatFen(o.price.payFen)}</Text>
              </View>
            </View>
          ))
        )}
      </View>
    </View>
  )
}
