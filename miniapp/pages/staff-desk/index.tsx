import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Empty, Input } from '@nutui/nutui-react-taro'
import { Scan } from '@nutui/icons-react-taro'
import type { OrderView, StaffRedemptionView, StoreView } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import LoginRequired from '../../components/LoginRequired'
import { useSignedInData } from '../../hooks/useSignedInData'
import { session } from '../../utils/session'
import { dateTime } from '../../utils/format'
import './index.scss'

type Outcome = { ok: true; redemption: StaffRedemptionView } | { ok: true; pickup: OrderView } | { ok: false; message: string }

export default function StaffDeskPage() {
  const user = session.user()
  const { signedIn, data, setData, reload } = useSignedInData(async () => {
    const [today, stores] = await Promise.all([api.staff.today(), api.stores()])
    return { today: today.redemptions, stores: stores.stores.filter((s) => session.user()?.storeIds.includes(s.id)) }
  })
  const [storeId, setStoreId] = useState<string | null>(null)
  const [code, setCode] = useState('')
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<Outcome | null>(null)

  const stores: StoreView[] = data?.stores ?? []
  const chosenStore = storeId ?? stores[0]?.id ?? null

  const verify = async (raw: string) => {
    const text = raw.trim().toUpperCase()
    if (!text) return Taro.showToast({ title: '请输入券码', icon: 'none' })
    setBusy(true)
    const store = stores.length > 1 ? (chosenStore ?? undefined) : undefined
    try {
      // Voucher codes and pickup codes look alike: a code that is no voucher is tried as a group-buy pickup.
      try {
        const { redemption } = await api.staff.redeem(text, store)
        setOutcome({ ok: true, redemption })
        setData((d) => (d ? { ...d, today: [redemption, ...d.today] } : d))
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 'VOUCHER_NOT_FOUND')) throw err
        setOutcome({ ok: true, pickup: (await api.pickups.confirm(text, store)).order })
      }
      setCode('')
    } catch (err) {
      setOutcome({ ok: false, message: err instanceof ApiError ? err.message : '核销失败，请重试' })
    } finally {
      setBusy(false)
    }
  }

  const scan = async () => {
    try {
      const res = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })
      await verify(res.result)
    } catch {
      /* the clerk closed the scanner */
    }
  }

  if (!signedIn) return <LoginRequired what='核销台' inPlace={false} />
  if (!user?.roles.includes('staff')) return <Empty status='error' description='仅门店店员可以使用核销台' />

  return (
    <View className='desk'>
      {stores.length > 1 ? (
        <View className='desk__stores'>
          {stores.map((s) => (
            <Text key={s.id} className={`desk__store ${s.id === chosenStore ? 'desk__store--on' : ''}`} onClick={() => setStoreId(s.id)}>
              {s.name}
            </Text>
          ))}
        </View>
      ) : stores[0] ? (
        <Text className='desk__store-single'>当前门店：{stores[0].name}</Text>
      ) : null}

      <View className='desk__panel'>
        {process.env.TARO_ENV === 'weapp' ? (
          <Button type='primary' block className='desk__scan' onClick={scan} icon={<Scan color='#fff' />}>
            扫码核销
          </Button>
        ) : null}
        <View className='desk__manual'>
          <Input className='desk__input' placeholder='输入券码或提货码，如 K7Q2-M9XA-3FZP' value={code} onChange={setCode} maxLength={20} />
          <Button type='primary' loading={busy} onClick={() => verify(code)} className='desk__verify'>
            核销
          </Button>
        </View>
      </View>

      {outcome ? (
        <View className={`desk__result ${outcome.ok ? 'desk__result--ok' : 'desk__result--fail'}`}>
          {outcome.ok && 'pickup' in outcome ? (
            <>
              <Text className='desk__result-title'>提货成功</Text>
              <Text className='desk__result-line'>{outcome.pickup.title} × 1</Text>
              <Text className='desk__result-line'>拼团订单 · 实付 {(outcome.pickup.price.payFen / 100).toFixed(2)} 元</Text>
            </>
          ) : outcome.ok ? (
            <>
              <Text className='desk__result-title'>核销成功</Text>
              <Text className='desk__result-line'>{outcome.redemption.itemName}</Text>
              <Text className='desk__result-line'>顾客 {outcome.redemption.shopper} · {dateTime(outcome.redemption.at)}</Text>
            </>
          ) : (
            <>
              <Text className='desk__result-title'>无法核销</Text>
              <Text className='desk__result-line'>{outcome.message}</Text>
            </>
          )}
        </View>
      ) : null}

      <View className='desk__panel'>
        <View className='desk__history-head'>
          <Text className='desk__title'>今日核销</Text>
          <Text className='desk__count' onClick={() => void reload()}>
            共 {data?.today.length ?? 0} 笔 · 刷新
          </Text>
        </View>
        {data && data.today.length === 0 ? <Empty description='今天还没有核销记录' /> : null}
        {data?.today.map((r) => (
          <View key={r.voucherCode} className='desk__row'>
            <View>
              <Text className='desk__row-item'>{r.itemName}</Text>
              <Text className='desk__row-meta'>
                {r.shopper} · {r.voucherCode}
              </Text>
            </View>
            <Text className='desk__row-time'>{dateTime(r.at).slice(11)}</Text>
          </View>
        ))}
      </View>
    </View>
  )
}
