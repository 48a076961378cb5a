import Taro from '@tarojs/taro'

const KEY = 'preferred-store'

/** The store the shopper chose on the home page (门店): checkout offers it first. */
export const preferredStore = {
  get: (): string | null => {
    const value = Taro.getStorageSync(KEY)
    return typeof value === 'string' && value ? value : null
  },
  set: (storeId: string): void => Taro.setStorageSync(KEY, storeId),
}
