import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useDidShow, useLoad, usePullDownRefresh, useUnload } from '@tarojs/taro'
import { Button, Skeleton } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import type { VoucherView } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import QrCode from '../../components/QrCode'
import StoreList from '../../components/StoreList'
import { useCountdown } from '../../hooks/useCountdown'
import { dateTime } from '../../utils/format'
import './index.scss'

export default function VoucherPage() {
  const [code, setCode] = useState('')
  const [voucher, setVoucher] = useState<VoucherView | null>(null)
  const [failed, setFailed] = useState(false)
  const countdown = useCountdown(voucher?.state === 'active' ? voucher.expiresAt : null)

  const load = async (c: string) => {
    try {
      setVoucher((await api.vouchers.get(c)).voucher)
      setFailed(false)
    } catch {
      setFailed(true)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }

  useLoad((params) => setCode(String(params?.code ?? '')))
  useDidShow(() => code && void load(code))
  useEffect(() => {
    if (code) void load(code)
  }, [code])
  usePullDownRefresh(() => void load(code))

  // A bright screen scans better at the till; give the phone its brightness back on leaving.
  useEffect(() => {
    if (process.env.TARO_ENV !== 'weapp' || voucher?.state !== 'active') return
    Taro.setKeepScreenOn({ keepScreenOn: true })
  }, [voucher?.state])
  useUnload(() => {
    if (process.env.TARO_ENV === 'weapp') Taro.setKeepScreenOn({ keepScreenOn: false })
  })

  const cancel = async () => {
    if (!voucher) return
    // A gift (an assist's, bought with no points) has nothing to give back: it is only given up.
    const { confirm } = await Taro.showModal(
      voucher.points > 0
        ? { title: '取消兑换', content: `取消后 ${voucher.points} 积分将退回账户`, confirmText: '确认取消', confirmColor: '#fa2c19' }
        : { title: '放弃领取', content: '放弃后这张券作废，不能恢复', confirmText: '确认放弃', confirmColor: '#fa2c19' },
    )
    if (!confirm) return
    try {
      setVoucher((await api.vouchers.cancel(voucher.code)).voucher)
      Taro.showToast({ title: '已取消，积分已退回', icon: 'none' })
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '取消失败', icon: 'none' })
    }
  }

  if (failed) return <Empty status='error' description='兑换券不存在' />
  if (!voucher) return <Skeleton rows={8} animated className='voucher__skeleton' />

  const active = voucher.state === 'active'
  return (
    <View className='voucher'>
      <View className='voucher__card'>
        <Text className='voucher__item'>{voucher.item.name}</Text>
        <View className={`voucher__qr ${active ? '' : 'voucher__qr--dim'}`}>
          <QrCode text={voucher.code} size={440} />
          {active ? null : <Text className='voucher__stamp'>{voucher.state === 'redeemed' ? '已核销' : voucher.state === 'cancelled' ? '已取消' : '已过期'}</Text>}
        </View>
        <Text className='voucher__code'>{voucher.code}</Text>
        {active ? (
          <>
            <Text className='voucher__hint'>请向店员出示此码核销 · 建议调高屏幕亮度</Text>
            <Text className='voucher__countdown'>{countdown}</Text>
          </>
        ) : voucher.redeemed ? (
          <Text className='voucher__hint'>
            {dateTime(voucher.redeemed.at)} 于 {voucher.redeemed.storeName} 核销
          </Text>
        ) : null}
      </View>

      <StoreList title='可核销门店' stores={voucher.stores} />

      {active ? (
        <View className='voucher__actions'>
          <Button fill='outline' block onClick={cancel}>
            {voucher.points > 0 ? '取消兑换，退回积分' : '放弃领取'}
          </Button>
        </View>
      ) : null}
    </View>
  )
}
