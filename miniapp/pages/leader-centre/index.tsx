import { useEffect, useState } from 'react'
import { View, Text, Image } from '@tarojs/components'
import Taro, { useShareAppMessage } from '@tarojs/taro'
import { Button, Input, Skeleton } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import { Scan } from '@nutui/icons-react-taro'
import { AFTER_SALE_REASON_TEXT, AFTER_SALE_STATE_TEXT, formatFen, type AfterSaleView, type StaffCodePreview } from '@xianlin/shared'
import { api, ApiError, apiUrl } from '../../api'
import LoginRequired from '../../components/LoginRequired'
import QrCode from '../../components/QrCode'
import { useSignedInData } from '../../hooks/useSignedInData'
import Stepper from '../../components/Stepper'
import { dateTime, openSessionDay } from '../../utils/format'
import { useRules } from '../../hooks/useRules'
import { newIdempotencyKey } from '../../utils/idempotency'
import { h5Link } from '../../utils/links'
import { session } from '../../utils/session'
import './index.scss'

const ENTRY_TEXT = { earn: '订单佣金（冻结中）', release: '佣金解冻', cancel: '订单退款，佣金取消', reverse: '售后退款，已解冻佣金扣回', withdraw: '提现' } as const
const isWeapp = process.env.TARO_ENV === 'weapp'

/** 团长中心: orders to hand over (scan or type the member's code), members, invitations, commission. */
export default function LeaderCentrePage() {
  const { signedIn, data, failed, reload } = useSignedInData(async () => (await api.leaders.centre()).centre)
  const rules = useRules()
  const [afterSales, setAfterSales] = useState<AfterSaleView[]>([])
  useEffect(() => {
    if (data) void api.leaders.afterSales().then((r) => setAfterSales(r.afterSales), () => undefined)
  }, [data])
  const [code, setCode] = useState('')
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null)
  /** A scanned or typed code's order, to hand over by the line: units to hand over now, per line. */
  const [preview, setPreview] = useState<StaffCodePreview | null>(null)
  const [picked, setPicked] = useState<number[]>([])
  const [wxacode, setWxacode] = useState<string | null>(null)

  // In WeChat the poster carries the point's mini-program code (scene l_<code>); H5 shows a QR of the link.
  useEffect(() => {
    if (!isWeapp || !data?.code) return
    Taro.downloadFile({ url: apiUrl('/api/leader/poster'), header: { authorization: `Bearer ${session.accessToken()}` } })
      .then((res) => res.statusCode === 200 && setWxacode(res.tempFilePath))
      .catch(() => undefined)
  }, [data?.code])

  useShareAppMessage(() => ({ title: data ? `${data.point.community}团购自提点，邻居一起拼更省` : '鲜邻优选社区团购', path: data?.path ?? '/pages/index/index' }))

  /** Looks the code up: its lines, with every unit still to hand over picked. */
  const confirm = async (raw: string) => {
    const text = raw.trim().toUpperCase()
    if (!text) return Taro.showToast({ title: '请输入提货码', icon: 'none' })
    setBusy(true)
    try {
      const found = (await api.leaders.code(text)).preview
      setResult(found.refusal ? { ok: false, text: found.refusal } : null)
      setPreview(found.refusal ? null : found)
      setPicked(found.lines.map((l) => l.toHandOver))
    } catch (err) {
      setResult({ ok: false, text: err instanceof ApiError ? err.message : '查询失败，请重试' })
    } finally {
      setBusy(false)
    }
  }
  /** Hands over the picked units (all when every unit is picked); what is left can be handed over later or refunded. */
  const handOver = async () => {
    if (!preview) return
    const lines = preview.lines.map((l, i) => ({ line: l.line, quantity: picked[i] ?? 0 })).filter((l) => l.quantity > 0)
    if (!lines.length) return Taro.showToast({ title: '请选择要交付的商品', icon: 'none' })
    const all = preview.lines.every((l, i) => (picked[i] ?? 0) === l.toHandOver)
    setBusy(true)
    try {
      const { order } = await api.leaders.pickup(preview.code, all ? undefined : lines)
      const left = order.lines.reduce((n, l) => n + l.quantity - l.handedQty - l.refundedQty, 0)
      setResult({ ok: true, text: left > 0 ? `已交付所选商品，还有 ${left} 件待交付` : `${order.title} 已全部交付` })
      setPreview(null)
      setCode('')
      void reload()
    } catch (err) {
      setResult({ ok: false, text: err instanceof ApiError ? err.message : '确认失败，请重试' })
    } finally {
      setBusy(false)
    }
  }
  const approveAfterSale = async (id: string) => {
    try {
      const { afterSale } = await api.leaders.approveAfterSale(id)
      Taro.showToast({ title: `已同意，退款 ${formatFen(afterSale.fen)}`, icon: 'none' })
      setAfterSales((list) => list.map((a) => (a.id === id ? afterSale : a)))
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '操作失败，请重试', icon: 'none' })
    }
  }
  /** 未收到: the units not picked are refunded to the member at once (the goods never reached the point). */
  const refundMissing = async () => {
    if (!preview) return
    const lines = preview.lines.map((l, i) => ({ line: l.line, quantity: l.toHandOver - (picked[i] ?? 0) })).filter((l) => l.quantity > 0)
    if (!lines.length) return Taro.showToast({ title: '把未收到的商品数量减下来再退款', icon: 'none' })
    const { confirm: ok } = await Taro.showModal({ title: '未收到，直接退款', content: `${lines.length} 种商品未送到自提点，退款原路退回给邻居`, confirmText: '确认退款', confirmColor: '#fa2c19' })
    if (!ok) return
    try {
      const orderId = preview.orderId!
      await api.leaders.notReceived(orderId, lines, newIdempotencyKey())
      Taro.showToast({ title: '已为邻居退款', icon: 'none' })
      await confirm(preview.code)
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '退款失败，请重试', icon: 'none' })
    }
  }
  const scan = async () => {
    try {
      await confirm((await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })).result)
    } catch {
      /* closed the scanner */
    }
  }
  const withdraw = async () => {
    if (!data || data.commission.availableFen < 100) return Taro.showToast({ title: '满 1 元可提现', icon: 'none' })
    const amount = data.commission.availableFen
    const { confirm } = await Taro.showModal({ title: '申请提现', content: `提现 ${formatFen(amount)}，运营审核后打款到你的微信零钱`, confirmText: '申请提现', confirmColor: '#fa2c19' })
    if (!confirm) return
    try {
      await api.leaders.withdraw(amount, newIdempotencyKey())
      Taro.showToast({ title: '已提交提现申请', icon: 'none' })
      void reload()
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '提现失败，请重试', icon: 'none' })
    }
  }
  const copyLink = () => {
    if (!data) return
    const link = isWeapp ? data.path : h5Link(data.path)
    void Taro.setClipboardData({ data: link })
  }

  if (!signedIn) return <LoginRequired what='团长中心' inPlace={false} />
  if (failed) return <Empty status='error' description='仅团长可以使用团长中心' />
  if (!data) return <Skeleton rows={10} animated className='centre__skeleton' />

  return (
    <View className='centre'>
      <View className='centre__hero'>
        <Text className='centre__title'>{data.point.name}</Text>
        <Text className='centre__sub'>
          {data.point.address} · {data.point.hours}
        </Text>
        {data.state === 'suspended' ? <Text className='centre__suspended'>自提点已暂停服务，请联系运营</Text> : null}
        <View className='centre__money'>
          <View className='centre__money-cell'>
            <Text className='centre__money-value'>{formatFen(data.commission.pendingFen)}</Text>
            <Text className='centre__money-label'>冻结中佣金</Text>
          </View>
          <View className='centre__money-cell' onClick={withdraw}>
            <Text className='centre__money-value'>{formatFen(data.commission.availableFen)}</Text>
            <Text className='centre__money-label'>可提现 · 去提现 ›</Text>
          </View>
        </View>
      </View>

      <View className='centre__panel'>
        <Text className='centre__panel-title'>待交付订单（{data.toHandOver.length}）</Text>
        {isWeapp ? (
          <Button type='primary' block icon={<Scan color='#fff' />} onClick={scan} className='centre__scan'>
            扫码确认提货
          </Button>
        ) : null}
        <View className='centre__manual'>
          <Input className='centre__input' placeholder='输入提货码，如 K7Q2-M9XA-3FZP' value={code} onChange={setCode} maxLength={20} />
          <Button type='primary' loading={busy} onClick={() => confirm(code)} className='centre__confirm'>
            确认提货
          </Button>
        </View>
        {result ? <Text className={result.ok ? 'centre__result centre__result--ok' : 'centre__result centre__result--fail'}>{result.text}</Text> : null}
        {preview ? (
          <View className='centre__handover'>
            <Text className='centre__order-title'>
              {preview.shopper} · {preview.detail}
            </Text>
            {preview.lines.map((l, i) => (
              <View key={l.line} className='centre__handover-line'>
                <Text className='centre__handover-name'>
                  {l.name}
                  {l.toHandOver < l.quantity ? `（共 ${l.quantity}${l.unit}，待交付 ${l.toHandOver}）` : ` × ${l.quantity}`}
                </Text>
                {l.toHandOver > 0 ? <Stepper value={picked[i] ?? 0} max={l.toHandOver} onChange={(n) => setPicked((p) => p.map((v, j) => (j === i ? n : v)))} /> : <Text className='centre__none'>{l.refunded ? '已退款' : '已交付'}</Text>}
              </View>
            ))}
            <View className='centre__handover-actions'>
              <Button fill='outline' onClick={refundMissing}>
                未收到，退款
              </Button>
              <Button type='primary' loading={busy} onClick={handOver} className='centre__handover-confirm'>
                确认交付
              </Button>
            </View>
          </View>
        ) : null}
        {data.toHandOver.length === 0 ? <Text className='centre__none'>暂无待交付订单</Text> : null}
        {data.toHandOver.map((o) => (
          <View key={o.orderId} className='centre__order'>
            <Text className='centre__order-title'>{o.title}</Text>
            <Text className='centre__order-meta'>
              {o.member} · {formatFen(o.payFen)} · 成团于 {dateTime(o.confirmedAt)}
            </Text>
          </View>
        ))}
      </View>

      <View className='centre__panel centre__tools'>
        <Text className='centre__panel-title'>团期工具</Text>
        <View className='centre__tool-row'>
          <Button type='primary' onClick={() => Taro.navigateTo({ url: `/pages/chain/index?leader=${data.code}&day=${openSessionDay(rules?.shop.cutoffHour ?? 23)}` })}>
            发起今日接龙
          </Button>
          <Button fill='outline' onClick={() => Taro.navigateTo({ url: '/pages/leader-stock/index' })}>
            备货单 · 到货确认
          </Button>
        </View>
      </View>

      {afterSales.length ? (
        <View className='centre__panel'>
          <Text className='centre__panel-title'>自提点售后（{afterSales.filter((a) => a.state === 'submitted').length} 待审核）</Text>
          {afterSales.slice(0, 10).map((a) => (
            <View key={a.id} className='centre__order'>
              <Text className='centre__order-title'>
                {a.productName} × {a.quantity} · {AFTER_SALE_REASON_TEXT[a.reason]} · {formatFen(a.fen)}
              </Text>
              <Text className='centre__order-meta'>
                {a.member} · {AFTER_SALE_STATE_TEXT[a.state]}
                {a.note ? ` · ${a.note}` : ''}
              </Text>
              {a.approvable ? (
                <Button size='small' type='primary' fill='outline' onClick={() => void approveAfterSale(a.id)}>
                  同意退款
                </Button>
              ) : null}
            </View>
          ))}
        </View>
      ) : null}

      <View className='centre__panel centre__stats'>
        <Stat value={data.members.total} label='绑定邻居' />
        <Stat value={data.members.last7Days} label='近 7 天新增' />
        <Stat value={data.invitations.opened} label='链接打开' />
        <Stat value={data.invitations.ordered} label='已下单' />
      </View>

      <View className='centre__panel centre__share'>
        <Text className='centre__panel-title'>邀请邻居绑定</Text>
        {isWeapp ? (
          wxacode ? <Image src={wxacode} className='centre__wxacode' showMenuByLongpress /> : null
        ) : (
          <QrCode text={h5Link(data.path)} size={300} />
        )}
        <Text className='centre__code'>团长码 {data.code}</Text>
        {isWeapp ? (
          <Button type='primary' openType='share' className='centre__share-button'>
            分享到小区群
          </Button>
        ) : (
          <Button type='primary' onClick={copyLink} className='centre__share-button'>
            复制邀请链接
          </Button>
        )}
      </View>

      <View className='centre__panel'>
        <Text className='centre__panel-title'>佣金明细</Text>
        {data.commission.entries.length === 0 ? <Text className='centre__none'>还没有佣金记录</Text> : null}
        {data.commission.entries.map((e, i) => (
          <View key={`${e.at}-${i}`} className='centre__entry'>
            <View className='centre__entry-body'>
              <Text className='centre__entry-type'>{ENTRY_TEXT[e.type]}</Text>
              <Text className='centre__entry-at'>{dateTime(e.at)}</Text>
            </View>
            <Text className={e.amountFen >= 0 ? 'centre__entry-amount centre__entry-amount--plus' : 'centre__entry-amount'}>
              {e.amountFen >= 0 ? '+' : ''}
              {formatFen(e.amountFen)}
            </Text>
          </View>
        ))}
      </View>
    </View>
  )
}

function Stat({ value, label }: { value: number; label: string }) {
  return (
    <View className='centre__stat'>
      <Text className='centre__stat-value'>{value}</Text>
      <Text className='centre__stat-label'>{label}</Text>
    </View>
  )
}
