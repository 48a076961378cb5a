import { useCallback, useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import type { UserView } from '@xianlin/shared'
import { api, ApiError } from '../api'
import { pendingAttribution, reportAttribution } from '../utils/attribution'
import { basket } from '../utils/basket'
import { deviceId } from '../utils/device'
import { session } from '../utils/session'

/**
 * The signed-in user for a page, refreshed from the server each time the page shows.
 * `login` uses WeChat login in the mini-program and the development login in H5.
 */
export function useSession() {
  const [user, setUser] = useState<UserView | null>(() => session.user())
  const [busy, setBusy] = useState(false)

  useDidShow(() => {
    if (!session.accessToken()) return setUser(null)
    api
      .me()
      .then(({ user: fresh }) => {
        session.updateUser(fresh)
        setUser(fresh)
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) setUser(null)
      })
  })

  /** `role` (H5 only) signs in as that role's demo account, e.g. the demo store's clerk. */
  const login = useCallback(async (nickname?: string, role?: 'staff' | 'leader') => {
    setBusy(true)
    try {
      const attribution = pendingAttribution()
      const auth =
        process.env.TARO_ENV === 'weapp'
          ? await api.auth.wechat({ code: (await Taro.login()).code, attribution, deviceId: deviceId() })
          : await api.auth.dev(role ? { role, attribution, deviceId: deviceId() } : { nickname, attribution, deviceId: deviceId() })
      session.save({ accessToken: auth.accessToken, refreshToken: auth.refreshToken, user: auth.user })
      setUser(auth.user)
      void reportAttribution()
      // A basket filled before signing in joins the member's, and the member is told what changed.
      void basket.mergeAfterSignIn().catch(() => undefined)
      return auth.user
    } finally {
      setBusy(false)
    }
  }, [])

  const logout = useCallback(() => {
    session.clear()
    setUser(null)
    void basket.view().catch(() => undefined)
  }, [])

  return { user, busy, login, logout }
}
