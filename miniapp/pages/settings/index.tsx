import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Switch } from '@nutui/nutui-react-taro'
import { api, ApiError } from '../../api'
import LoginRequired from '../../components/LoginRequired'
import PhoneBinder from '../../components/PhoneBinder'
import { useSession } from '../../hooks/useSession'
import { session } from '../../utils/session'
import './index.scss'

/** 我的 → 设置: the bound phone number (masked), campaign offers on or off, and 注销账号. */
export default function Settings() {
  const { user, logout } = useSession()
  const [changing, setChanging] = useState(false)
  const [masked, setMasked] = useState<string | null | undefined>(undefined)
  const [offers, setOffers] = useState<boolean | null>(null)
  useEffect(() => {
    if (user) api.marketing.get().then((r) => setOffers(!r.optOut), () => setOffers(null))
  }, [user])
  if (!user) return <LoginRequired what='设置' />
  const phone = masked === undefined ? user.phoneMasked : masked

  const bound = (m: string) => {
    setMasked(m)
    setChanging(false)
    session.updateUser({ ...user, phoneMasked: m })
  }

  const unbind = async () => {
    const { confirm } = await Taro.showModal({ title: '解绑手机号', content: '解绑后，邀请奖励与订单通知将无法关联到手机号，确定解绑？', confirmText: '解绑', confirmColor: '#fa2c19' })
    if (!confirm) return
    try {
      await api.phone.unbind()
      setMasked(null)
      session.updateUser({ ...user, phoneMasked: null })
      Taro.showToast({ title: '已解绑', icon: 'none' })
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '解绑失败，请重试', icon: 'none' })
    }
  }

  const toggleOffers = async (on: boolean) => {
    setOffers(on)
    try {
      await api.marketing.set(!on)
      Taro.showToast({ title: on ? '已开启活动优惠消息' : '已关闭，不再向你发送活动优惠', icon: 'none' })
    } catch (err) {
      setOffers(!on)
      Taro.showToast({ title: err instanceof ApiError ? err.message : '设置失败，请重试', icon: 'none' })
    }
  }

  const deleteAccount = async () => {
    const { confirm } = await Taro.showModal({
      title: '注销账号',
      content: '注销后，你的昵称、手机号等个人信息将被删除，积分、优惠券和会员等级不再可用，且无法恢复。确定注销？',
      confirmText: '确认注销',
      confirmColor: '#fa2c19',
    })
    if (!confirm) return
    try {
      await api.deleteAccount()
      logout()
      Taro.showToast({ title: '账号已注销', icon: 'none' })
      void Taro.switchTab({ url: '/pages/mine/index' })
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '注销失败，请重试', icon: 'none' })
    }
  }

  return (
    <View className='settings'>
      <View className='settings__panel'>
        <Text className='settings__title'>手机号</Text>
        {phone && !changing ? (
          <View className='settings__row'>
            <Text className='settings__phone'>{phone}</Text>
            <View className='settings__actions'>
              <Text className='settings__link' onClick={() => setChanging(true)}>
                更换
              </Text>
              <Text className='settings__link settings__link--muted' onClick={unbind}>
                解绑
              </Text>
            </View>
          </View>
        ) : (
          <PhoneBinder label={phone ? '使用新手机号' : '微信手机号一键绑定'} why='绑定后可领取邀请奖励，自提与售后时团长和门店也能联系到你' onBound={bound} />
        )}
      </View>

      <View className='settings__panel'>
        <Text className='settings__title'>活动优惠</Text>
        <View className='settings__row'>
          <Text className='settings__note'>接收回归礼包、专属优惠券等活动消息</Text>
          {offers !== null && <Switch checked={offers} onChange={(on) => void toggleOffers(on)} />}
        </View>
      </View>

      <View className='settings__panel'>
        <Text className='settings__title'>账号</Text>
        <Text className='settings__note'>注销账号将删除你的个人信息；已产生的订单与积分记录会匿名保留，用于对账；曾获得邀请奖励的手机号、微信账号和设备仅以不可还原的加密摘要保留，用于防止重复领取奖励。</Text>
        <Button block fill='outline' className='settings__delete' onClick={deleteAccount}>
          注销账号
        </Button>
      </View>
    </View>
  )
}
