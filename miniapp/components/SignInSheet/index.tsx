import { useState, type ReactNode } from 'react'
import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Input, Popup } from '@nutui/nutui-react-taro'
import { ApiError } from '../../api'
import { useSession } from '../../hooks/useSession'
import { session } from '../../utils/session'
import './index.scss'

const isWeapp = process.env.TARO_ENV === 'weapp'

/**
 * Signs in where the shopper is, then does what they tapped: `requireSignIn(action)` runs the
 * action at once when signed in; otherwise WeChat signs in silently (H5 asks for the demo sign-in
 * in a sheet) and the action follows. The page renders `sheet`. The share attribution the visit
 * arrived with goes with the sign-in (useSession).
 */
export function useSignInGate(reason = '登录后继续', opts: { onTabPage?: boolean } = {}) {
  const { busy, login } = useSession()
  const [pending, setPending] = useState<(() => unknown) | null>(null)
  const [nickname, setNickname] = useState('')

  const signInThen = async (action: () => unknown, name?: string) => {
    try {
      await login(name)
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '登录失败，请重试', icon: 'none' })
      return
    }
    setPending(null)
    await action()
  }

  const requireSignIn = async (action: () => unknown) => {
    if (session.accessToken()) return action()
    if (isWeapp) return signInThen(action)
    setPending(() => action)
  }

  const sheet: ReactNode = isWeapp ? null : (
    <Popup visible={pending !== null} position='bottom' round closeable title={reason} onClose={() => setPending(null)}>
      {/* On a tab page the H5 tab bar stays on top of the page: the sheet's button sits above it. */}
      <View className={`sign-in-sheet ${opts.onTabPage ? 'sign-in-sheet--tab-page' : ''}`}>
        <Text className='sign-in-sheet__hint'>登录后自动继续刚才的操作</Text>
        <Input className='sign-in-sheet__nickname' placeholder='体验昵称（选填）' value={nickname} maxLength={20} onChange={setNickname} />
        <Button type='primary' block loading={busy} className='sign-in-sheet__button' onClick={() => pending && signInThen(pending, nickname.trim() || undefined)}>
          登录并继续
        </Button>
      </View>
    </Popup>
  )

  return { requireSignIn, sheet }
}
