import Taro from '@tarojs/taro'
import type { UserView } from '@xianlin/shared'

const KEY = 'session'

interface Stored {
  accessToken: string
  refreshToken: string
  user: UserView
}

function read(): Stored | null {
  const value = Taro.getStorageSync(KEY)
  return value && typeof value === 'object' && 'accessToken' in value ? (value as Stored) : null
}

let renewing: Promise<boolean> | null = null

/** The signed-in session, kept in storage so it survives restarts of the mini-program. */
export const session = {
  user: (): UserView | null => read()?.user ?? null,
  accessToken: (): string | null => read()?.accessToken ?? null,
  save(value: Stored): void {
    Taro.setStorageSync(KEY, value)
  },
  updateUser(user: UserView): void {
    const current = read()
    if (current) Taro.setStorageSync(KEY, { ...current, user })
  },
  clear(): void {
    Taro.removeStorageSync(KEY)
  },
  /** Rotates the token pair once, however many requests ask at the same moment. */
  renew(exchange: (refreshToken: string) => Promise<{ accessToken: string; refreshToken: string } | null>) {
    const current = read()
    if (!current) return Promise.resolve(false)
    renewing ??= exchange(current.refreshToken)
      .then((pair) => {
        if (!pair) return false
        Taro.setStorageSync(KEY, { ...current, ...pair })
        return true
      })
      .finally(() => {
        renewing = null
      })
    return renewing
  },
}
