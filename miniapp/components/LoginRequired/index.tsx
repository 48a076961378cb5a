import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import Empty from '../EmptyState'
import { ApiError } from '../../api'
import { useSession } from '../../hooks/useSession'
import './index.scss'

/** Reopens the current page with its query, now signed in (it may be a share card's target). */
function reopenHere() {
  const router = Taro.getCurrentInstance().router
  const params = Object.entries(router?.params ?? {})
    .filter(([k, v]) => v !== undefined && k !== '$taroTimestamp' && k !== 'stamp')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&')
  const path = (router?.path ?? '/pages/index/index').split('?')[0]
  return Taro.reLaunch({ url: `${path.startsWith('/') ? path : `/${path}`}${params ? `?${params}` : ''}` })
}

/**
 * What a members-only page shows to a visitor who has not signed in. The shopper signs in right
 * here and stays on the page (a friend arriving from a share card must not lose it); pages for
 * staff send them to 我的, where the staff login is.
 */
export default function LoginRequired({ what, inPlace = true }: { what: string; inPlace?: boolean }) {
  const { busy, login } = useSession()
  const signIn = async () => {
    if (!inPlace) return Taro.switchTab({ url: '/pages/mine/index' })
    try {
      await login()
      await reopenHere()
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '登录失败，请重试', icon: 'none' })
    }
  }
  return (
    <View className='login-required'>
      <Empty description={`登录后查看${what}`} />
      <Button type='primary' loading={busy} className='login-required__button' onClick={signIn}>
        {inPlace && process.env.TARO_ENV === 'weapp' ? '微信一键登录' : '去登录'}
      </Button>
    </View>
  )
}
