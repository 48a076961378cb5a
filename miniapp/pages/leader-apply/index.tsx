import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button, Input, Skeleton } from '@nutui/nutui-react-taro'
import type { LeaderApplicationView } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import LoginRequired from '../../components/LoginRequired'
import { session } from '../../utils/session'
import { useRules } from '../../hooks/useRules'
import './index.scss'

const FIELDS = [
  { key: 'name', label: '姓名', placeholder: '真实姓名' },
  { key: 'phone', label: '手机号', placeholder: '11 位手机号' },
  { key: 'community', label: '所在小区', placeholder: '如：漕溪新村' },
  { key: 'address', label: '自提点地址', placeholder: '门牌号、店名，方便邻居找到' },
  { key: 'hours', label: '营业时间', placeholder: '如：每天 08:00-20:00' },
] as const
type Form = Record<(typeof FIELDS)[number]['key'], string>

/** 申请团长: the form, or where the application stands. */
export default function LeaderApplyPage() {
  const [state, setState] = useState<{ application: LeaderApplicationView | null; leader: boolean } | null>(null)
  const [form, setForm] = useState<Form>({ name: '', phone: '', community: '', address: '', hours: '每天 08:00-20:00' })
  const [location, setLocation] = useState({ latitude: 31.2304, longitude: 121.4737 })
  const [busy, setBusy] = useState(false)
  const rules = useRules()
  const signedIn = Boolean(session.accessToken())

  useDidShow(() => {
    if (signedIn) void api.leaders.application().then(setState, () => setState({ application: null, leader: false }))
  })

  const pickLocation = async () => {
    try {
      const place = await Taro.chooseLocation({})
      setLocation({ latitude: place.latitude, longitude: place.longitude })
      setForm((f) => ({ ...f, address: place.address || place.name || f.address }))
    } catch {
      /* closed the map */
    }
  }

  const submit = async () => {
    setBusy(true)
    try {
      const { application } = await api.leaders.apply({ ...form, location })
      setState({ application, leader: false })
      Taro.showToast({ title: '申请已提交，请等待审核', icon: 'none' })
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '提交失败，请重试', icon: 'none' })
    } finally {
      setBusy(false)
    }
  }

  if (!signedIn) return <LoginRequired what='团长申请' />
  if (!state) return <Skeleton rows={8} animated className='apply__skeleton' />
  if (state.leader) {
    return (
      <View className='apply apply--status'>
        <Text className='apply__status-title'>你已经是团长了</Text>
        <Button type='primary' onClick={() => Taro.redirectTo({ url: '/pages/leader-centre/index' })}>
          进入团长中心
        </Button>
      </View>
    )
  }
  const a = state.application
  if (a?.state === 'pending') {
    return (
      <View className='apply apply--status'>
        <Text className='apply__status-title'>申请审核中</Text>
        <Text className='apply__status-text'>
          {a.community} · {a.address}
        </Text>
        <Text className='apply__status-text'>运营同学会在 1-2 个工作日内联系你（{a.phone}）</Text>
      </View>
    )
  }

  return (
    <View className='apply'>
      <View className='apply__hero'>
        <Text className='apply__title'>成为社区团长</Text>
        <Text className='apply__subtitle'>在小区开设自提点，邻居下单你来交付，{rules ? `每单得 ${rules.leaders.commissionPercent}% 佣金` : '每单得佣金'}</Text>
      </View>
      {a?.state === 'rejected' ? <Text className='apply__rejected'>上次申请未通过：{a.reason}。修改后可重新提交。</Text> : null}
      <View className='apply__panel'>
        {FIELDS.map((field) => (
          <View key={field.key} className='apply__row'>
            <Text className='apply__label'>{field.label}</Text>
            <Input className={`apply__input apply__input--${field.key}`} placeholder={field.placeholder} value={form[field.key]} onChange={(v) => setForm((f) => ({ ...f, [field.key]: v }))} />
          </View>
        ))}
        {process.env.TARO_ENV === 'weapp' ? (
          <Button fill='outline' type='primary' block onClick={pickLocation} className='apply__locate'>
            在地图上选择自提点位置
          </Button>
        ) : null}
      </View>
      <View className='apply__bar'>
        <Button type='primary' block loading={busy} onClick={submit} className='apply__submit'>
          提交申请
        </Button>
      </View>
    </View>
  )
}
