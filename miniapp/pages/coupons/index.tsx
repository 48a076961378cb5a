import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Skeleton, Tabs } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import { type CouponListQuery, type CouponView } from '@xianlin/shared'
import { api } from '../../api'
import LoginRequired from '../../components/LoginRequired'
import CouponTicket from '../../components/CouponTicket'
import { useTabbedData } from '../../hooks/useSignedInData'
import { dotDate } from '../../utils/format'
import './index.scss'

type State = CouponListQuery['state']
const TABS: Array<{ value: State; title: string; empty: string }> = [
  { value: 'usable', title: '可使用', empty: '暂无可用优惠券，邀请好友、参与拼团可得' },
  { value: 'used', title: '已使用', empty: '还没有用过优惠券' },
  { value: 'expired', title: '已过期', empty: '没有过期的优惠券' },
]

/** 去使用: where a coupon can be spent (the shelf, the group-buys, or the points mall). */
const spendCoupon = (c: CouponView) =>
  c.scope === 'all' ? Taro.switchTab({ url: '/pages/category/index' }) : Taro.navigateTo({ url: c.scope === 'groupbuy' ? '/pages/groupbuys/index' : '/pages/mall/index' })

const load = async (state: State) => (await api.coupons(state)).coupons

export default function CouponsPage() {
  const { signedIn, data: coupons, failed, tab, setTab } = useTabbedData('usable' as State, load)

  if (!signedIn) return <LoginRequired what='优惠券' />

  const current = TABS.find((t) => t.value === tab)!
  return (
    <View className='coupons'>
      <Tabs
        value={tab}
        activeType='line'
        activeColor='#fa2c19'
        onChange={(value) => setTab(value as State)}
      >
        {TABS.map((t) => (
          <Tabs.TabPane key={t.value} title={t.title} value={t.value} />
        ))}
      </Tabs>
      <View className='coupons__list'>
        {failed ? (
          <Empty status='network' description='网络不给力，下拉刷新试试' />
        ) : coupons === null ? (
          <Skeleton rows={5} animated />
        ) : coupons.length === 0 ? (
          <Empty description={current.empty} />
        ) : (
          coupons.map((c) => (
            <CouponTicket key={c.id} terms={c} validity={`${dotDate(c.validFrom)} - ${dotDate(c.validTo)}`} dim={tab !== 'usable'}>
              {c.state === 'locked' ? (
                <Text className='coupon__stamp'>使用中</Text>
              ) : tab === 'usable' ? (
                <Text className='coupon__use' onClick={() => void spendCoupon(c)}>
                  去使用
                </Text>
              ) : null}
            </CouponTicket>
          ))
        )}
      </View>
    </View>
  )
}
