import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import { Scan } from '@nutui/icons-react-taro'
import { formatFen, type StaffCodePreview, type StoreView } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import LoginRequired from '../../components/LoginRequired'
import Stepper from '../../components/Stepper'
import { useSignedInData } from '../../hooks/useSignedInData'
import { session } from '../../utils/session'
import { dateTime } from '../../utils/format'
import './index.scss'

type Outcome = { ok: true; title: string; lines: string[] } | { ok: false; message: string }

/**
 * 核销台: a code typed or scanned is looked up first (what it is, whose, where it can be handed
 * over, or why not), and only 确认核销 redeems the voucher or hands the order over.
 */
export default function StaffDeskPage() {
  const user = session.user()
  const { signedIn, data, reload } = useSignedInData(async () => {
    const [today, stores] = await Promise.all([api.staff.today(), api.stores()])
    return { today: today.redemptions, stores: stores.stores.filter((s) => session.user()?.storeIds.includes(s.id)) }
  })
  const [storeId, setStoreId] = useState<string | null>(null)
  const [code, setCode] = useState('')
  const [busy, setBusy] = useState(false)
  const [preview, setPreview] = useState<StaffCodePreview | null>(null)
  const [outcome, setOutcome] = useState<Outcome | null>(null)
  /** A pickup's units to hand over now, per line (all still to hand over, until the clerk lowers one). */
  const [picked, setPicked] = useState<number[]>([])

  const stores: StoreView[] = data?.stores ?? []
  const chosenStore = storeId ?? stores[0]?.id ?? null
  const store = stores.length > 1 ? (chosenStore ?? undefined) : undefined
  const failed = (err: unknown, fallback: string) => setOutcome({ ok: false, message: err instanceof ApiError ? err.message : fallback })

  const lookUp = async (raw: string) => {
    if (!raw.trim()) return Taro.showToast({ title: '请输入券码', icon: 'none' })
    setBusy(true)
    setOutcome(null)
    setPreview(null)
    try {
      const found = (await api.staff.code(raw, store)).preview
      setPreview(found)
      setPicked(found.lines.map((l) => l.toHandOver))
    } catch (err) {
      failed(err, '查询失败，请重试')
    } finally {
      setBusy(false)
    }
  }

  const confirm = async () => {
    if (!preview) return
    setBusy(true)
    try {
      if (preview.kind === 'voucher') {
        const { redemption } = await api.staff.redeem(preview.code, store)
        setOutcome({ ok: true, title: '核销成功', lines: [redemption.itemName, `顾客 ${redemption.shopper} · ${dateTime(redemption.at)}`] })
      } else {
        const lines = preview.lines.map((l, i) => ({ line: l.line, quantity: picked[i] ?? 0 })).filter((l) => l.quantity > 0)
        if (!lines.length) {
          setBusy(false)
          return Taro.showToast({ title: '请选择要交付的商品', icon: 'none' })
        }
        const all = preview.lines.every((l, i) => (picked[i] ?? 0) === l.toHandOver)
        const { order } = await api.pickups.confirm(preview.code, store, all ? undefined : lines)
        const left = order.lines.reduce((n, l) => n + l.quantity - l.handedQty - l.refundedQty, 0)
        setOutcome({ ok: true, title: left > 0 ? `已交付所选商品，还有 ${left} 件待交付` : '提货成功', lines: [order.title, `实付 ${formatFen(order.price.payFen)}`] })
      }
      setPreview(null)
      setCode('')
      void reload()
    } catch (err) {
      failed(err, '核销失败，请重试')
    } finally {
      setBusy(false)
    }
  }

  const scan = async () => {
    try {
      const res = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })
      await lookUp(res.result)
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
          <Button type='primary' loading={busy && !preview} onClick={() => lookUp(code)} className='desk__verify'>
            查询
          </Button>
        </View>
      </View>

      {preview ? (
        <View className='desk__preview'>
          <Text className='desk__preview-kind'>{preview.kind === 'voucher' ? '积分兑换券' : '订单提货'} · {preview.code}</Text>
          <Text className='desk__preview-title'>{preview.title}</Text>
          <Text className='desk__result-line'>{preview.detail}</Text>
          <Text className='desk__result-line'>顾客 {preview.shopper}</Text>
          <Text className='desk__result-line'>可在 {preview.stores.map((s) => s.name).join('、')} 领取</Text>
          {preview.kind === 'pickup' && !preview.refusal && preview.lines.length > 1
            ? preview.lines.map((l, i) => (
                <View key={l.line} className='desk__line'>
                  <Text className='desk__line-name'>
                    {l.name}
                    {l.toHandOver < l.quantity ? `（共 ${l.quantity}，待交付 ${l.toHandOver}）` : ` × ${l.quantity}`}
                  </Text>
                  {l.toHandOver > 0 ? <Stepper value={picked[i] ?? 0} max={l.toHandOver} onChange={(n) => setPicked((p) => p.map((v, j) => (j === i ? n : v)))} /> : <Text className='desk__line-done'>{l.refunded ? '已退款' : '已交付'}</Text>}
                </View>
              ))
            : null}
          {preview.refusal ? (
            <Text className='desk__refusal'>{preview.refusal}</Text>
          ) : (
            <Button type='primary' block loading={busy} onClick={confirm} className='desk__confirm'>
              确认核销
            </Button>
          )}
        </View>
      ) : null}

      {outcome ? (
        <View className={`desk__result ${outcome.ok ? 'desk__result--ok' : 'desk__result--fail'}`}>
          <Text className='desk__result-title'>{outcome.ok ? outcome.title : '无法核销'}</Text>
          {(outcome.ok ? outcome.lines : [outcome.message]).map((line) => (
            <Text key={line} className='desk__result-line'>
              {line}
            </Text>
          ))}
        </View>
      ) : null}

      {chosenStore ? (
        <View className='desk__panel desk__stock' onClick={() => Taro.navigateTo({ url: `/pages/leader-stock/index?store=${chosenStore}` })}>
          <Text className='desk__title'>备货单 · 到货确认</Text>
          <Text className='desk__count'>查看本店团期备货 ›</Text>
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
          <View key={r.code} className='desk__row'>
            <View>
              <Text className='desk__row-item'>
                <Text className={`desk__row-kind desk__row-kind--${r.kind}`}>{r.kind === 'voucher' ? '兑换' : '提货'}</Text>
                {r.itemName}
              </Text>
              <Text className='desk__row-meta'>
                {r.shopper} · {r.code}
              </Text>
            </View>
            <Text className='desk__row-time'>{dateTime(r.at).slice(11)}</Text>
          </View>
        ))}
      </View>
    </View>
  )
}
