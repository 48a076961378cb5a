import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Skeleton, Tabs } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import type { VoucherListQuery } from '@xianlin/shared'
import { api } from '../../api'
import LoginRequired from '../../components/LoginRequired'
import { useTabbedData } from '../../hooks/useSignedInData'
import { dotDate } from '../../utils/format'
import Cover from '../../components/Cover'
import './index.scss'

type State = VoucherListQuery['state']
const TABS: Array<{ value: State; title: string; empty: string }> = [
  { value: 'active', title: '待使用', empty: '还没有待使用的兑换券，去积分商城看看' },
  // Redeemed in store, or (a coupon item) issued straight to 我的优惠券: done either way.
  { value: 'used', title: '已完成', empty: '还没有完成的兑换' },
  { value: 'ended', title: '已失效', empty: '没有失效的兑换券' },
]
const STATE_TEXT: Record<string, string> = { active: '待使用', redeemed: '已核销', issued: '已发到优惠券', cancelled: '已取消', expired: '已过期' }

const load = async (state: State) => (await api.vouchers.list(state)).vouchers

export default function VouchersPage() {
  const { signedIn, data, failed, tab, setTab } = useTabbedData('active' as State, load)

  if (!signedIn) return <LoginRequired what='兑换记录' />
  const current = TABS.find((t) => t.value === tab)!
  return (
    <View className='vouchers'>
      <Tabs value={tab} activeType='line' activeColor='#fa2c19' onChange={(v) => setTab(v as State)}>
        {TABS.map((t) => (
          <Tabs.TabPane key={t.value} title={t.title} value={t.value} />
        ))}
      </Tabs>
      <View className='vouchers__list'>
        {failed ? (
          <Empty status='network' description='网络不给力，下拉刷新试试' />
        ) : data === null ? (
          <Skeleton rows={5} animated />
        ) : data.length === 0 ? (
          <Empty description={current.empty} />
        ) : (
          data.map((v) => (
            <View key={v.id} className='vouchers__card' onClick={() => v.item.kind === 'goods' && Taro.navigateTo({ url: `/pages/voucher/index?code=${v.code}` })}>
              <Cover cover={v.item.cover} className='vouchers__cover' emojiClassName='vouchers__emoji' />
              <View className='vouchers__body'>
                <Text className='vouchers__name'>{v.item.name}</Text>
                <Text className='vouchers__meta'>{v.points} 积分 · {dotDate(v.createdAt)} 兑换</Text>
                {v.expiresAt && v.state === 'active' ? <Text className='vouchers__meta'>{dotDate(v.expiresAt)} 前有效</Text> : null}
              </View>
              <Text className={`vouchers__state vouchers__state--${v.state}`}>{STATE_TEXT[v.state] ?? v.state}</Text>
            </View>
          ))
        )}
      </View>
    </View>
  )
}
