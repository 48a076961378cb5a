import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Input, Skeleton } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import type { PickupPoint } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import LoginRequired from '../../components/LoginRequired'
import { useSignedInData } from '../../hooks/useSignedInData'
import { dateTime } from '../../utils/format'
import './index.scss'

/**
 * Opens the pickup point on a map: WeChat's map in the mini-program. A browser has no map of its
 * own here: it shows the address to copy into the shopper's map app.
 */
async function openMap(p: PickupPoint) {
  const { latitude, longitude } = p.location
  if (process.env.TARO_ENV === 'weapp') return void Taro.openLocation({ latitude, longitude, name: p.name, address: p.address, scale: 17 })
  const { confirm } = await Taro.showModal({ title: p.name, content: `${p.address}\n营业时间 ${p.hours}`, confirmText: '复制地址', cancelText: '关闭' })
  if (confirm) await Taro.setClipboardData({ data: p.address }).catch(() => undefined)
}

/** Calls the leader: WeChat's call sheet in the mini-program, the phone's dialler (a tel: link) in a browser. */
async function callLeader(p: PickupPoint) {
  if (process.env.TARO_ENV === 'weapp') return void Taro.makePhoneCall({ phoneNumber: p.phone }).catch(() => undefined)
  const { confirm } = await Taro.showModal({ title: '联系团长', content: `${p.name}  ${p.phone}`, confirmText: '拨打', cancelText: '关闭' })
  if (confirm) window.location.href = `tel:${p.phone}`
}

/** 我的团长: the member's pickup point, its hours and map, and switching to another leader. */
export default function MyLeaderPage() {
  const { signedIn, data, failed, reload } = useSignedInData(() => api.leaders.mine())
  const [code, setCode] = useState('')
  const [busy, setBusy] = useState(false)

  const bind = async () => {
    const text = code.trim().toUpperCase()
    if (!text) return Taro.showToast({ title: '请输入团长码', icon: 'none' })
    if (data?.leader.point) {
      const { confirm } = await Taro.showModal({ title: '更换团长', content: '更换后，新订单默认到新团长处自提', confirmText: '确认更换', confirmColor: '#fa2c19' })
      if (!confirm) return
    }
    setBusy(true)
    try {
      await api.leaders.bind(text, Boolean(data?.leader.point))
      setCode('')
      Taro.showToast({ title: '已绑定新团长', icon: 'none' })
      void reload()
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '绑定失败，请重试', icon: 'none' })
    } finally {
      setBusy(false)
    }
  }

  if (!signedIn) return <LoginRequired what='我的团长' />
  if (failed) return <Empty status='network' description='网络不给力，下拉刷新试试' />
  if (!data) return <Skeleton rows={6} animated className='my-leader__skeleton' />
  const p = data.leader.point

  return (
    <View className='my-leader'>
      {p ? (
        <View className='my-leader__card'>
          <Text className='my-leader__name'>{p.name}</Text>
          {!p.active ? <Text className='my-leader__paused'>该自提点暂停服务，可更换团长或选择门店自提</Text> : null}
          <Text className='my-leader__line'>地址：{p.address}</Text>
          <Text className='my-leader__line'>营业：{p.hours}</Text>
          <Text className='my-leader__line'>电话：{p.phone}</Text>
          {data.leader.boundAt ? <Text className='my-leader__since'>{dateTime(data.leader.boundAt)} 绑定</Text> : null}
          <View className='my-leader__actions'>
            <Button fill='outline' type='primary' onClick={() => void openMap(p)}>
              查看地图
            </Button>
            <Button fill='outline' onClick={() => void callLeader(p)}>
              联系团长
            </Button>
          </View>
        </View>
      ) : (
        <Empty description='还没有绑定团长：打开团长分享的链接，或输入团长码' />
      )}
      <View className='my-leader__panel'>
        <Text className='my-leader__title'>{p ? '更换团长' : '绑定团长'}</Text>
        <View className='my-leader__bind'>
          <Input className='my-leader__input' placeholder='输入 8 位团长码' value={code} onChange={setCode} maxLength={8} />
          <Button type='primary' loading={busy} onClick={bind}>
            {p ? '更换' : '绑定'}
          </Button>
        </View>
        {data.history.length > 1 ? <Text className='my-leader__history'>已更换过 {data.history.length - 1} 次团长</Text> : null}
      </View>
    </View>
  )
}
