import { useEffect, useState } from 'react'
import { Button as WxButton, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import { api, ApiError } from '../../api'
import './index.scss'

const isWeapp = process.env.TARO_ENV === 'weapp'

/**
 * 绑定手机号: WeChat's getPhoneNumber button in the mini-program (the member taps, WeChat asks,
 * the server exchanges the code); in the H5 demo a typed number, only where the server offers
 * the demo sign-in (development). `why` says what the number is for, in the member's words.
 */
export default function PhoneBinder({ label = '绑定手机号', why, onBound }: { label?: string; why?: string; onBound: (masked: string) => void }) {
  const [busy, setBusy] = useState(false)
  const [typed, setTyped] = useState('')
  const [demo, setDemo] = useState(false)
  useEffect(() => {
    if (!isWeapp) void api.auth.methods().then((m) => setDemo(m.demo), () => setDemo(false))
  }, [])

  const bind = async (body: { code: string } | { phoneNumber: string }) => {
    setBusy(true)
    try {
      const { phoneMasked } = await api.phone.bind(body)
      Taro.showToast({ title: '手机号已绑定', icon: 'success' })
      onBound(phoneMasked!)
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '绑定失败，请重试', icon: 'none' })
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='phone-binder'>
      {why ? <Text className='phone-binder__why'>{why}</Text> : null}
      {isWeapp ? (
        <WxButton
          className='phone-binder__wx'
          openType='getPhoneNumber'
          disabled={busy}
          onGetPhoneNumber={(e) => {
            // No code: the member declined in WeChat's dialog; nothing to say.
            const code = (e.detail as { code?: string }).code
            if (code) void bind({ code })
          }}
        >
          {label}
        </WxButton>
      ) : demo ? (
        <View className='phone-binder__typed'>
          <Input className='phone-binder__input' type='digit' placeholder='输入手机号（体验环境）' maxLength={11} value={typed} onChange={setTyped} />
          <Button type='primary' size='small' loading={busy} disabled={!/^1[3-9]\d{9}$/.test(typed)} onClick={() => bind({ phoneNumber: typed })}>
            绑定
          </Button>
        </View>
      ) : (
        <Text className='phone-binder__why'>请在微信小程序中绑定手机号</Text>
      )}
    </View>
  )
}
